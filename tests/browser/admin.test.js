'use strict';
// The back-office: an organiser signs in with login and password, creates a
// debate as a draft from the form (local times converted to UTC in the
// chosen zone, with a preview), edits every field, publishes it, is refused
// a brand colour below WCAG AA, gets the snippets to embed it with a live
// preview, creates labelled invitations, copies one, lists and revokes it,
// extends the debate, duplicates and deletes one, fills in the site's
// defaults and accessibility statement, then signs out, and signs out on
// every device; wrong credentials get a clear message.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');
const support = require('../support/cluster');

describe('the back-office runs a debate from draft to publication', () => {
  let stack;
  let browser;
  let page;
  const slug = `conseil-${Date.now().toString(36)}`;

  before(async () => {
    stack = await lib.startStack();
    browser = await lib.launch();
    page = await lib.openPage(browser, { timezoneId: 'Europe/Paris' });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.origin });
  });

  after(async () => {
    if (browser) await browser.close();
    if (stack) await stack.stop();
  });

  it('a wrong password gets a clear message', async () => {
    await page.goto(lib.pageUrl(stack, 'admin/'));
    await page.waitForSelector('#signin:not([hidden])');
    await page.fill('#login', 'admin');
    await page.fill('#password', 'not-the-password');
    await page.press('#password', 'Enter');
    await page.locator('#login-error:not(:empty)').waitFor();
    assert.equal(await page.textContent('#login-error'), 'Identifiant ou mot de passe incorrect.');
  });

  it('the organiser signs in with login and password', async (t) => {
    if (!stack.adminPassword) {
      t.skip('the stack did not say its admin password (PALABRE_BROWSER_URL)');
      return;
    }
    await page.fill('#password', stack.adminPassword);
    await page.press('#password', 'Enter');
    await page.waitForSelector('#console:not([hidden])');
    assert.match(await page.textContent('#whoami'), /admin/);
  });

  it('creates a draft from the form, with local times stored in UTC, seen by staff only', async () => {
    if (await page.isHidden('#console')) {
      await page.fill('#token', stack.adminToken);
      await page.press('#token', 'Enter');
      await page.waitForSelector('#console:not([hidden])');
    }
    // The site's zone by default.
    assert.equal(await page.inputValue('#ev-zone'), '');
    assert.match(await page.textContent('#tz-hint'), /Europe\/Paris/);
    await page.fill('#ev-title', 'Conseil municipal ouvert : les mobilités');
    await page.fill('#ev-description', 'Vélo, bus, piétons : vos questions.');
    await page.fill('#ev-id', slug);
    // Paris is UTC+1 in March: 18:30 local is 17:30 UTC.
    await page.fill('#ev-start', '2030-03-12T18:30');
    await page.fill('#ev-end', '2030-03-12T20:00');
    await page.fill('#ev-languages', 'fr, en');
    await page.click('#add-guest');
    await page.keyboard.type('Claire Dubois');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Vice-présidente mobilités');
    await page.uncheck('#ev-before');
    await page.fill('#ev-late', '2');
    await page.fill('#ev-organiser', 'Ville de Montreuil-sur-Loire');
    await page.fill('#ev-site-url', 'https://www.montreuil-sur-loire.example/');
    await page.check('#ev-use-color');
    await page.fill('#ev-color', '#1d5e3a');
    // The preview follows the form.
    await lib.waitInPage(page, () => /les mobilités/.test(document.querySelector('#ev-preview').textContent), null,
      { what: 'the preview' });
    await page.locator('#create-title').scrollIntoViewIfNeeded();
    await lib.guideScreenshot(page, 'admin-editor');
    await page.click('#save-draft');
    await page.locator(`#ev-${slug}`).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), `ev-${slug}`, 'focus moves to the new debate');
    const item = page.locator(`#events > li[data-id="${slug}"]`);
    assert.equal(await item.getAttribute('data-status'), 'draft');
    await item.getByText('Brouillon').waitFor();
    await item.scrollIntoViewIfNeeded();
    await lib.guideScreenshot(page, 'admin-draft');

    // Nobody but staff sees a draft.
    assert.equal((await stack.request('GET', `/api/events/${slug}`)).status, 404, 'a draft is hidden from the public');
    const ev = lib.expectOk(await stack.asAdmin().get(`/api/events/${slug}`), 200, 'GET event as admin');
    assert.equal(ev.status, 'draft');
    assert.equal(ev.title, 'Conseil municipal ouvert : les mobilités');
    assert.equal(ev.starts_at, '2030-03-12T17:30:00Z');
    assert.equal(ev.ends_at, '2030-03-12T19:00:00Z');
    assert.equal(ev.time_zone, 'Europe/Paris');
    assert.deepEqual(ev.languages, ['fr', 'en']);
    assert.deepEqual(ev.guests, [{ name: 'Claire Dubois', role: 'Vice-présidente mobilités' }]);
    assert.equal(ev.questions_before, false);
    assert.equal(ev.late_questions_days, 2);
    assert.equal(ev.branding.color, '#1d5e3a');
    assert.equal(ev.branding.organiser, 'Ville de Montreuil-sur-Loire');
    assert.equal(ev.branding.site_url, 'https://www.montreuil-sur-loire.example/');
    await lib.assertAccessible(page, 'the back-office with a draft');
  });

  it('edits every field of the draft, in another time zone, then publishes it', async () => {
    const item = page.locator(`#events > li[data-id="${slug}"]`);
    await item.getByRole('button', { name: 'Modifier', exact: true }).click();
    await lib.waitInPage(page, () => document.activeElement.id === 'create-title', null, { what: 'focus on the editor' });
    assert.match(await page.textContent('#create-title'), /Modifier « Conseil municipal ouvert/);
    assert.equal(await page.inputValue('#ev-start'), '2030-03-12T18:30', 'times shown in the debate\'s zone');
    assert.equal(await page.isDisabled('#ev-id'), true, 'the address stays');
    await page.fill('#ev-title', 'Conseil ouvert : les mobilités douces');
    await page.fill('#ev-description', 'Vélo et marche : vos questions.');
    await page.selectOption('#ev-zone', 'America/Cayenne');
    // Cayenne is UTC-3 all year: 14:30 there is 17:30 UTC.
    await page.fill('#ev-start', '2030-03-12T14:30');
    await page.fill('#ev-end', '2030-03-12T16:30');
    await page.fill('#ev-languages', 'fr, en, de');
    await page.locator('#guest-rows input').nth(1).fill('Adjointe aux mobilités');
    await page.check('#ev-before');
    await page.fill('#ev-late', '3');
    await page.fill('#ev-color', '#6b2c91');
    await page.click('#save-draft');
    await lib.waitInPage(page, () => /enregistr/.test(document.querySelector('#status').textContent), null,
      { what: 'the saved notice' });
    let ev = lib.expectOk(await stack.asAdmin().get(`/api/events/${slug}`), 200, 'GET event as admin');
    assert.equal(ev.status, 'draft', 'saving a draft keeps it a draft');
    assert.equal(ev.title, 'Conseil ouvert : les mobilités douces');
    assert.equal(ev.description, 'Vélo et marche : vos questions.');
    assert.equal(ev.time_zone, 'America/Cayenne');
    assert.equal(ev.starts_at, '2030-03-12T17:30:00Z');
    assert.equal(ev.ends_at, '2030-03-12T19:30:00Z');
    assert.deepEqual(ev.languages, ['fr', 'en', 'de']);
    assert.deepEqual(ev.guests, [{ name: 'Claire Dubois', role: 'Adjointe aux mobilités' }]);
    assert.equal(ev.questions_before, true);
    assert.equal(ev.late_questions_days, 3);
    assert.equal(ev.branding.color, '#6b2c91');

    await item.getByRole('button', { name: 'Publier', exact: true }).click();
    await lib.waitInPage(page, () => /publié/.test(document.querySelector('#status').textContent), null,
      { what: 'the published notice' });
    assert.equal(await item.getAttribute('data-status'), 'published');
    ev = lib.expectOk(await stack.request('GET', `/api/events/${slug}`), 200, 'GET event, now public');
    assert.equal(ev.status, 'published');
    const audit = lib.expectOk(await stack.asAdmin().get(`/api/events/${slug}/audit`), 200, 'audit').entries
      .map((e) => e.action);
    for (const action of ['create_event', 'update_event', 'publish_event']) assert.ok(audit.includes(action), `${action} audited: ${audit}`);
  });

  it('refuses a brand colour that white text cannot be read on, before and at the server', async () => {
    const item = page.locator(`#events > li[data-id="${slug}"]`);
    await item.getByRole('button', { name: 'Modifier', exact: true }).click();
    await page.fill('#ev-color', '#ffd700');
    await page.locator('#ev-contrast:not(:empty)').waitFor();
    assert.match(await page.textContent('#ev-contrast'), /4,5|4\.5/);
    await page.click('#save-draft');
    await page.locator('#create-error:not(:empty)').waitFor();
    assert.equal(await page.getAttribute('#ev-color', 'aria-invalid'), 'true');
    const ev = lib.expectOk(await stack.request('GET', `/api/events/${slug}`), 200, 'GET event');
    assert.equal(ev.branding.color, '#6b2c91', 'nothing saved');
    await page.click('#edit-cancel');
    assert.equal(await page.evaluate(() => document.activeElement.id), `ev-${slug}`, 'focus back on the debate');
  });

  it('an invalid form is refused in the page, with the field named and focused', async () => {
    await page.fill('#ev-title', '');
    await page.click('#save-draft');
    await page.locator('#create-error:not(:empty)').waitFor();
    assert.match(await page.textContent('#create-error'), /titre/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'ev-title');
    assert.equal(await page.getAttribute('#ev-title', 'aria-invalid'), 'true');
  });

  it('creates a labelled invitation, copies its link, lists it and revokes it', async () => {
    const item = page.locator(`#events > li[data-id="${slug}"]`);
    await item.getByRole('button', { name: 'Gérer les invitations' }).click();
    await item.getByLabel('Rôle').waitFor();
    await item.getByLabel('Nom de la personne').fill('Anne (communication)');
    await item.getByRole('button', { name: 'Créer l’invitation' }).click();
    const url = item.locator('.invite-url');
    await url.first().waitFor();
    const moderatorUrl = await url.first().inputValue();
    assert.match(moderatorUrl, new RegExp(`/e/${slug}/moderate#t=.+`));
    assert.equal(await page.evaluate(() => document.activeElement.className), 'invite-url', 'focus moves to the new link');
    await item.getByRole('button', { name: 'Copier' }).first().click();
    await lib.waitInPage(page, () => /copié/.test(document.querySelector('#status').textContent), null,
      { what: 'the copy confirmation' });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), moderatorUrl);

    // A guest invitation names one of the debate's guests, chosen from a list.
    await item.getByLabel('Rôle').selectOption('guest');
    assert.deepEqual(await item.getByLabel('Nom de la personne').evaluate((s) => Array.from(s.options, (o) => o.value)), ['Claire Dubois']);
    await item.getByRole('button', { name: 'Créer l’invitation' }).click();
    await item.locator('.invite-list li', { hasText: 'Claire Dubois' }).waitFor();
    const guestUrl = await item.locator('.invite-url').first().inputValue();
    assert.match(guestUrl, new RegExp(`/e/${slug}/guest#t=.+`));

    // The copied link opens the moderator console.
    const mod = await lib.openPage(browser);
    await mod.goto(moderatorUrl);
    await mod.waitForSelector('#console:not([hidden])');
    await mod.context().close();

    // Listed with who it is for; revoking it is announced and its token stops working.
    const row = item.locator('.invite-list li', { hasText: 'Anne (communication)' });
    assert.match(await row.textContent(), /Modération/);
    await row.getByRole('button', { name: 'Révoquer' }).click();
    await lib.waitInPage(page, () => /révoquée/.test(document.querySelector('#status').textContent), null,
      { what: 'the revocation notice' });
    await item.locator('.invite-list li', { hasText: 'Anne (communication)' }).getByText('Révoquée').waitFor();
    const token = decodeURIComponent(moderatorUrl.split('#t=')[1]);
    const res = await stack.request('GET', `/api/events/${slug}/queue`, { token });
    assert.equal(res.status, 401, 'the revoked link no longer works');
    await lib.assertNoProblems(page, 'admin page with invitations');
  });

  it('extends the debate by 15 minutes', async () => {
    const item = page.locator(`#events > li[data-id="${slug}"]`);
    await item.getByRole('button', { name: 'Modifier la fin' }).click();
    await item.getByRole('button', { name: '+15 minutes' }).click();
    await lib.waitInPage(page, () => /se termine maintenant/.test(document.querySelector('#status').textContent));
    const ev = lib.expectOk(await stack.request('GET', `/api/events/${slug}`), 200, 'GET event');
    assert.equal(ev.ends_at, '2030-03-12T19:45:00Z');
  });

  it('shows the snippets to put the debate on the city\'s site, with a live preview', async () => {
    const item = page.locator(`#events > li[data-id="${slug}"]`);
    await item.getByRole('button', { name: 'Intégrer au site' }).click();
    const script = await item.getByLabel('Script d’une ligne (recommandé)').inputValue();
    assert.match(script, new RegExp(`^<script src="${stack.origin}/embed\\.js" data-event="${slug}"[^>]* async></script>$`));
    assert.match(await item.getByLabel('Cadre (iframe)').inputValue(), new RegExp(`/e/${slug}/embed"`));
    assert.match(await item.getByLabel('Lien simple').inputValue(), new RegExp(`<a href="${stack.origin}/e/${slug}">`));
    assert.match(await item.getByLabel('Bouton').inputValue(), /background:#6b2c91/);
    // The preview frames the embeddable view, which reports its height.
    const frame = item.locator('iframe.embed-preview');
    await frame.waitFor();
    const inner = page.frameLocator(`#events > li[data-id="${slug}"] iframe.embed-preview`);
    await inner.getByText('Conseil ouvert : les mobilités douces').first().waitFor();
    await lib.waitInPage(page, (id) => {
      const f = document.querySelector(`#events > li[data-id="${id}"] iframe.embed-preview`);
      return f && f.style.height !== '';
    }, slug, { what: 'the preview resized to its content' });
    await item.getByRole('button', { name: 'Copier' }).first().click();
    await lib.waitInPage(page, () => /copié/.test(document.querySelector('#status').textContent), null,
      { what: 'the copy confirmation' });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), script);
    await lib.assertAccessible(page, 'the back-office with the embed panel');
    await item.getByText('Aperçu en direct').scrollIntoViewIfNeeded();
    await lib.guideScreenshot(page, 'admin-embed');
    await item.getByRole('button', { name: 'Fermer' }).click();
  });

  it('duplicates a debate as a draft, and deletes it for good', async () => {
    const item = page.locator(`#events > li[data-id="${slug}"]`);
    await item.getByRole('button', { name: 'Dupliquer' }).click();
    await lib.waitInPage(page, () => /Copie de/.test(document.querySelector('#status').textContent), null,
      { what: 'the duplicated notice' });
    // The copy opens in the editor.
    await lib.waitInPage(page, () => document.activeElement.id === 'create-title', null, { what: 'the copy in the editor' });
    const copyId = await page.inputValue('#ev-id');
    assert.notEqual(copyId, slug);
    const copy = lib.expectOk(await stack.asAdmin().get(`/api/events/${copyId}`), 200, 'GET the copy');
    assert.equal(copy.status, 'draft');
    assert.equal(copy.title, 'Conseil ouvert : les mobilités douces');
    assert.deepEqual(copy.guests, [{ name: 'Claire Dubois', role: 'Adjointe aux mobilités' }]);
    assert.equal(copy.branding.color, '#6b2c91');
    await page.click('#edit-cancel');

    const copyItem = page.locator(`#events > li[data-id="${copyId}"]`);
    await copyItem.getByRole('button', { name: 'Supprimer', exact: true }).click();
    await copyItem.getByRole('button', { name: 'Supprimer définitivement' }).waitFor();
    assert.match(await page.evaluate(() => document.activeElement.textContent), /Supprimer « /, 'focus on the question');
    await copyItem.getByRole('button', { name: 'Annuler' }).click();
    assert.equal((await stack.asAdmin().get(`/api/events/${copyId}`)).status, 200, 'cancelled: still there');
    await copyItem.getByRole('button', { name: 'Supprimer', exact: true }).click();
    await copyItem.getByRole('button', { name: 'Supprimer définitivement' }).click();
    await lib.waitInPage(page, () => /supprimé/.test(document.querySelector('#status').textContent), null,
      { what: 'the deleted notice' });
    await copyItem.waitFor({ state: 'detached' });
    assert.equal((await stack.asAdmin().get(`/api/events/${copyId}`)).status, 404, 'gone');
    const audit = lib.expectOk(await stack.asAdmin().get('/api/site/audit'), 200, 'site audit').entries;
    assert.ok(audit.some((e) => e.action === 'delete_event' && e.target === copyId), 'the deletion is audited');
  });

  it('keeps the site\'s defaults and its accessibility statement', async () => {
    await page.fill('#site-organiser', 'Ville de Montreuil-sur-Loire');
    await page.check('#site-use-color');
    await page.fill('#site-color', '#eeeeee');
    await page.locator('#site-contrast:not(:empty)').waitFor();
    await page.click('#site-form button[type=submit]');
    await page.locator('#site-error:not(:empty)').waitFor();
    assert.equal((await stack.request('GET', '/api/site')).json.color || '', '', 'a pale colour is not saved');
    await page.fill('#site-color', '#004494');
    await page.fill('#site-url', 'https://www.montreuil-sur-loire.example/');
    await page.selectOption('#a11y-status', 'partial');
    await page.fill('#a11y-rate', '82.5');
    await page.fill('#a11y-audit-date', '2026-10-01');
    await page.fill('#a11y-non-compliant', 'Les graphiques du tableau de bord n’ont pas encore d’alternative sonore.');
    await page.fill('#a11y-email', 'accessibilite@montreuil-sur-loire.example');
    await page.locator('#site-title').scrollIntoViewIfNeeded();
    await lib.guideScreenshot(page, 'admin-site');
    await page.click('#site-form button[type=submit]');
    await lib.waitInPage(page, () => /églages du site enregistrés|enregistr/.test(document.querySelector('#status').textContent), null,
      { what: 'the site saved' });
    const site = lib.expectOk(await stack.request('GET', '/api/site'), 200, 'GET /api/site');
    assert.equal(site.organiser, 'Ville de Montreuil-sur-Loire');
    assert.equal(site.color, '#004494');
    assert.equal(site.accessibility.status, 'partial');
    assert.equal(site.accessibility.rate, 82.5);
    assert.equal(site.accessibility.contact_email, 'accessibilite@montreuil-sur-loire.example');

    // A debate without its own branding wears the site's, with the link back.
    const plain = await stack.createEvent({ title: 'Débat aux couleurs du site', branding: {} });
    const visitor = await lib.openPage(browser);
    await visitor.goto(lib.pageUrl(stack, `e/${plain.id}`));
    const back = visitor.locator('#brand a.brand-link');
    await back.waitFor();
    assert.equal(await back.getAttribute('href'), 'https://www.montreuil-sur-loire.example/');
    assert.equal((await back.textContent()).trim(), 'Ville de Montreuil-sur-Loire');
    assert.equal(await visitor.evaluate(() => document.documentElement.style.getPropertyValue('--brand')), '#004494');
    await visitor.context().close();

    // The statement page shows what the organiser filled in.
    const statement = await lib.openPage(browser);
    await statement.goto(lib.pageUrl(stack, 'accessibilite'));
    await statement.getByText('82,5').first().waitFor();
    await statement.getByText('accessibilite@montreuil-sur-loire.example').first().waitFor();
    await lib.assertAccessible(statement, 'the accessibility statement');
    await statement.context().close();
  });

  it('keeps the site-wide list of blocked words, which flags questions in every debate', async () => {
    await page.fill('#site-words', 'arnaq*\n  escroc  \n\n');
    await page.click('#site-words-save');
    await lib.waitInPage(page, () => /Liste enregistrée : 2/.test(document.querySelector('#status').textContent), null,
      { what: 'the list saved' });
    assert.equal(await page.inputValue('#site-words'), 'arnaq*\nescroc');
    const ev = await stack.createEvent({ title: 'Débat sous liste du site' });
    const v = await stack.join(ev.id, 'Camille');
    const qid = lib.expectOk(await v.ask(ev.id, 'Cette arnaque doit cesser', 'fr'), 202).id;
    const queue = lib.expectOk(await stack.asAdmin().get(`/api/events/${ev.id}/queue`), 200);
    assert.deepEqual(queue.pending.find((x) => x.id === qid).flags, ['arnaq*']);
    await page.reload();
    await page.waitForSelector('#console:not([hidden])');
    await lib.waitInPage(page, () => document.querySelector('#site-words').value === 'arnaq*\nescroc', null,
      { what: 'the list read back' });
    await page.fill('#site-words', '***');
    await page.click('#site-words-save');
    await page.waitForSelector('#site-words-error:not(:empty)');
    await lib.assertAccessible(page, 'the back-office with a refused word list');
    await page.fill('#site-words', '');
    await page.click('#site-words-save');
    await lib.waitInPage(page, () => /Liste enregistrée : 0/.test(document.querySelector('#status').textContent), null,
      { what: 'the list emptied' });
  });

  it('fits a 360 px wide phone', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    assert.equal(await lib.horizontalOverflow(page), null);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('signs out', async () => {
    await page.click('#logout');
    await page.waitForSelector('#signin:not([hidden])');
    await page.reload();
    await page.waitForSelector('#signin:not([hidden])');
    await lib.assertNoProblems(page, 'admin page');
  });

  it('signs out on every device at once', async (t) => {
    if (!stack.adminPassword) {
      t.skip('the stack did not say its admin password (PALABRE_BROWSER_URL)');
      return;
    }
    // Another browser signed in with the same login.
    const other = await stack.request('POST', '/api/auth/login', {
      body: { login: 'admin', password: stack.adminPassword }, headers: { Origin: stack.origin },
    });
    lib.expectOk(other, 200, 'sign in elsewhere');
    const otherCookie = support.cookiePair(other, 'palabre_s').pair;
    await page.fill('#login', 'admin');
    await page.fill('#password', stack.adminPassword);
    await page.press('#password', 'Enter');
    await page.waitForSelector('#console:not([hidden])');
    await page.getByRole('button', { name: 'Se déconnecter sur tous les appareils' }).click();
    await page.waitForSelector('#signin:not([hidden])');
    await lib.waitInPage(page, () => /tous les appareils/.test(document.querySelector('#status').textContent), null,
      { what: 'the sign-out notice' });
    const res = await stack.request('GET', '/api/auth/me', { cookie: otherCookie });
    assert.equal(res.status, 401, 'the other browser is signed out too');
    await page.reload();
    await page.waitForSelector('#signin:not([hidden])');
    await lib.assertNoProblems(page, 'admin page after signing out everywhere');
  });
});

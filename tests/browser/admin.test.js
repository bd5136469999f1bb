'use strict';
// The back-office: an organiser signs in with login and password, creates a
// debate from the form (local times converted to UTC), creates labelled
// invitations, copies one, lists and revokes it, then extends the debate,
// signs out, and signs out on every device; wrong credentials get a clear
// message.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');
const support = require('../support/cluster');

describe('the back-office creates a debate, its invitations, and extends it', () => {
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

  it('creates a debate from the form, with local times stored in UTC', async () => {
    if (await page.isHidden('#console')) {
      await page.fill('#token', stack.adminToken);
      await page.press('#token', 'Enter');
      await page.waitForSelector('#console:not([hidden])');
    }
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
    await page.check('#ev-use-color');
    await page.fill('#ev-color', '#1d5e3a');
    await page.click('#create-form button[type=submit]');
    await page.locator(`#ev-${slug}`).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), `ev-${slug}`, 'focus moves to the new debate');

    const ev = lib.expectOk(await stack.request('GET', `/api/events/${slug}`), 200, 'GET event');
    assert.equal(ev.title, 'Conseil municipal ouvert : les mobilités');
    assert.equal(ev.starts_at, '2030-03-12T17:30:00Z');
    assert.equal(ev.ends_at, '2030-03-12T19:00:00Z');
    assert.deepEqual(ev.languages, ['fr', 'en']);
    assert.deepEqual(ev.guests, [{ name: 'Claire Dubois', role: 'Vice-présidente mobilités' }]);
    assert.equal(ev.questions_before, false);
    assert.equal(ev.late_questions_days, 2);
    assert.equal(ev.branding.color, '#1d5e3a');
    assert.equal(ev.branding.organiser, 'Ville de Montreuil-sur-Loire');
  });

  it('an invalid form is refused in the page, with the field named and focused', async () => {
    await page.fill('#ev-title', '');
    await page.click('#create-form button[type=submit]');
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
    assert.equal(ev.ends_at, '2030-03-12T19:15:00Z');
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

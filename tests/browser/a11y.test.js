'use strict';
// Accessibility (RGAA / WCAG 2.1 AA): every page passes axe-core with no
// violation, in the states people actually see (before and after joining,
// consoles with questions in them, the back-office signed out and in); the
// visitor can join and ask with the keyboard alone; the interface switches
// language and <html lang> follows.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');

describe('every page is accessible and usable with the keyboard alone', () => {
  let stack;
  let browser;
  let ev;
  let invites;

  before(async () => {
    stack = await lib.startStack();
    ev = await stack.createEvent({
      title: 'Conseil de quartier : la place du marché',
      description: 'Réaménagement de la place du marché.',
      guests: [{ name: 'Karim Benali', role: 'Adjoint à l’urbanisme' }],
      languages: ['fr', 'en'],
      // A brand colour near the lightest the server accepts (4.5:1 against
      // white; lighter ones are refused, contrast_too_low): white text on
      // it still passes axe-core's contrast check.
      branding: { color: '#b35900', organiser: 'Mairie de Saint-Exemple' },
    });
    invites = await stack.invite(ev.id);
    // Something in every list: a published question with its answer, an
    // announcement, a question forwarded to the guest, one pending.
    const citizen = await stack.join(ev.id, 'Lou');
    const mod = stack.bearer(invites.moderator_token, 'moderator', ev.id);
    const guestApi = stack.bearer(invites.guest_token, 'guest', ev.id);
    const ids = [];
    for (const text of ['Combien de places de stationnement resteront ?', 'Les arbres seront-ils conservés ?', 'Quand les travaux commenceront-ils ?']) {
      ids.push(lib.expectOk(await citizen.ask(ev.id, text, 'fr'), 202, 'ask').id);
    }
    lib.expectOk(await mod.act(ev.id, ids[0], 'publish'), 200, 'publish');
    lib.expectOk(await mod.act(ev.id, ids[1], 'forward'), 200, 'forward');
    lib.expectOk(await mod.act(ev.id, ids[0], 'forward'), 200, 'forward published');
    lib.expectOk(await guestApi.post(`/api/events/${ev.id}/answers`, { question_id: ids[0], text: 'Une centaine.' }), 201, 'answer');
    lib.expectOk(await mod.post(`/api/events/${ev.id}/announcements`, { text: 'Le débat commence.', lang: 'fr' }), 201, 'announce');
    browser = await lib.launch();
  });

  after(async () => {
    if (browser) await browser.close();
    if (stack) await stack.stop();
  });

  async function common(page, what) {
    assert.equal(await page.locator('h1').count(), 1, `${what}: one h1`);
    assert.match(await page.getAttribute('html', 'lang'), /^(fr|en)$/, `${what}: <html lang>`);
    assert.equal(await page.locator('main').count(), 1, `${what}: a main landmark`);
    await lib.assertAccessible(page, what);
    await lib.assertNoProblems(page, what);
  }

  it('the index of debates', async () => {
    const page = await lib.openPage(browser);
    await page.goto(lib.pageUrl(stack, ''));
    await page.locator('#live li').first().waitFor();
    await common(page, 'index');
    await page.context().close();
  });

  it('the visitor page before joining, then after joining and asking', async () => {
    const page = await lib.openPage(browser);
    await page.goto(lib.pageUrl(stack, `e/${ev.id}`));
    await page.waitForSelector('#join-form:not([hidden])');
    await page.locator('#thread .msg-answer').waitFor();
    await lib.waitInPage(page, () => document.querySelector('#thread').getAttribute('aria-busy') === 'false');
    await common(page, 'visitor page before joining');
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).color), 'rgb(255, 255, 255)',
      'white text on the brand colour');

    await page.fill('#join-name', 'Zoé');
    await page.click('#join-submit');
    await page.waitForSelector('#ask-form:not([hidden])');
    await page.fill('#question', 'Y aura-t-il des bancs ?');
    await page.click('#ask-submit');
    await page.locator('#my-questions [data-status="pending"]').waitFor();
    // An error message shown, too: an empty question.
    await page.click('#ask-submit');
    await page.locator('#ask-error:not(:empty)').waitFor();
    await common(page, 'visitor page after joining');
    await page.context().close();
  });

  it('the live thread is a polite live region and messages carry their language', async () => {
    const page = await lib.openPage(browser, { locale: 'en-GB' });
    await page.goto(lib.pageUrl(stack, `e/${ev.id}`));
    await page.locator('#thread .msg-question').first().waitFor();
    assert.equal(await page.getAttribute('#thread-log', 'aria-live'), 'polite');
    assert.equal(await page.getAttribute('#thread-log', 'role'), 'log');
    assert.equal(await page.getAttribute('html', 'lang'), 'en', 'English browser, English interface');
    assert.equal(await page.getAttribute('#thread .msg-question .msg-text >> nth=0', 'lang'), 'fr',
      'a French question inside an English page is marked lang="fr"');
    assert.equal(await page.locator('#status').getAttribute('role'), 'status');
    await page.context().close();
  });

  it('the interface switches language and <html lang> follows', async () => {
    const page = await lib.openPage(browser, { locale: 'fr-FR' });
    await page.goto(lib.pageUrl(stack, `e/${ev.id}`));
    await page.waitForSelector('#join-form:not([hidden])');
    assert.equal(await page.textContent('#participate-title'), 'Participer');
    await page.getByRole('button', { name: 'English' }).click();
    // The English catalogue is fetched on demand (i18n.js): <html lang>
    // changes with the words, once it is there.
    await lib.waitInPage(page, () => document.documentElement.lang === 'en', null, { what: '<html lang="en">' });
    assert.equal(await page.textContent('#participate-title'), 'Take part');
    assert.equal(await page.getAttribute('button[lang="en"]', 'aria-pressed'), 'true');
    await common(page, 'visitor page in English');
    await page.context().close();
  });

  it('the moderator console, with an edit form and a reject form open', async () => {
    const page = await lib.openPage(browser, { locale: 'fr-FR' });
    await page.goto(invites.moderator_url);
    await page.waitForSelector('#console:not([hidden])');
    await page.locator('#pending > li').first().waitFor();
    await common(page, 'moderator console');
    const card = page.locator('#pending > li').first();
    await card.locator('.q-toggle').click();
    await card.getByRole('button', { name: 'Modifier', exact: true }).click();
    await card.locator('textarea').waitFor();
    await common(page, 'moderator console with an edit form');
    await page.keyboard.press('Escape');
    await card.getByRole('button', { name: 'Refuser', exact: true }).click();
    await card.getByLabel('Motif du refus').waitFor();
    await common(page, 'moderator console with a reject form');
    await page.context().close();
  });

  it('the moderator console explains what to do without an invite link', async () => {
    const page = await lib.openPage(browser);
    await page.goto(lib.pageUrl(stack, `e/${ev.id}/moderate`));
    await page.locator('#auth-problem:not(:empty)').waitFor();
    assert.match(await page.textContent('#auth-problem'), /lien d’invitation/);
    assert.ok(await page.isHidden('#console'));
    await common(page, 'moderator console without a session');
    await page.goto(`${lib.pageUrl(stack, `e/${ev.id}/moderate`)}#t=not-a-real-token`);
    await page.reload();
    await page.locator('#auth-problem:not(:empty)').waitFor();
    assert.match(await page.textContent('#auth-problem'), /n’est pas valide/);
    await page.context().close();
  });

  it('the guest console', async () => {
    const page = await lib.openPage(browser);
    await page.goto(invites.guest_url);
    await page.waitForSelector('#console:not([hidden])');
    await page.locator('#todo > li').first().waitFor();
    await page.locator('#done > li').first().waitFor();
    await common(page, 'guest console');
    await page.context().close();
  });

  it('the back-office, signed out, then signed in with an API token', async () => {
    const page = await lib.openPage(browser);
    await page.goto(lib.pageUrl(stack, 'admin/'));
    await page.waitForSelector('#signin:not([hidden])');
    await common(page, 'admin sign-in');
    await page.fill('#token', stack.adminToken);
    await page.press('#token', 'Enter');
    await page.waitForSelector('#console:not([hidden])');
    const item = page.locator('#events > li', { hasText: ev.title });
    await item.getByRole('button', { name: 'Gérer les invitations' }).click();
    await item.getByLabel('Nom de la personne').fill('Anne (communication)');
    await item.getByRole('button', { name: 'Créer l’invitation' }).click();
    await item.locator('.invite-url').first().waitFor();
    await item.locator('.invite-list li', { hasText: 'Anne (communication)' }).waitFor();
    assert.match(await item.locator('.invite-url').first().inputValue(), /\/moderate#t=/);
    await page.getByRole('button', { name: 'Ajouter un·e invité·e' }).click();
    await common(page, 'admin console');
    await page.context().close();
  });

  // The pages not covered above (and by languages.test.js in six
  // languages): the embeddable view, the dashboard and the accessibility
  // statement, in French and in English.
  for (const [locale, lang] of [['fr-FR', 'fr'], ['en-GB', 'en']]) {
    it(`the embeddable view, the dashboard and the accessibility statement (${lang})`, async () => {
      const page = await lib.openPage(browser, { locale });
      const inLang = () => lib.waitInPage(page, (want) => document.documentElement.lang === want, lang, { what: `<html lang="${lang}">` });

      await page.goto(lib.pageUrl(stack, `e/${ev.id}/embed`));
      await page.locator('#thread .msg-answer').waitFor();
      await page.locator('#thread-log[aria-busy="false"]').waitFor({ state: 'attached' });
      await inLang();
      await common(page, `embeddable view (${lang})`);

      await page.goto(lib.pageUrl(stack, `e/${ev.id}/stats#t=${invites.moderator_token}`));
      await page.waitForSelector('#dashboard:not([hidden])');
      await inLang();
      await common(page, `dashboard (${lang})`);

      await page.goto(lib.pageUrl(stack, 'accessibilite'));
      await page.waitForSelector('#statement:not([hidden])');
      await inLang();
      await common(page, `accessibility statement (${lang})`);
      await page.context().close();
    });
  }

  it('the visitor joins and asks with the keyboard alone, in a logical order', async () => {
    const page = await lib.openPage(browser);
    await page.goto(lib.pageUrl(stack, `e/${ev.id}`));
    await page.waitForSelector('#join-form:not([hidden])');
    await page.locator('#thread .msg-question').first().waitFor();

    // The first Tab reaches the skip link, which leads to the main content.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
    const stops = await lib.tabTo(page, '#join-name', { max: 10 });
    assert.ok(stops.length <= 6, `few stops before the pseudonym field: ${stops.join(' → ')}`);
    await page.keyboard.type('Maël');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#joined:not([hidden])');

    await lib.tabTo(page, '#question', { max: 3 });
    await page.keyboard.type('Des toilettes publiques sont-elles prévues ?');
    await lib.tabTo(page, '#ask-submit', { max: 3 });
    await page.keyboard.press('Enter');
    await page.locator('#my-questions li', { hasText: 'toilettes publiques' }).locator('[data-status="pending"]').waitFor();

    // The skip link moves focus to <main>.
    await page.focus('.skip-link');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
    await lib.assertNoProblems(page, 'visitor page (keyboard)');
    await page.context().close();
  });
});

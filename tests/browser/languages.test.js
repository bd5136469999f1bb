'use strict';
// The interface in six languages (issue 12): the index, the visitor page,
// the moderator and guest consoles, the dashboard, the embedded view, the
// accessibility statement and the back-office (signed out and in) open in French,
// English, German, Italian, Spanish and Polish from the browser's language,
// say so in <html lang>, show the catalogue's words, and pass axe-core in
// each. On the visitor page: the switcher offers the debate's languages by
// their own names and loads a catalogue on demand; a question goes out in
// the language the visitor picks; the thread can show only the visitor's
// language, remembered; dates are in the debate's time zone.
//
// One cluster and one browser for the whole file.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const lib = require('./lib');

const LANGS = ['fr', 'en', 'de', 'it', 'es', 'pl'];
const LOCALES = { fr: 'fr-FR', en: 'en-GB', de: 'de-DE', it: 'it-IT', es: 'es-ES', pl: 'pl-PL' };
const NATIVE = { fr: 'Français', en: 'English', de: 'Deutsch', it: 'Italiano', es: 'Español', pl: 'Polski' };
const CATALOGUES = path.join(__dirname, '..', '..', 'static', 'assets', 'js', 'i18n');

describe('the interface in six languages', () => {
  let stack;
  let browser;
  let ev;
  const cat = {};

  before(async () => {
    for (const l of LANGS) cat[l] = (await import(pathToFileURL(path.join(CATALOGUES, `${l}.js`)).href)).default;
    stack = await lib.startStack();
    ev = await stack.createEvent({
      title: 'Europäischer Bürgerdialog',
      description: 'Ein Debatte in sechs Sprachen.',
      guests: [{ name: 'Ewa Nowak', role: 'Radna' }],
      languages: ['de', 'fr', 'en', 'it', 'es', 'pl'],
    });
    // Something in every list: questions in two languages, one published
    // and answered, one forwarded, one pending.
    const invites = await stack.invite(ev.id);
    const mod = stack.bearer(invites.moderator_token, 'moderator', ev.id);
    const guestApi = stack.bearer(invites.guest_token, 'guest', ev.id);
    const lou = await stack.join(ev.id, 'Lou', { lang: 'de' });
    const de = lib.expectOk(await lou.ask(ev.id, 'Wann beginnen die Arbeiten am Marktplatz?', 'de'), 202, 'ask de').id;
    const pl = lib.expectOk(await lou.ask(ev.id, 'Czy drzewa zostaną zachowane?', 'pl'), 202, 'ask pl').id;
    lib.expectOk(await lou.ask(ev.id, 'Combien de places de stationnement ?', 'fr'), 202, 'ask fr');
    lib.expectOk(await mod.act(ev.id, de, 'publish'), 200, 'publish de');
    lib.expectOk(await mod.act(ev.id, pl, 'publish'), 200, 'publish pl');
    lib.expectOk(await mod.act(ev.id, de, 'forward'), 200, 'forward de');
    lib.expectOk(await guestApi.post(`/api/events/${ev.id}/answers`, { question_id: de, text: 'Im März.' }), 201, 'answer');
    lib.expectOk(await mod.act(ev.id, pl, 'forward'), 200, 'forward pl');
    browser = await lib.launch();
  });

  after(async () => {
    if (browser) await browser.close();
    if (stack) await stack.stop();
  });

  async function check(page, l, what, selector, key) {
    await lib.waitInPage(page, (want) => document.documentElement.lang === want, l, { what: `${what}: <html lang="${l}">` });
    assert.equal((await page.textContent(selector)).trim(), cat[l][key], `${what}: ${key} in ${l}`);
    await lib.assertAccessible(page, `${what} (${l})`);
    await lib.assertNoProblems(page, `${what} (${l})`);
  }

  for (const l of LANGS) {
    it(`every page in ${NATIVE[l]}, from the browser's language`, async () => {
      const invites = await stack.invite(ev.id);
      const page = await lib.openPage(browser, { locale: LOCALES[l] });

      await page.goto(lib.pageUrl(stack, ''));
      await page.locator('#live li, #upcoming li').first().waitFor();
      await check(page, l, 'index', 'h1', 'index.title');
      // No debate: all six offered.
      assert.equal(await page.locator('#lang-switch button').count(), 6, 'index: six languages offered');

      await page.goto(lib.pageUrl(stack, `e/${ev.id}`));
      await page.waitForSelector('#join-form:not([hidden])');
      await page.locator('#thread .msg-question').first().waitFor();
      await check(page, l, 'visitor page', '#participate-title', 'visitor.participate');
      assert.deepEqual(await page.locator('#lang-switch button').allTextContents(),
        ['Deutsch', 'Français', 'English', 'Italiano', 'Español', 'Polski'], 'the debate\'s languages by their own names');
      assert.equal(await page.getAttribute(`#lang-switch button[lang="${l}"]`, 'aria-pressed'), 'true');

      await page.goto(invites.moderator_url);
      await page.waitForSelector('#console:not([hidden])');
      await page.locator('#pending > li').first().waitFor();
      await check(page, l, 'moderator console', '#pending-title', 'mod.queue_title');
      // The language filter lists the debate's six, by name.
      assert.equal(await page.locator('#filter-lang option').count(), 7, 'all + six languages');

      await page.goto(invites.guest_url);
      await page.waitForSelector('#console:not([hidden])');
      await page.locator('#todo > li').first().waitFor();
      await check(page, l, 'guest console', '#todo-title [data-i18n="guest.todo"]', 'guest.todo');

      // The dashboard, with the moderator's session from the link above.
      await page.goto(lib.pageUrl(stack, `e/${ev.id}/stats`));
      await check(page, l, 'dashboard', '#figures-title', 'stats.figures');

      await page.goto(lib.pageUrl(stack, `e/${ev.id}/embed`));
      await page.locator('#thread .msg-question').first().waitFor();
      await check(page, l, 'embedded view', '#live-title', 'visitor.thread');

      await page.goto(lib.pageUrl(stack, 'accessibilite'));
      await check(page, l, 'accessibility statement', 'h1', 'a11y.title');

      await page.goto(lib.pageUrl(stack, 'admin/'));
      await page.waitForSelector('#signin:not([hidden])');
      await check(page, l, 'back-office', 'h1', 'admin.title');
      // Signed in: the editor, the list, the site settings.
      await page.fill('#token', stack.adminToken);
      await page.press('#token', 'Enter');
      await page.waitForSelector('#console:not([hidden])');
      await page.locator(`#events > li[data-id="${ev.id}"]`).waitFor();
      await check(page, l, 'back-office, signed in', '#events-title', 'admin.events');

      // Last (the choice is remembered on the device): the switcher, from
      // this language to the next, on the visitor page.
      const next = LANGS[(LANGS.indexOf(l) + 1) % LANGS.length];
      await page.goto(lib.pageUrl(stack, `e/${ev.id}`));
      await page.waitForSelector('#join-form:not([hidden])');
      await page.locator('#thread .msg-question').first().waitFor();
      await page.getByRole('button', { name: NATIVE[next] }).click();
      await check(page, next, `visitor page switched from ${l}`, '#participate-title', 'visitor.participate');
      assert.equal(await page.getAttribute(`#lang-switch button[lang="${next}"]`, 'aria-pressed'), 'true');
      assert.equal(await page.getAttribute(`#lang-switch button[lang="${l}"]`, 'aria-pressed'), 'false');
      await page.context().close();
    });
  }

  it('six language buttons fit a phone (320 px): no horizontal scrolling', async () => {
    const page = await lib.openPage(browser, { locale: 'pl-PL', viewport: { width: 320, height: 640 } });
    for (const rel of ['', `e/${ev.id}`]) {
      await page.goto(lib.pageUrl(stack, rel));
      await page.locator('#lang-switch button').nth(5).waitFor();
      assert.equal(await lib.horizontalOverflow(page), null, `${rel || 'index'} at 320 px`);
    }
    await page.context().close();
  });

  it('the switcher loads a catalogue on demand; a question goes out in the language picked; the thread can show only mine', async () => {
    const page = await lib.openPage(browser, { locale: 'fr-FR', timezoneId: 'America/New_York' });
    const fetched = [];
    page.on('request', (r) => {
      const m = /assets\/js\/i18n\/(\w+)\.js/.exec(r.url());
      if (m) fetched.push(m[1]);
    });
    await page.goto(lib.pageUrl(stack, `e/${ev.id}`));
    await page.waitForSelector('#join-form:not([hidden])');
    await page.locator('#thread .msg-question').first().waitFor();
    assert.deepEqual(fetched, ['fr'], 'a French browser fetches the French catalogue only');

    // The debate's times are on its clock (time_zone, Europe/Paris by
    // default), named for a reader in New York. A server without the field:
    // the reader's own clock, unnamed.
    const zone = await page.evaluate(async (url) => (await (await fetch(url)).json()).time_zone, lib.pageUrl(stack, `api/events/${ev.id}`));
    if (zone) assert.match(await page.textContent('#when'), /\(.+\)$/, 'the zone is named when it is not the reader\'s');

    await page.getByRole('button', { name: 'Polski' }).click();
    await lib.waitInPage(page, () => document.documentElement.lang === 'pl', null, { what: 'Polish interface' });
    assert.equal(await page.textContent('#participate-title'), cat.pl['visitor.participate']);
    assert.ok(fetched.includes('pl'), 'Polish fetched when asked for');
    assert.ok(!fetched.includes('it') && !fetched.includes('es'), 'nothing else fetched');

    // The question's language: the interface's by default, any of the debate's by choice.
    await page.fill('#join-name', 'Zofia');
    await page.click('#join-submit');
    await page.waitForSelector('#ask-form:not([hidden])');
    assert.ok(await page.isVisible('#question-lang'), 'a choice of language for a debate in several');
    assert.equal(await page.inputValue('#question-lang'), 'pl', 'the interface language by default');
    await page.selectOption('#question-lang', 'it');
    const posted = page.waitForRequest((r) => r.method() === 'POST' && /\/questions$/.test(r.url()));
    await page.fill('#question', 'Quando iniziano i lavori?');
    await page.click('#ask-submit');
    assert.equal(JSON.parse((await posted).postData()).lang, 'it', 'the question goes out in Italian');
    await page.locator('#my-questions [data-status="pending"]').waitFor();

    // Only my language: the German question (and its answer) go, the Polish one stays.
    const german = page.locator('#thread > li.msg-question', { hasText: 'Wann beginnen' });
    const polish = page.locator('#thread > li.msg-question', { hasText: 'Czy drzewa' });
    assert.ok(await german.isVisible());
    await page.check('#thread-only-mine');
    await german.waitFor({ state: 'hidden' });
    assert.ok(await polish.isVisible(), 'a question in Polish stays');
    await lib.assertAccessible(page, 'visitor page filtered to Polish');
    await page.reload();
    await page.locator('#thread .msg-question').first().waitFor({ state: 'attached' });
    assert.equal(await page.isChecked('#thread-only-mine'), true, 'the filter is remembered');
    await german.waitFor({ state: 'hidden' });
    await page.uncheck('#thread-only-mine');
    await german.waitFor();
    await lib.assertNoProblems(page, 'visitor page');
    await page.context().close();
  });
});

'use strict';
// The plain view (api/events/{id}/thread.html) in a real browser: a
// visitor with JavaScript off finds the link on the visitor page and reads
// the thread by following it; the page passes axe-core, reflows on a
// narrow screen and uses the site's stylesheet without breaking the CSP;
// with JavaScript on, the visitor page's permanent link points to it.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');

describe('the plain view of the thread', () => {
  let stack;
  let browser;
  let ev;
  let enEv;

  before(async () => {
    stack = await lib.startStack();
    ev = await stack.createEvent({
      title: 'Conseil de quartier : la place du marché',
      guests: [{ name: 'Karim Benali', role: 'Adjoint à l’urbanisme' }],
      languages: ['fr', 'en', 'ar'],
    });
    const invites = await stack.invite(ev.id);
    const citizen = await stack.join(ev.id, 'Lou');
    const mod = stack.bearer(invites.moderator_token, 'moderator', ev.id);
    const guestApi = stack.bearer(invites.guest_token, 'guest', ev.id);
    const first = lib.expectOk(await citizen.ask(ev.id, 'Combien de places de stationnement resteront ?', 'fr'), 202).id;
    lib.expectOk(await mod.act(ev.id, first, 'publish'), 200);
    lib.expectOk(await mod.act(ev.id, first, 'forward'), 200);
    lib.expectOk(await guestApi.post(`/api/events/${ev.id}/answers`, { question_id: first, text: 'Une centaine.' }), 201);
    const rtl = lib.expectOk(await citizen.ask(ev.id, 'هل ستبقى الأشجار؟', 'ar'), 202).id;
    lib.expectOk(await mod.act(ev.id, rtl, 'publish'), 200);
    lib.expectOk(await mod.post(`/api/events/${ev.id}/announcements`, { text: 'Le débat commence.', lang: 'fr' }), 201);
    lib.expectOk(await citizen.ask(ev.id, 'Une question pas encore relue', 'fr'), 202);

    enEv = await stack.createEvent({ title: 'Neighbourhood council', languages: ['en', 'fr'] });
    browser = await lib.launch();
  });

  after(async () => {
    if (browser) await browser.close();
    if (stack) await stack.stop();
  });

  it('without JavaScript, the visitor page offers it, and following the link shows the thread', async () => {
    const page = await lib.openPage(browser, { javaScript: false });
    await page.goto(lib.pageUrl(stack, `e/${ev.id}`));
    const link = page.getByRole('link', { name: 'Lire le fil du débat en version texte simple' });
    assert.ok(await link.isVisible(), 'the <noscript> link is shown');
    assert.ok(await page.locator('#plain-view-link').isVisible(), 'the permanent link is shown too');
    await link.click();
    await page.waitForURL(/\/api\/events\/[^/]+\/thread\.html$/);
    assert.equal(new URL(page.url()).pathname, `${stack.prefix}api/events/${ev.id}/thread.html`);
    assert.equal(await page.locator('h1').textContent(), 'Conseil de quartier : la place du marché');
    const texts = await page.locator('.thread > li > .msg-text').allTextContents();
    assert.deepEqual(texts, ['Le débat commence.', 'هل ستبقى الأشجار؟', 'Combien de places de stationnement resteront ?'], 'newest first');
    assert.equal(await page.locator('.thread .answers .msg-text').textContent(), 'Une centaine.');
    assert.equal(await page.getByText('Une question pas encore relue').count(), 0);
    // Refresh is a plain link to the page itself.
    await page.getByRole('link', { name: 'Actualiser le fil' }).click();
    await page.waitForLoadState();
    assert.equal(new URL(page.url()).pathname, `${stack.prefix}api/events/${ev.id}/thread.html`);
    await page.getByRole('link', { name: 'Page interactive du débat' }).click();
    await page.waitForURL(new RegExp(`/e/${ev.id}$`));
    await page.context().close();
  });

  it('passes axe-core, carries each text’s language, reflows at 320 px and loads its styles without a CSP violation', async () => {
    const page = await lib.openPage(browser, { viewport: { width: 320, height: 640 } });
    const res = await page.goto(lib.pageUrl(stack, `api/events/${ev.id}/thread.html`));
    assert.equal(res.status(), 200);
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.equal(await page.locator('main').count(), 1);
    assert.equal(await page.locator('h1').count(), 1);
    assert.equal(await page.getAttribute('.msg-text >> text=هل ستبقى الأشجار؟', 'lang'), 'ar');
    assert.equal(await page.getAttribute('.msg-text >> text=هل ستبقى الأشجار؟', 'dir'), 'auto');
    // The site's stylesheet applies (answers are indented and marked).
    assert.notEqual(await page.evaluate(() => getComputedStyle(document.querySelector('.msg-answer')).borderLeftWidth), '0px');
    assert.equal(await lib.horizontalOverflow(page), null);
    await lib.assertAccessible(page, 'plain view');
    await lib.assertNoProblems(page, 'plain view');
    // The skip link leads to the content.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
    await page.context().close();
  });

  it('is in English for a debate whose first language is English, and passes axe-core', async () => {
    const page = await lib.openPage(browser, { locale: 'fr-FR' });
    await page.goto(lib.pageUrl(stack, `api/events/${enEv.id}/thread.html`));
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.ok(await page.getByRole('link', { name: 'Refresh the thread' }).isVisible());
    assert.ok(await page.getByText('Nothing has been published yet.').isVisible());
    await lib.assertAccessible(page, 'plain view in English');
    await lib.assertNoProblems(page, 'plain view in English');
    await page.context().close();
  });

  it('with JavaScript, the visitor page’s permanent link points to the plain view', async () => {
    const page = await lib.openPage(browser);
    await page.goto(lib.pageUrl(stack, `e/${ev.id}`));
    await page.locator('#thread .msg-question').first().waitFor();
    const link = page.locator('#plain-view-link');
    assert.ok(await link.isVisible());
    assert.equal(await link.textContent(), 'Version texte simple');
    assert.equal(await link.evaluate((a) => a.href), lib.pageUrl(stack, `api/events/${ev.id}/thread.html`));
    assert.equal(await page.locator('noscript').count(), 1);
    await lib.assertNoProblems(page, 'visitor page');
    await page.context().close();
  });
});

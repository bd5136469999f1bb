'use strict';
// The dashboard (e/{id}/stats) and a closed debate's page as its archive,
// in a real browser. The dashboard opens with a moderator's invite link,
// shows the figures as big numbers and charts with their tables, and
// follows what happens; the archive shows the whole thread with each answer
// under its question, the open-data downloads with their licence, and
// prints without the screen's controls (print media, and page.pdf()).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');

describe('the dashboard and the archive', () => {
  let stack;
  let browser;
  let ev;
  let mod;
  let invites;
  let citizen;

  before(async () => {
    stack = await lib.startStack({ env: { PALABRE_QUESTIONS_PER_WINDOW: '1000', PALABRE_QUESTIONS_PER_ADDRESS: '100000' } });
    ev = await stack.createEvent({
      title: 'Budget participatif 2027',
      languages: ['fr', 'en'],
      guests: [{ name: 'Inès Moreau', role: 'Maire' }],
      branding: { organiser: 'Ville de Lune' },
    });
    invites = await stack.invite(ev.id);
    mod = stack.bearer(invites.moderator_token, 'moderator', ev.id);
    citizen = await stack.join(ev.id, 'Lou');
    browser = await lib.launch();
  });

  after(async () => {
    if (browser) await browser.close();
    if (stack) await stack.stop();
  });

  const ask = async (text, lang = 'fr') => lib.expectOk(await citizen.ask(ev.id, text, lang), 202).id;

  it('the dashboard shows the figures, follows them, has a table for each chart and passes axe-core', async () => {
    const page = await lib.openPage(browser);
    await page.goto(lib.pageUrl(stack, `e/${ev.id}/stats#t=${invites.moderator_token}`));
    await page.waitForSelector('#dashboard:not([hidden])');
    assert.equal(new URL(page.url()).hash, '', 'the token left the address bar');
    await lib.waitInPage(page, () => document.querySelector('#n-received').textContent === '0', null, { what: '0 received' });
    assert.match(await page.locator('h1').textContent(), /Budget participatif 2027/);

    const q1 = await ask('Combien pour les écoles ?');
    await ask('What about the parks?', 'en');
    const q3 = await ask('Parlons d’autre chose.');
    lib.expectOk(await mod.act(ev.id, q1, 'publish'), 200);
    lib.expectOk(await mod.act(ev.id, q3, 'reject', { reason: 'off_topic' }), 200);
    // Refreshed every few seconds: the page catches up by itself.
    await lib.waitInPage(page, () => document.querySelector('#n-received').textContent === '3', null,
      { what: '3 received on the page', timeout: 20000 });
    await lib.waitInPage(page, () => document.querySelector('#n-rejected').textContent === '1', null, { what: '1 set aside' });
    assert.equal(await page.locator('#n-published').textContent(), '1');
    assert.equal(await page.locator('#n-pending').textContent(), '1');

    // Bars drawn in SVG by the page, each with its table.
    assert.equal(await page.locator('#lang-chart svg[role="img"] rect.chart-bar').count(), 2);
    const langRows = await page.locator('#lang-table tbody tr').evaluateAll((rows) => rows.map((r) => Array.from(r.cells, (c) => c.textContent).join(' ')));
    assert.deepEqual(langRows, ['français 2', 'anglais 1']);
    const reasonLabel = await page.locator('#reason-chart svg').getAttribute('aria-label');
    assert.match(reasonLabel, /Hors sujet 1/);
    await page.locator('#reason-table').evaluate((t) => { t.closest('details').open = true; });
    assert.match(await page.locator('#reason-table tbody').textContent(), /Hors sujet\s*1/);
    // The timeline: its first point comes with the first tick of the phase clock.
    await lib.waitInPage(page, () => document.querySelectorAll('#timeline-table tbody tr').length >= 1, null,
      { what: 'a timeline point', timeout: 20000 });
    assert.equal(await page.locator('#timeline-chart svg[role="img"]').count(), 2);

    await lib.assertAccessible(page, 'the dashboard');
    await lib.assertNoProblems(page, 'the dashboard');
    await lib.guideScreenshot(page, 'dashboard', { fullPage: true });
    await page.context().close();
  });

  it('refuses the dashboard to someone without a staff session, saying why', async () => {
    const page = await lib.openPage(browser);
    await page.goto(lib.pageUrl(stack, `e/${ev.id}/stats`));
    await lib.waitInPage(page, () => document.querySelector('#auth-problem').textContent.length > 0, null, { what: 'the explanation' });
    assert.ok(await page.locator('#dashboard').isHidden());
    await lib.assertAccessible(page, 'the refused dashboard');
    await page.context().close();
  });

  it('a closed debate reads as its archive: the whole thread, answers under questions, downloads and licence', async () => {
    const guest = stack.bearer(invites.guest_token, 'guest', ev.id);
    const questions = [];
    for (let i = 1; i <= 12; i++) {
      const id = await ask(`Question numéro ${i} sur le budget ?`);
      lib.expectOk(await mod.act(ev.id, id, 'publish'), 200);
      questions.push(id);
    }
    lib.expectOk(await guest.post(`/api/events/${ev.id}/answers`, { question_id: questions[2], text: 'Réponse à la troisième.' }), 201);
    lib.expectOk(await guest.post(`/api/events/${ev.id}/answers`, { question_id: questions[9], text: 'Réponse à la dixième.' }), 201);
    lib.expectOk(await stack.asAdmin().patch(`/api/events/${ev.id}`, { closed: true }), 200, 'close');

    const page = await lib.openPage(browser);
    const streams = [];
    page.on('request', (r) => { if (/\/(stream|poll)(\?|$)/.test(r.url())) streams.push(r.url()); });
    await page.goto(lib.pageUrl(stack, `e/${ev.id}`));
    await page.waitForSelector('#archive:not([hidden])');
    // Every published question (the first one of the dashboard's test too).
    await lib.waitInPage(page, () => document.querySelectorAll('#thread > li[data-kind="question"]').length === 13, null,
      { what: 'the 13 questions' });
    const third = page.locator('#thread > li', { hasText: 'Question numéro 3 sur' });
    assert.equal(await third.locator('.answers .msg-text').textContent(), 'Réponse à la troisième.');
    const tenth = page.locator('#thread > li', { hasText: 'Question numéro 10 sur' });
    assert.equal(await tenth.locator('.answers .msg-text').textContent(), 'Réponse à la dixième.');
    assert.deepEqual(streams, [], 'no live stream for a closed debate');

    assert.match(await page.getAttribute('#archive-csv', 'href'), new RegExp(`/api/events/${ev.id}/transcript\\.csv$`));
    assert.match(await page.getAttribute('#archive-json', 'href'), new RegExp(`/api/events/${ev.id}/transcript\\.json$`));
    const licence = page.locator('#archive-licence');
    await lib.waitInPage(page, () => document.querySelector('#archive-licence').textContent.length > 0, null, { what: 'the licence' });
    assert.match(await licence.textContent(), /Licence Ouverte|Etalab|\S/);
    assert.match(await licence.getAttribute('href'), /^https?:\/\//);
    assert.equal(await page.locator('#organiser-item').textContent(), 'Organisé par\u00a0: Ville de Lune');
    assert.equal(await page.locator('#guests li').count(), 1);
    const csv = await page.evaluate(async (u) => (await fetch(u)).text(), await page.getAttribute('#archive-csv', 'href'));
    assert.match(csv, /^id,kind,reply_to,author,lang,ts,text\r\n/);
    const json = await page.evaluate(async (u) => (await fetch(u)).json(), await page.getAttribute('#archive-json', 'href'));
    assert.equal(json.licence.name, await licence.textContent(), 'the file names the licence the page shows');
    assert.equal(json.licence.url, await licence.getAttribute('href'));

    await lib.assertAccessible(page, 'the archive');
    await lib.assertNoProblems(page, 'the archive');
    await lib.guideScreenshot(page, 'archive');

    // Printed: no buttons, forms or live indicator; the title, the date and
    // the organiser at the top; links show their address.
    await page.emulateMedia({ media: 'print' });
    for (const sel of ['#archive-print', '#participate', '.header-nav', '#connection', '.plain-view']) {
      assert.ok(await page.locator(sel).first().isHidden(), `${sel} is not printed`);
    }
    for (const sel of ['#event-title', '#when', '#organiser-item', '#archive-csv']) {
      assert.ok(await page.locator(sel).isVisible(), `${sel} is printed`);
    }
    const after = await page.evaluate(() => getComputedStyle(document.querySelector('#archive-csv'), '::after').content);
    assert.match(after, /transcript\.csv|attr\(href\)/, 'the address follows the link');
    const keep = await third.evaluate((li) => getComputedStyle(li).breakInside);
    assert.equal(keep, 'avoid');
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 1000 && pdf.subarray(0, 4).toString() === '%PDF', 'a PDF comes out');
    await page.context().close();
  });

  it('the transcript page prints too', async () => {
    const page = await lib.openPage(browser);
    await page.goto(lib.pageUrl(stack, `api/events/${ev.id}/transcript.html`));
    await page.emulateMedia({ media: 'print' });
    const keep = await page.locator('.transcript .thread > li').first().evaluate((li) => getComputedStyle(li).breakInside);
    assert.equal(keep, 'avoid');
    const pdf = await page.pdf({ format: 'A4' });
    assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
    await page.context().close();
  });
});

'use strict';
// Pages behind a network that holds Server-Sent Events back (a corporate or
// mobile-operator proxy that buffers responses) fall back to long-poll and
// go on showing the debate live; once the network lets streams through
// again, they return to SSE. The proxy is a second nginx in front of
// Palabre's (tests/support/buffering_proxy.js): whole answers pass, a
// stream's headers and frames stay in its buffers.
//
// 1. The visitor page through the proxy: no hello within the (shortened)
//    hello timeout, so it polls; messages published by a moderator (API)
//    show within a few seconds, each once, in order, also those published
//    while the page was switching; the status line says "slow mode" in
//    words and offers the plain view; axe-core finds nothing.
// 2. The moderator console gets new pending questions through staff/poll,
//    the guest console the forwarded ones.
// 3. Straight to Palabre's nginx, the same page stays on SSE.
// 4. The network stops buffering: after the (shortened) wait the page
//    opens an EventSource again while still polling, and stops polling once
//    it brought its hello; nothing lost or doubled across the switch.
//
// The timings come from window.PALABRE_STREAM_TIMINGS (stream.js), set
// before the pages' scripts run.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');
const { startBufferingProxy } = require('../support/buffering_proxy');

const HELLO_TIMEOUT_MS = 1500;

describe('pages fall back to long-poll behind a proxy that buffers the live stream', () => {
  let stack;
  let proxy;
  let proxyDir;
  let browser;
  let ev;
  let invites;
  let mod;
  let n = 0;
  const pages = [];

  // Through the proxy: the same mount point, on the proxy's origin.
  const viaProxy = (url) => url.replace(stack.origin, proxy.origin);

  async function announce(text = `Annonce numéro ${++n}`) {
    const body = lib.expectOk(await mod.post(`/api/events/${ev.id}/announcements`, { text, lang: 'fr' }), 201, 'announcement');
    return { id: body.id, text, at: Date.now() };
  }

  async function openWith(timings, opts = {}) {
    const page = await lib.openPage(browser, opts);
    await page.context().addInitScript((t) => {
      window.PALABRE_STREAM_TIMINGS = t;
      const Native = window.EventSource;
      window.__sources = [];
      window.EventSource = class extends Native {
        constructor(url, init) {
          super(url, init);
          window.__sources.push({ url, at: Date.now() });
        }
      };
    }, timings);
    page.polls = [];
    page.on('request', (r) => {
      if (/\/poll\?/.test(r.url())) page.polls.push({ url: r.url(), at: Date.now() });
    });
    pages.push(page);
    return page;
  }

  const connection = (page) => page.evaluate(() => {
    const c = document.querySelector('#connection');
    return { state: c.dataset.state, transport: c.dataset.transport, text: c.textContent, link: c.querySelector('a') ? c.querySelector('a').href : null };
  });

  async function waitTransport(page, transport, what, timeout = 15000) {
    await lib.waitInPage(page, (tr) => {
      const c = document.querySelector('#connection');
      return c && c.dataset.state === 'open' && c.dataset.transport === tr;
    }, transport, { what, timeout });
  }

  const threadIds = (page) => page.$$eval('#thread > li', (els) => els.map((e) => e.dataset.id));

  async function waitThread(page, ids, what, timeout = 15000) {
    await lib.waitInPage(page, (want) => {
      const have = Array.from(document.querySelectorAll('#thread > li')).map((e) => e.dataset.id);
      return want.every((id) => have.includes(id));
    }, ids, { what, timeout });
    const seenAt = Date.now();
    // Let anything that would be a duplicate arrive before counting.
    await lib.sleep(300);
    return seenAt;
  }

  before(async () => {
    stack = await lib.startStack();
    proxyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plb-proxy-'));
    proxy = await startBufferingProxy(stack.port, { dir: proxyDir });
    ev = await stack.createEvent({ title: 'Débat : derrière un proxy' });
    invites = await stack.invite(ev.id);
    mod = stack.bearer(invites.moderator_token, 'moderator', ev.id);
    browser = await lib.launch();
  });

  after(async () => {
    if (browser) await browser.close();
    if (proxy) await proxy.stop();
    if (proxyDir) fs.rmSync(proxyDir, { recursive: true, force: true });
    if (stack) await stack.stop();
  });

  it('the visitor page polls instead, shows each message once and in order, and says it is in slow mode', async () => {
    const page = await openWith({ helloTimeout: HELLO_TIMEOUT_MS });
    const before1 = await announce('Avant l’arrivée du visiteur');
    const t0 = Date.now();
    await page.goto(viaProxy(lib.pageUrl(stack, `e/${ev.id}`)));
    // Published while the page loads, waits for its hello and switches.
    const around = [];
    const publishing = (async () => {
      for (let i = 0; i < 6; i++) {
        around.push(await announce(`Pendant le passage au long-poll ${i + 1}`));
        await lib.sleep(300);
      }
    })();
    await waitTransport(page, 'poll', 'the page to fall back to long-poll');
    const switchMs = Date.now() - t0;
    await publishing;
    const expected = [before1, ...around].map((m) => m.id);
    await waitThread(page, expected, 'the messages published before and around the switch');
    assert.deepEqual(await threadIds(page), expected, 'each once, in order');

    // Live through long-poll: each new message within a few seconds.
    const lags = [];
    for (let i = 0; i < 3; i++) {
      const m = await announce(`En long-poll ${i + 1}`);
      lags.push((await waitThread(page, [m.id], `message ${m.id} through long-poll`, 5000)) - m.at);
      expected.push(m.id);
    }
    assert.deepEqual(await threadIds(page), expected, 'each once, in order');
    const sources = await page.evaluate(() => window.__sources.map((s) => s.url));
    assert.ok(sources.length >= 1 && sources.every((u) => /\/stream/.test(u)), 'it tried SSE first');
    assert.ok(page.polls.length >= 2, 'then polled');
    assert.ok(page.polls.every((p) => /\/api\/events\/[^/]+\/poll\?after=/.test(p.url)), `public poll with a cursor: ${page.polls.map((p) => p.url).join(' ')}`);
    process.stdout.write(`# switch to long-poll ${switchMs} ms after the page load (hello timeout ${HELLO_TIMEOUT_MS} ms); messages shown ${lags.join(', ')} ms after their publication (page checked every 100 ms)\n`);
    assert.ok(switchMs < HELLO_TIMEOUT_MS + 8000, `switched within ${switchMs} ms`);

    const conn = await connection(page);
    assert.match(conn.text, /mode dégradé/, 'the status says it in words');
    assert.ok(conn.link && conn.link.endsWith(`/api/events/${ev.id}/thread.html`), `the status offers the plain view: ${conn.link}`);
    await lib.assertAccessible(page, 'visitor page on long-poll');
    // In English too.
    await page.evaluate(async (url) => (await import(url)).switchTo('en'), viaProxy(lib.pageUrl(stack, 'assets/js/i18n.js')));
    assert.match((await connection(page)).text, /slow mode/);
    await lib.assertNoProblems(page, 'visitor page on long-poll');
  });

  it('the moderator console gets new pending questions, the guest console forwarded ones', async () => {
    const moderator = await openWith({ helloTimeout: HELLO_TIMEOUT_MS }, { locale: 'en-GB' });
    const guest = await openWith({ helloTimeout: HELLO_TIMEOUT_MS });
    await moderator.goto(viaProxy(invites.moderator_url));
    await moderator.waitForSelector('#console:not([hidden])');
    await guest.goto(viaProxy(invites.guest_url));
    await guest.waitForSelector('#console:not([hidden])');
    await waitTransport(moderator, 'poll', 'the moderator console to fall back to long-poll');
    await waitTransport(guest, 'poll', 'the guest console to fall back to long-poll');
    assert.match((await connection(moderator)).text, /slow mode/);
    assert.ok(moderator.polls.some((p) => /\/staff\/poll\?after=/.test(p.url)), 'the moderator polls staff/poll');
    assert.ok(guest.polls.some((p) => /\/staff\/poll\?after=/.test(p.url)), 'the guest polls staff/poll');

    const asked = [];
    for (let i = 0; i < 3; i++) {
      const v = await stack.join(ev.id, `Visiteur ${++n}`);
      const text = `Question en long-poll numéro ${i + 1}`;
      asked.push({ id: lib.expectOk(await v.ask(ev.id, text, 'fr'), 202).id, text, at: Date.now() });
    }
    for (const q of asked) await moderator.locator('#pending > li', { hasText: q.text }).waitFor({ timeout: 8000 });
    await lib.sleep(300);
    const pending = await moderator.$$eval('#pending .msg-text', (els) => els.map((e) => e.textContent));
    assert.deepEqual(pending, asked.map((q) => q.text), 'each pending question once, in order');

    lib.expectOk(await mod.act(ev.id, asked[1].id, 'forward'), 200, 'forward');
    await guest.locator('#todo > li', { hasText: asked[1].text }).waitFor({ timeout: 8000 });
    assert.equal(await guest.locator('#todo > li').count(), 1, 'the guest sees the forwarded question only');
    await lib.assertNoProblems(moderator, 'moderator console on long-poll');
    await lib.assertNoProblems(guest, 'guest console on long-poll');
  });

  it('straight to Palabre, the visitor page stays on SSE', async () => {
    const page = await openWith({ helloTimeout: HELLO_TIMEOUT_MS });
    await page.goto(lib.pageUrl(stack, `e/${ev.id}`));
    await waitTransport(page, 'sse', 'the stream to open');
    const m = await announce('En direct par SSE');
    await waitThread(page, [m.id], 'the message through SSE', 5000);
    await lib.sleep(HELLO_TIMEOUT_MS + 500);
    const conn = await connection(page);
    assert.equal(conn.transport, 'sse', 'still SSE after the hello timeout');
    assert.equal(conn.text, 'En direct');
    assert.equal(conn.link, null, 'no plain-view link in the status on SSE');
    assert.deepEqual(page.polls, [], 'no long-poll');
    await lib.assertNoProblems(page, 'visitor page on SSE');
  });

  it('once the network lets streams through, the page returns to SSE without losing or doubling a message', async () => {
    const timings = { helloTimeout: HELLO_TIMEOUT_MS, sseRetryAfter: 2000, sseRetryMax: 4000 };
    const page = await openWith(timings);
    await page.goto(viaProxy(lib.pageUrl(stack, `e/${ev.id}`)));
    await waitTransport(page, 'poll', 'the page to fall back to long-poll');
    const switchedAt = Date.now();
    const expected = await threadIds(page);
    // Two SSE tries fail while the proxy still buffers (2 s, then 4 s).
    await lib.waitUntil(() => page.evaluate(() => window.__sources.length >= 3),
      { timeoutMs: 15000, what: 'two tries of SSE while buffered' });
    const triesBuffered = await page.evaluate(() => window.__sources.map((s) => s.at));
    assert.equal((await connection(page)).transport, 'poll', 'still polling after a failed try');
    expected.push((await announce('Pendant les essais de SSE')).id);

    await proxy.setBuffering(false);
    const reloadedAt = Date.now();
    const publishing = (async () => {
      for (let i = 0; i < 8; i++) {
        expected.push((await announce(`Autour du retour au SSE ${i + 1}`)).id);
        await lib.sleep(400);
      }
    })();
    await waitTransport(page, 'sse', 'the page to return to SSE', 20000);
    const backMs = Date.now() - reloadedAt;
    await publishing;
    const pollsAfterSse = page.polls.length;
    expected.push((await announce('Après le retour au SSE')).id);
    await waitThread(page, expected, 'every message across the return to SSE', 15000);
    const ids = await threadIds(page);
    assert.deepEqual(ids, expected, 'every message once, in order');
    await lib.sleep(1000);
    assert.equal(page.polls.length, pollsAfterSse, 'no poll once back on SSE');
    const gaps = triesBuffered.slice(1).map((t, i) => t - (i === 0 ? switchedAt : triesBuffered[i]));
    process.stdout.write(`# back to SSE ${backMs} ms after the proxy stopped buffering; SSE tries while buffered after ${gaps.join(', ')} ms\n`);
    assert.ok(gaps.length >= 2 && gaps[1] > gaps[0], `the wait between tries doubles: ${gaps.join(', ')}`);
    await lib.assertNoProblems(page, 'visitor page back on SSE');
  });
});

'use strict';
// The visitor's live stream drops and comes back: nothing published in the
// meantime is missed, nothing is shown twice, and the order holds.
//
// 1. The browser's connection is cut (the test closes the page's EventSource
//    and fires its error event, as a network drop does). The first reconnect
//    attempt fails too; the second is answered with the WHOLE history (as a
//    server that ignored the cursor would), so the page must drop the frames
//    it already has; the third reaches the real server, resuming after the
//    last id seen.
// 2. The worker itself stops and starts again (cluster only): the page backs
//    off while nginx has no worker, then resumes.
// 3. The delays between attempts are drawn over the whole back-off interval
//    ("full jitter"), so that the audience of a restarted worker does not
//    come back in one wave.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');

describe('the visitor\'s live thread survives a dropped stream', () => {
  let stack;
  let browser;
  let ev;
  let citizen;
  let mod;
  let page;
  let n = 0;
  const streamRequests = [];

  async function publishOne() {
    n += 1;
    const text = `Question numéro ${n} pendant le direct`;
    const id = lib.expectOk(await citizen.ask(ev.id, text, 'fr'), 202, 'ask').id;
    lib.expectOk(await mod.act(ev.id, id, 'publish'), 200, 'publish');
    return { id, text };
  }

  async function threadIds() {
    return page.$$eval('#thread > li', (els) => els.map((e) => e.dataset.id));
  }

  async function waitForThread(count, what) {
    await lib.waitInPage(page, (c) => document.querySelectorAll('#thread > li').length >= c, count,
      { what, timeout: 30000 });
    // Let anything that would be a duplicate arrive before counting.
    await lib.sleep(300);
  }

  before(async () => {
    stack = await lib.startStack();
    ev = await stack.createEvent({ title: 'Débat : reprise du direct' });
    const invites = await stack.invite(ev.id);
    citizen = await stack.join(ev.id, 'Sacha');
    mod = stack.bearer(invites.moderator_token, 'moderator', ev.id);
    browser = await lib.launch();
    page = await lib.openPage(browser, { initScript: lib.recordEventSources });
    page.on('request', (r) => {
      if (/\/api\/events\/[^/]+\/stream(\?|$)/.test(r.url())) streamRequests.push(r.url());
    });
  });

  after(async () => {
    if (browser) await browser.close();
    if (stack) await stack.stop();
  });

  it('shows what was published before the visitor arrived, and live', async () => {
    const first = await publishOne();
    await page.goto(lib.pageUrl(stack, `e/${ev.id}`));
    await page.locator('#thread > li').first().waitFor();
    const second = await publishOne();
    await waitForThread(2, 'two questions');
    assert.deepEqual(await threadIds(), [first.id, second.id]);
  });

  it('after a network drop, a failed retry and an over-long replay, every message is there once, in order', async () => {
    const expected = await threadIds();
    let attempts = 0;
    let releaseReplay;
    const replayReady = new Promise((resolve) => { releaseReplay = resolve; });
    let replayLastId = null;
    const pattern = /\/api\/events\/[^/]+\/stream\?last_event_id=/;
    const handler = async (route) => {
      attempts += 1;
      if (attempts === 1) {
        await route.abort('connectionreset');
        return;
      }
      if (attempts > 2) {
        await route.continue();
        return;
      }
      await replayReady;
      // Everything from the start, like a server that ignored the cursor.
      const sse = await stack.sse(`/api/events/${ev.id}/stream`);
      const frames = await sse.waitForCount(expected.length, (f) => f.event === 'message', 10000, 'the history');
      sse.close();
      replayLastId = frames[frames.length - 1].id;
      await route.fulfill({
        status: 200,
        headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' },
        body: lib.sseText(frames),
      });
      await page.unroute(pattern, handler);
    };
    await page.route(pattern, handler);

    await lib.dropStream(page, '/stream');
    await lib.waitInPage(page, () => document.querySelector('#connection').dataset.state === 'reconnecting',
      null, { what: 'the page to say it is reconnecting' });

    // Published while the visitor is cut off.
    expected.push((await publishOne()).id, (await publishOne()).id);
    releaseReplay();
    await waitForThread(expected.length, 'the questions published during the drop');
    assert.ok(attempts >= 2, 'one failed attempt, then the replay');

    // After the replay ends, the page resumes from the last id it saw.
    await lib.waitUntil(() => streamRequests.some((u) => u.includes(`last_event_id=${encodeURIComponent(replayLastId)}`)),
      { timeoutMs: 30000, what: `a stream request resuming after ${replayLastId}` });
    await lib.waitInPage(page, () => document.querySelector('#connection').dataset.state === 'open',
      null, { what: 'the stream to be open again', timeout: 30000 });
    expected.push((await publishOne()).id);
    await waitForThread(expected.length, 'the question published after the reconnection');

    const ids = await threadIds();
    assert.deepEqual(ids, expected, 'every message once, in order');
    assert.equal(new Set(ids).size, ids.length, 'no duplicate');
    await lib.assertNoProblems(page, 'visitor page');
  });

  it('after the worker stops and starts again, the page resumes where it was', async (t) => {
    if (typeof stack.killWorker !== 'function' || !stack.workers.length) {
      t.skip('needs a cluster started by the test (not PALABRE_BROWSER_URL)');
      return;
    }
    const expected = await threadIds();
    const before = streamRequests.length;
    await stack.killWorker(0);
    await lib.waitInPage(page, () => document.querySelector('#connection').dataset.state !== 'open',
      null, { what: 'the page to notice the drop', timeout: 30000 });
    await stack.startWorker(0);
    expected.push((await publishOne()).id);
    await waitForThread(expected.length, 'the question published around the restart');
    expected.push((await publishOne()).id);
    await waitForThread(expected.length, 'the question published after the restart');
    const ids = await threadIds();
    assert.deepEqual(ids, expected, 'every message once, in order');
    const resumed = streamRequests.slice(before);
    assert.ok(resumed.length >= 1 && resumed.every((u) => u.includes('last_event_id=')),
      `reconnections resume after a cursor: ${resumed.join(', ')}`);
    await lib.assertNoProblems(page, 'visitor page');
  });

  it('the delays between reconnections are spread over the whole interval, from 250 ms up to the ceiling', async () => {
    const samples = await page.evaluate(async (url) => {
      const { fullJitter } = await import(url);
      const out = {};
      for (const attempt of [0, 3, 10]) {
        out[attempt] = Array.from({ length: 2000 }, () => fullJitter(attempt, { base: 1000, max: 30000 }));
      }
      return out;
    }, lib.pageUrl(stack, 'assets/js/backoff.js'));
    for (const [attempt, ceiling] of [[0, 1000], [3, 8000], [10, 30000]]) {
      const xs = samples[attempt];
      const min = Math.min(...xs);
      const max = Math.max(...xs);
      assert.ok(min >= 250, `attempt ${attempt}: never below the 250 ms floor (${min})`);
      assert.ok(max <= ceiling, `attempt ${attempt}: never above min(30 s, 1 s × 2^attempt) = ${ceiling} (${max})`);
      // Full jitter, not "half the ceiling plus jitter": the lower quarter is
      // reached too (the chance that 2,000 draws all miss it is 0.75^2000).
      assert.ok(xs.some((x) => x < Math.max(250, ceiling / 4) + 1), `attempt ${attempt}: low delays too`);
      assert.ok(xs.some((x) => x > ceiling * 0.75), `attempt ${attempt}: high delays too`);
    }
  });
});

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

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');

// Runs in the page before its scripts: keeps every EventSource it creates.
function recordEventSources() {
  const Native = window.EventSource;
  window.__sources = [];
  window.EventSource = class extends Native {
    constructor(url, init) {
      super(url, init);
      window.__sources.push(this);
    }
  };
}

function sseText(frames) {
  return frames.map((f) => `id: ${f.id}\nevent: ${f.event}\ndata: ${f.raw}\n\n`).join('');
}

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
    page = await lib.openPage(browser, { initScript: recordEventSources });
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
        body: sseText(frames),
      });
      await page.unroute(pattern, handler);
    };
    await page.route(pattern, handler);

    await page.evaluate(() => {
      const es = window.__sources[window.__sources.length - 1];
      es.close();
      es.dispatchEvent(new Event('error'));
    });
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
});

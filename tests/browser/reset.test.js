'use strict';
// When the server cannot resume a stream from the page's cursor (too old,
// newer than anything it has, or from before Redis lost its data), it sends
// `event: reset` and then the whole history again under new ids. Each page
// then drops what it shows and rebuilds: the visitor's thread from the frames
// that follow, the moderator's and the guest's lists from their REST queue.
//
// The first cases serve a crafted reset (page.route), so they hold whatever
// the server does. The cases marked "(server)" need the server's side of the
// contract: a real reset for a cursor ahead of the history, and after Redis
// restarts empty.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');

const FAR_AHEAD = '9999999999999-0';

// Routes the page's stream requests matching `pattern`: the n-th is answered
// by steps[n - 1]() (an SSE body, awaited), and those after the last step are
// held without an answer, so that nothing else reaches the page meanwhile.
// Returns the URLs requested.
async function scriptStream(page, pattern, steps) {
  const urls = [];
  await page.route(pattern, async (route) => {
    urls.push(route.request().url());
    const step = steps[urls.length - 1];
    if (!step) return; // held: the page stays "reconnecting" until it closes
    const body = await step();
    await route.fulfill({ status: 200, headers: lib.SSE_HEADERS, body }).catch(() => {});
  });
  return urls;
}

function gate() {
  let open;
  const opened = new Promise((resolve) => { open = resolve; });
  return { open, opened };
}

describe('a page rebuilds what it shows when the server restarts a stream\'s history', () => {
  let stack;
  let browser;
  let ev;
  let citizen;
  let mod;
  let n = 0;

  async function publishOne(eventId = ev.id, who = citizen) {
    n += 1;
    const text = `Question ${n} avant la remise à zéro`;
    const id = lib.expectOk(await who.ask(eventId, text, 'fr'), 202, 'ask').id;
    lib.expectOk(await mod.act(eventId, id, 'publish'), 200, 'publish');
    return id;
  }

  // The public history as a new client receives it.
  async function history(eventId, count) {
    const sse = await stack.sse(`/api/events/${eventId}/stream`);
    try {
      return await sse.waitForCount(count, (f) => f.event === 'message', 10000, `${count} messages`);
    } finally {
      sse.close();
    }
  }

  async function visitor(eventId) {
    const page = await lib.openPage(browser, { initScript: lib.recordEventSources });
    await page.goto(lib.pageUrl(stack, `e/${eventId}`));
    await lib.waitInPage(page, () => document.querySelector('#connection').dataset.state === 'open',
      null, { what: 'the public stream to open' });
    return page;
  }

  function threadIds(page) {
    return page.$$eval('#thread > li', (els) => els.map((e) => e.dataset.id));
  }

  async function waitForThread(page, ids, what) {
    try {
      await lib.waitInPage(page, (want) => {
        const got = Array.from(document.querySelectorAll('#thread > li')).map((e) => e.dataset.id);
        return got.length === want.length && got.every((id, i) => id === want[i])
          && document.querySelector('#thread').getAttribute('aria-busy') === 'false';
      }, ids, { what, timeout: 30000 });
    } catch (err) {
      err.message += `\n  wanted ${JSON.stringify(ids)}\n  shown  ${JSON.stringify(await threadIds(page).catch(() => null))}`;
      throw err;
    }
  }

  before(async () => {
    stack = await lib.startStack();
    ev = await stack.createEvent({ title: 'Débat : historique remis à zéro' });
    citizen = await stack.join(ev.id, 'Sacha');
    mod = stack.asAdmin();
    browser = await lib.launch();
  });

  after(async () => {
    if (browser) await browser.close();
    if (stack) await stack.stop();
  });

  it('the visitor\'s thread is emptied and rebuilt from the frames after the reset, even those it had seen', async () => {
    const ids = [await publishOne(), await publishOne(), await publishOne()];
    const page = await visitor(ev.id);
    await waitForThread(page, ids, 'the three questions');
    const frames = await history(ev.id, 3);
    const kept = frames[1];
    const fake = {
      id: '9999999999990-0',
      event: 'message',
      raw: JSON.stringify({ id: 'q_only_in_the_new_history', kind: 'announcement', author: 'moderation',
        text: 'Le fil a été reconstruit.', lang: 'fr', reply_to: null, ts: new Date().toISOString() }),
    };
    // The history after the reset holds the second question with its very
    // same id and data: a page that kept its memory of seen frames would drop it.
    const urls = await scriptStream(page, /\/api\/events\/[^/]+\/stream\?last_event_id=/, [
      async () => lib.sseText([{ id: '1-0', event: 'reset', raw: '{"reason":"epoch"}' }, kept, fake]),
    ]);
    await lib.dropStream(page, '/stream');
    await waitForThread(page, [kept.data.id, 'q_only_in_the_new_history'], 'the rebuilt thread');
    assert.equal(await page.evaluate(() => window.__resets), 1);
    await lib.waitUntil(() => urls.length >= 2, { timeoutMs: 30000, what: 'the page to resume after the rebuilt history' });
    assert.match(urls[1], new RegExp(`last_event_id=${encodeURIComponent(fake.id)}$`),
      'it resumes after the last frame of the new history');
    assert.ok(await page.isHidden('#thread-empty'));
    await lib.assertNoProblems(page, 'visitor page');
    await lib.assertAccessible(page, 'visitor page after a reset');
    await page.context().close();
  });

  it('the moderator\'s lists are taken again from the queue, and what only the old stream said is gone', async () => {
    const ev2 = await stack.createEvent({ title: 'Débat : file de modération remise à zéro' });
    const invites = await stack.invite(ev2.id);
    const asker = await stack.join(ev2.id, 'Alix');
    const q1 = lib.expectOk(await asker.ask(ev2.id, 'Première question en attente', 'fr'), 202, 'ask').id;
    const q2 = lib.expectOk(await asker.ask(ev2.id, 'Seconde question en attente', 'fr'), 202, 'ask').id;
    const page = await lib.openPage(browser, { initScript: lib.recordEventSources });
    await page.goto(invites.moderator_url);
    await page.waitForSelector('#console:not([hidden])');
    await page.locator(`#pending li[data-id="${q2}"]`).waitFor();
    const queue = lib.expectOk(await mod.get(`/api/events/${ev2.id}/queue`), 200, 'queue');
    const fakeQuestion = { ...queue.pending[0], id: 'q_not_on_the_server', text: 'Question que seul l’ancien flux connaissait',
      created_at: new Date().toISOString(), updated_at: new Date().toISOString() };
    const queueRequests = [];
    page.on('request', (r) => {
      if (/\/api\/events\/[^/]+\/queue$/.test(r.url())) queueRequests.push(Date.now());
    });
    const resetGate = gate();
    let resetAt = 0;
    const urls = await scriptStream(page, /\/api\/events\/[^/]+\/staff\/stream\?last_event_id=/, [
      async () => lib.sseText([{ id: '9999999999990-0', event: 'question', raw: JSON.stringify(fakeQuestion) }]),
      async () => {
        await resetGate.opened;
        resetAt = Date.now();
        return lib.sseText([{ id: '1-0', event: 'reset', raw: '{"reason":"expired"}' }]);
      },
    ]);
    await lib.dropStream(page, '/staff/stream');
    await page.locator('#pending li[data-id="q_not_on_the_server"]').waitFor();
    resetGate.open();
    await page.locator('#pending li[data-id="q_not_on_the_server"]').waitFor({ state: 'detached', timeout: 30000 });
    assert.ok(queueRequests.some((at) => at >= resetAt), 'the queue was fetched again after the reset');
    assert.deepEqual(await page.$$eval('#pending > li', (els) => els.map((e) => e.dataset.id)), [q1, q2]);
    assert.equal(await page.textContent('#count-pending'), '2');
    assert.ok(urls.length >= 2);

    // The console still works: a publish goes through and moves the card.
    await page.locator(`#pending li[data-id="${q1}"] .q-toggle`).click();
    await page.locator(`#pending li[data-id="${q1}"]`).getByRole('button', { name: 'Publier', exact: true }).click();
    await page.locator(`#published li[data-id="${q1}"]`).waitFor();
    await lib.assertNoProblems(page, 'moderator console');
    await lib.assertAccessible(page, 'moderator console after a reset');
    await page.context().close();
  });

  it('the guest\'s questions are taken again from the guest queue', async () => {
    const ev3 = await stack.createEvent({ title: 'Débat : file de l’invitée remise à zéro' });
    const invites = await stack.invite(ev3.id);
    const moderator = stack.bearer(invites.moderator_token, 'moderator', ev3.id);
    const asker = await stack.join(ev3.id, 'Dominique');
    const q1 = lib.expectOk(await asker.ask(ev3.id, 'Question transmise à l’invitée', 'fr'), 202, 'ask').id;
    const forwarded = lib.expectOk(await moderator.act(ev3.id, q1, 'forward'), 200, 'forward').question;
    const page = await lib.openPage(browser, { initScript: lib.recordEventSources });
    await page.goto(invites.guest_url);
    await page.waitForSelector('#console:not([hidden])');
    await page.locator(`#todo li[data-id="${q1}"]`).waitFor();
    await lib.waitInPage(page, () => document.querySelector('#connection').dataset.state === 'open',
      null, { what: 'the staff stream to open' });
    const fake = { ...forwarded, id: 'q_not_on_the_server', text: 'Question que seul l’ancien flux connaissait',
      updated_at: new Date().toISOString() };
    const resetGate = gate();
    const guestQueue = [];
    page.on('request', (r) => {
      if (/\/guest-queue$/.test(r.url())) guestQueue.push(Date.now());
    });
    let resetAt = 0;
    await scriptStream(page, /\/api\/events\/[^/]+\/staff\/stream/, [
      async () => lib.sseText([{ id: '9999999999990-0', event: 'question', raw: JSON.stringify(fake) }]),
      async () => {
        await resetGate.opened;
        resetAt = Date.now();
        return lib.sseText([{ id: '1-0', event: 'reset', raw: '{"reason":"epoch"}' }]);
      },
    ]);
    await lib.dropStream(page, '/staff/stream');
    await page.locator('#todo li[data-id="q_not_on_the_server"]').waitFor();
    resetGate.open();
    await page.locator('#todo li[data-id="q_not_on_the_server"]').waitFor({ state: 'detached', timeout: 30000 });
    assert.ok(guestQueue.some((at) => at >= resetAt), 'the guest queue was fetched again after the reset');
    assert.deepEqual(await page.$$eval('#todo > li', (els) => els.map((e) => e.dataset.id)), [q1]);
    await lib.assertNoProblems(page, 'guest console');
    await page.context().close();
  });

  it('(server) a cursor ahead of the history gets a real reset, and the thread shows the history once', async () => {
    const page = await visitor(ev.id);
    const known = await threadIds(page);
    assert.ok(known.length >= 3);
    // The page comes back with a cursor the server has never given (as after
    // a Redis that lost its data and started its ids again).
    let rewritten = 0;
    const pattern = /\/api\/events\/[^/]+\/stream\?last_event_id=/;
    await page.route(pattern, async (route) => {
      if (rewritten) return route.continue();
      rewritten += 1;
      const u = new URL(route.request().url());
      // Same epoch prefix ("<epoch>." when the server uses one), stream id ahead.
      const cursor = u.searchParams.get('last_event_id') || '';
      u.searchParams.set('last_event_id', cursor.slice(0, cursor.lastIndexOf('.') + 1) + FAR_AHEAD);
      return route.continue({ url: u.href });
    });
    await lib.dropStream(page, '/stream');
    await lib.waitInPage(page, () => window.__resets >= 1, null,
      { what: 'a reset frame from the server for a cursor ahead of its history', timeout: 30000 });
    assert.equal(rewritten, 1);
    const all = (await history(ev.id, known.length)).map((f) => f.data.id);
    await waitForThread(page, all, 'the whole history, once');
    const fresh = await publishOne();
    await waitForThread(page, [...all, fresh], 'a question published after the reset');
    await lib.assertNoProblems(page, 'visitor page');
    await page.context().close();
  });

  it('(server) after Redis restarts empty, the thread shows the published record, each message once', async (t) => {
    if (typeof stack.restartRedis !== 'function') {
      t.skip('needs a cluster that can restart Redis (tests/support/cluster.js restartRedis)');
      return;
    }
    const ev4 = await stack.createEvent({ title: 'Débat : Redis perd ses données' });
    const before1 = await stack.join(ev4.id, 'Avant');
    const ids = [await publishOne(ev4.id, before1), await publishOne(ev4.id, before1)];
    const page = await visitor(ev4.id);
    await waitForThread(page, ids, 'the questions published before the loss');

    await stack.restartRedis({ empty: true });
    await stack.waitHealthy();
    // The page comes back with a cursor from before the loss (unless the
    // server closed its stream already, and it is on its way back).
    await lib.dropStream(page, '/stream', { required: false });
    await lib.waitInPage(page, () => window.__resets >= 1, null,
      { what: 'a reset frame after Redis lost the history', timeout: 30000 });
    // Visitor sessions lived in Redis: a new one asks after the restart.
    let after1;
    await lib.waitUntil(async () => {
      const s2 = await stack.join(ev4.id, 'Après').catch(() => null);
      after1 = s2;
      return s2;
    }, { timeoutMs: 30000, what: 'joining after Redis restarted' });
    const late = await publishOne(ev4.id, after1);
    // The published record, which the SQL archive keeps when Redis loses it:
    // what was published before the loss, then the late question.
    await waitForThread(page, [...ids, late], 'the whole published record, once each');
    const shown = await threadIds(page);
    assert.equal(new Set(shown).size, shown.length, 'no message twice');
    await lib.assertNoProblems(page, 'visitor page');
    await page.context().close();
  });
});

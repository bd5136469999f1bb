'use strict';
// Fault battery, clients that retry: visitors whose question got no answer
// because its worker was killed send it again with the same
// Idempotency-Key, and each question exists once; long-pollers whose
// worker died ask again with the same cursor, and each item arrives once.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startCluster, expectOk, waitUntil, sleep } = require('../support/cluster');
const {
  faultClients, openFileLimit, newDebate, publishLoop, publishedKeys, workerMetric, note, LongPollFleet,
} = require('../support/faults');

const CLIENTS = faultClients();
const VISITORS = 200;

let c;

before(async () => {
  assert.ok(openFileLimit() >= CLIENTS + 200, `this test may open ${openFileLimit()} files, needs ${CLIENTS + 200}: raise ulimit -n`);
  // Each visitor asks one question; the default rate limit would allow ten.
  c = await startCluster({ workers: 3, nginxWorkers: 1 });
});

after(async () => {
  if (c) await c.stop();
});

async function joinMany(d, n) {
  const visitors = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: 20 }, async () => {
    while (next < n) {
      const k = next++;
      // A crowd comes from many networks (joins are limited per address).
      visitors[k] = await c.join(d.id, `Visiteur ${k + 1}`, { from: `127.0.${Math.floor(k / 50) + 1}.${(k % 50) + 1}` });
    }
  }));
  return visitors;
}

// Asks until a 202, with the same key and body every time; honours
// Retry-After (409 idempotency_in_progress), else waits a short random delay.
async function askUntilAccepted(v, d, key, text, deadlineMs) {
  const tries = [];
  for (;;) {
    let res;
    try {
      res = await v.post(`${d.base}/questions`, { text, lang: 'fr' }, { headers: { 'Idempotency-Key': key }, timeoutMs: 10000 });
    } catch (e) {
      res = { status: 0, headers: {}, text: e.message, json: null };
    }
    tries.push(res.json && res.json.error ? `${res.status} ${res.json.error.code}` : res.status);
    if (res.status === 202) return { id: res.json.id, tries, replayed: res.headers['idempotent-replayed'] === 'true' };
    if (Date.now() > deadlineMs) return { failed: true, tries, last: res.text.slice(0, 200) };
    const retryAfter = Number(res.headers['retry-after'] || 0);
    await sleep(retryAfter > 0 ? Math.min(retryAfter, 5) * 1000 : 50 + Math.random() * 200);
  }
}

async function pendingQueue(d) {
  return expectOk(await d.admin.get(`${d.base}/queue`), 200, 'the moderator queue').pending;
}

describe('retrying clients across a worker killed with SIGKILL', () => {
  it('replays the first answer to a visitor who sends the same question with the same Idempotency-Key', async () => {
    const d = await newDebate(c, 'Rejouer une question');
    const [v] = await joinMany(d, 1);
    const key = crypto.randomUUID();
    const first = await v.post(`${d.base}/questions`, { text: 'Une seule fois ?', lang: 'fr' }, { headers: { 'Idempotency-Key': key } });
    const body = expectOk(first, 202, 'first attempt');
    const again = await v.post(`${d.base}/questions`, { text: 'Une seule fois ?', lang: 'fr' }, { headers: { 'Idempotency-Key': key } });
    assert.deepEqual(expectOk(again, 202, 'retry'), body, 'the same answer');
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual((await pendingQueue(d)).map((q) => q.id), [body.id], 'one question in the queue');
  });

  it(`keeps exactly ${VISITORS} questions when ${VISITORS} visitors ask at once while a worker is killed, retrying with the same Idempotency-Key`, async () => {
    const d = await newDebate(c, 'Questions dans la panne');
    const visitors = await joinMany(d, VISITORS);
    let answered = 0;
    let killed = null;
    const deadline = Date.now() + 45000;
    const outcomes = new Array(VISITORS);
    let next = 0;
    await Promise.all(Array.from({ length: 50 }, async () => {
      while (next < VISITORS) {
        const k = next++;
        outcomes[k] = await askUntilAccepted(visitors[k], d, `faults-${crypto.randomUUID()}`, `Question ${k + 1} : et la panne ?`, deadline);
        // Once the questions are well under way, a worker hangs (SIGSTOP)
        // with the requests nginx hands it, then is killed: those requests
        // get 502 and their visitors retry.
        if (++answered === 30) {
          c.signalWorker(1, 'SIGSTOP');
          killed = sleep(300).then(() => c.killWorker(1, 'SIGKILL'));
        }
      }
    }));
    await killed;
    const failed = outcomes.filter((o) => o.failed);
    assert.deepEqual(failed.slice(0, 5), [], `${failed.length} visitors never got their question accepted`);
    const retried = outcomes.filter((o) => o.tries.length > 1);
    const pending = await pendingQueue(d);
    note(`${VISITORS} visitors, worker stopped then killed after 30 answers: ${retried.length} retried ` +
      `(${JSON.stringify(retried.slice(0, 5).map((o) => o.tries))}), ${outcomes.filter((o) => o.replayed).length} replayed; ${pending.length} pending`);
    assert.equal(pending.length, VISITORS, 'one pending question per visitor, none twice');
    assert.equal(new Set(pending.map((q) => q.visitor_id)).size, VISITORS, 'every visitor has one question');
    const ids = new Set(pending.map((q) => q.id));
    assert.ok(outcomes.every((o) => ids.has(o.id)), 'every accepted id is in the queue');
    await c.startWorker(1);
    await c.waitHealthy();
  });

  it(`delivers every item exactly once to ${CLIENTS} long-pollers across a worker killed with SIGKILL`, async () => {
    const d = await newDebate(c, 'Long-poll et panne');
    const head = expectOk(await c.poll(`${d.base}/poll`), 200);
    const pollers = new LongPollFleet(c, `${d.base}/poll`, { count: CLIENTS, cursor: head.cursor });
    try {
      pollers.start();
      await waitUntil(async () => (await workerMetric(c, 'palabre_longpolls_waiting')) >= CLIENTS,
        { timeoutMs: 30000, intervalMs: 200, what: `${CLIENTS} long-polls parked` });
      const run = await publishLoop(d, { count: 40, intervalMs: 50, hooks: { 15: () => c.killWorker(2, 'SIGKILL') } });
      const want = await publishedKeys(c, d);
      const have = new Set(want);
      assert.deepEqual(run.acked.filter((id) => !have.has(id)), [], 'every acknowledged announcement is in the history');
      await pollers.waitExact(want, 20000);
      note(`${CLIENTS} long-pollers across a worker kill: ${want.length} items each; ${JSON.stringify(pollers.summary())}; publish failures ${JSON.stringify(run.failed)}`);
    } finally {
      await pollers.stop();
    }
    await c.startWorker(2);
    await c.waitHealthy();
  });

  it('had no worker crash', () => {
    assert.deepEqual(c.unexpectedExits(), []);
  });
});

'use strict';
// Fault battery, Redis: killed with SIGKILL and restarted from its
// append-only file, frozen for 10 s (SIGSTOP), its Pub/Sub clients killed
// again and again, restarted empty. Hundreds of live streams
// (PALABRE_FAULT_CLIENTS, 500 by default) must end with exactly the
// published messages; writes that cannot be kept are refused at once with
// 503 store_unavailable, never acknowledged and then lost.

const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, expectError, expectOk, waitUntil, sleep } = require('../support/cluster');
const { SseFleet } = require('../support/sse_fleet');
const { faultClients, openFileLimit, newDebate, announce, publishLoop, history, publishedKeys, note } = require('../support/faults');

const CLIENTS = faultClients();
const PING_S = 1;

let c;
let fleets = [];

before(async () => {
  assert.ok(openFileLimit() >= CLIENTS + 300, `this test may open ${openFileLimit()} files, needs ${CLIENTS + 300}: raise ulimit -n`);
  c = await startCluster({ workers: 2, nginxWorkers: 1, env: { PALABRE_PING_INTERVAL_S: String(PING_S) } });
});

afterEach(() => {
  for (const f of fleets) f.close();
  fleets = [];
});

after(async () => {
  for (const f of fleets) f.close();
  if (c) await c.stop();
});

async function watchers(d, count = CLIENTS) {
  const fleet = new SseFleet(c, `${d.base}/stream`, { count });
  fleets.push(fleet);
  await fleet.start();
  return fleet;
}

// A refused write: 503 store_unavailable, answered within 2 s.
function checkRefusals(failed) {
  for (const f of failed) {
    assert.equal(f.status, 503, `a write during the outage: ${JSON.stringify(f)}`);
    assert.equal(f.code, 'store_unavailable', JSON.stringify(f));
    assert.ok(f.elapsedMs <= 2000, `refused after ${f.elapsedMs} ms: ${JSON.stringify(f)}`);
  }
}

describe(`Redis faults, ${CLIENTS} live streams on 2 workers`, () => {
  it('keeps every acknowledged message through a SIGKILL of Redis and delivers it once; writes meanwhile get 503 store_unavailable within 2 s', async () => {
    const d = await newDebate(c, 'Redis tombe');
    const visitor = await c.join(d.id, 'Camille');
    const fleet = await watchers(d);
    let downAt = 0;
    let upAt = 0;
    const run = await publishLoop(d, {
      count: 50, intervalMs: 25,
      hooks: {
        15: async () => {
          await c.killRedis('SIGKILL');
          downAt = Date.now();
          await sleep(1500);
          await c.startRedis();
          upAt = Date.now();
        },
      },
    });
    assert.ok(downAt && upAt, 'Redis was restarted during the publications');
    assert.ok(run.failed.length > 0, 'some publications were refused while Redis was down');
    checkRefusals(run.failed);
    await c.waitHealthy();
    const want = await publishedKeys(c, d);
    const have = new Set(want);
    assert.deepEqual(run.acked.filter((id) => !have.has(id)), [], 'every acknowledged message survived the restart');
    const took = await fleet.waitExact(want, 15000);
    // Sessions live in Redis too: a visitor who joined before the crash keeps hers.
    expectOk(await visitor.ask(d.id, 'Toujours là ?', 'fr'), 202, 'a question from a visitor who joined before the crash');
    note(`Redis SIGKILL: ${run.acked.length} acked, ${run.failed.length} refused (max ${Math.max(...run.failed.map((f) => f.elapsedMs))} ms), ` +
      `${want.length} in the history; exact ${took} ms after the last publish; ${JSON.stringify(fleet.summary())}`);
  });

  describe('while Redis is frozen (SIGSTOP) for 10 s', () => {
    // One freeze, observed from every side; each property is its own test.
    const FREEZE_MS = 10000;
    let d;
    let fleet;
    let before1;
    let frozenFor = 0;
    let thawedAt = 0;
    const health = [];
    const writes = [];
    let pingCounts = [];
    let lastPings = [];
    let connectedAtEnd = 0;
    const refusedText = 'Écrit pendant le gel';
    const refusedQuestion = 'Question posée pendant le gel ?';
    let visitor;
    let questionWrite;

    before(async () => {
      d = await newDebate(c, 'Redis gelé');
      visitor = await c.join(d.id, 'Gaspard');
      fleet = await watchers(d);
      fleets = fleets.filter((f) => f !== fleet);  // kept across this suite's tests
      before1 = await publishLoop(d, { count: 10, intervalMs: 10 });
      await fleet.waitExact(before1.acked, 10000);
      const pingsBefore = fleet.clients.map((cl) => cl.pings);
      c.pauseRedis();
      const frozenAt = Date.now();
      try {
        while (Date.now() - frozenAt < FREEZE_MS - 3000) {
          const t0 = Date.now();
          let res;
          try {
            res = await c.get('/healthz', { timeoutMs: 5000 });
          } catch (e) {
            res = { status: 0, text: e.message };
          }
          health.push({ status: res.status, ms: Date.now() - t0 });
          await sleep(200);
        }
        const w = await announce(d, { timeoutMs: 10000, text: refusedText });
        writes.push({ status: w.status, code: w.json && w.json.error ? w.json.error.code : w.text.slice(0, 80), elapsedMs: w.elapsedMs });
        // A question without Idempotency-Key: nothing would find it again.
        const q = await visitor.post(`${d.base}/questions`, { text: refusedQuestion }, { timeoutMs: 10000 });
        questionWrite = { status: q.status, code: q.json && q.json.error ? q.json.error.code : q.text.slice(0, 80) };
        await waitUntil(() => Date.now() - frozenAt >= FREEZE_MS, { timeoutMs: FREEZE_MS + 1000, what: 'the end of the freeze' });
        frozenFor = Date.now() - frozenAt;
        pingCounts = fleet.clients.map((cl, i) => cl.pings - pingsBefore[i]);
        lastPings = fleet.clients.map((cl) => Date.now() - cl.lastPingAt);
        connectedAtEnd = fleet.summary().connected;
      } finally {
        c.resumeRedis();
      }
      thawedAt = Date.now();
      note(`Redis frozen ${frozenFor} ms: /healthz ${JSON.stringify(health)}; write ${JSON.stringify(writes)}; ` +
        `pings per stream during the freeze: min ${Math.min(...pingCounts)}, max ${Math.max(...pingCounts)}; ${connectedAtEnd} streams connected`);
    });

    after(() => { if (fleet) fleet.close(); });

    it(`keeps sending pings (every ${PING_S} s) to every stream`, () => {
      const want = Math.floor(FREEZE_MS / 1000 / PING_S / 2);
      const quiet = pingCounts.map((n, i) => ({ i, n, lastMsAgo: lastPings[i] })).filter((x) => x.n < want || x.lastMsAgo > 3000 * PING_S);
      assert.deepEqual(quiet.slice(0, 5), [], `${quiet.length} streams got fewer than ${want} pings during the freeze`);
      assert.equal(connectedAtEnd, fleet.size, 'every stream stayed open');
    });

    it('answers /healthz with 503 within 1 s', () => {
      assert.ok(health.length >= 2, JSON.stringify(health));
      for (const h of health) {
        assert.equal(h.status, 503, `/healthz while Redis is frozen: ${JSON.stringify(health)}`);
        assert.ok(h.ms <= 1000, `/healthz answered after ${h.ms} ms: ${JSON.stringify(health)}`);
      }
    });

    it('refuses writes with 503 store_unavailable', () => {
      assert.equal(writes.length, 1);
      assert.equal(writes[0].status, 503, JSON.stringify(writes));
      assert.equal(writes[0].code, 'store_unavailable', JSON.stringify(writes));
    });

    it('has no thread stuck: short requests succeed at once after SIGCONT', async () => {
      await c.waitHealthy(5000);
      const shorts = [];
      for (let i = 0; i < 20; i++) {
        const t0 = Date.now();
        const res = await c.get(i % 2 ? d.base : '/healthz', { timeoutMs: 5000 });
        shorts.push({ status: res.status, ms: Date.now() - t0 });
      }
      assert.ok(shorts.every((x) => x.status === 200 && x.ms < 1000), `short requests after the freeze: ${JSON.stringify(shorts)}`);
      note(`healthy again ${Date.now() - thawedAt} ms after SIGCONT`);
    });

    it('delivers exactly once publication resumes', async () => {
      const after1 = await publishLoop(d, { count: 10, intervalMs: 10 });
      assert.deepEqual(after1.failed, [], 'publishing works again');
      const want = await publishedKeys(c, d);
      const acked = [...before1.acked, ...after1.acked];
      assert.deepEqual(want.filter((id) => acked.includes(id)), acked, 'every acknowledged message, in order');
      assert.ok(want.length <= acked.length + writes.length, `${want.length} messages published, ${acked.length} acknowledged`);
      await fleet.waitExact(want, 10000);
    });

    it('does not publish afterwards the write it refused during the freeze', async () => {
      const texts = (await history(c, d)).filter((i) => i.type === 'message').map((i) => i.data.text);
      assert.ok(!texts.includes(refusedText), 'the announcement answered 503 store_unavailable is not in the history');
    });

    it('does not store afterwards the question it refused during the freeze', async () => {
      assert.deepEqual(questionWrite, { status: 503, code: 'store_unavailable' });
      const queue = expectOk(await d.admin.get(`${d.base}/queue`), 200);
      assert.ok(!JSON.stringify(queue).includes(refusedQuestion), 'the question answered 503 is not in the moderation queue');
      const mine = expectOk(await visitor.get(`${d.base}/my-questions`), 200);
      assert.ok(!JSON.stringify(mine).includes(refusedQuestion), 'nor in the visitor\'s own list');
    });
  });

  it('loses and repeats nothing when Redis kills the Pub/Sub connections five times during publication', async () => {
    const d = await newDebate(c, 'Pub/Sub coupé');
    const fleet = await watchers(d);
    const kills = [];
    const kill = () => c.redisCli(['client', 'kill', 'type', 'pubsub']).then((n) => kills.push(Number(n)));
    const run = await publishLoop(d, { count: 60, intervalMs: 25, hooks: { 8: kill, 18: kill, 28: kill, 38: kill, 48: kill } });
    assert.deepEqual(run.failed, [], 'publishing does not depend on the Pub/Sub connections');
    assert.equal(kills.length, 5);
    assert.ok(kills.every((n) => n >= 1), `each CLIENT KILL found subscribers: ${JSON.stringify(kills)}`);
    const want = await publishedKeys(c, d);
    assert.deepEqual(want, run.acked);
    const took = await fleet.waitExact(want, 10000);
    note(`CLIENT KILL TYPE pubsub ×5 (killed ${kills.join(', ')}): exact ${took} ms after the last publish`);
  });

  describe('when Redis comes back empty', () => {
    let d;
    let want;
    let oldCursor;

    it('sends every stream a reset (new epoch) and the full history from the archive, then goes on exactly', async () => {
      d = await newDebate(c, 'Redis vide');
      const fleet = await watchers(d);
      const before1 = await publishLoop(d, { count: 20, intervalMs: 10 });
      assert.deepEqual(before1.failed, []);
      await fleet.waitExact(before1.acked, 10000);
      oldCursor = before1.cursors[before1.cursors.length - 1];

      await c.restartRedis({ empty: true });
      await c.waitHealthy();
      const after1 = await publishLoop(d, { count: 10, intervalMs: 10 });
      assert.deepEqual(after1.failed, [], 'publishing works on the empty Redis');
      want = [...before1.acked, ...after1.acked];

      await waitUntil(() => fleet.clients.every((cl) => cl.resets >= 1), {
        timeoutMs: 20000, intervalMs: 100,
        what: `event: reset on every stream (${fleet.clients.filter((cl) => cl.resets >= 1).length}/${fleet.size} got one)`,
      });
      const reasons = new Set(fleet.clients.flatMap((cl) => cl.resetReasons));
      assert.deepEqual([...reasons], ['epoch'], 'the reset names the new epoch');
      await fleet.waitExact(want, 20000);
      note(`Redis restarted empty: ${JSON.stringify(fleet.summary())}`);
    });

    it('answers a long-poll with an old cursor with reset and the full history', async () => {
      assert.ok(oldCursor, 'the previous test ran');
      const body = expectOk(await c.poll(`${d.base}/poll`, { after: oldCursor }), 200);
      assert.equal(body.reset, true);
      assert.deepEqual(body.items.filter((i) => i.type === 'message').map((i) => i.data.id), want);
    });

    it('gives a newcomer the same full history', async () => {
      assert.ok(want, 'the previous test ran');
      const late = await watchers(d, 20);
      await late.waitExact(want, 10000);
      assert.deepEqual(await publishedKeys(c, d), want, 'and so does the long-poll history');
    });
  });

  it('had no worker crash', () => {
    assert.deepEqual(c.unexpectedExits(), []);
  });
});

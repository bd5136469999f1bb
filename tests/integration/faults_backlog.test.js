'use strict';
// Fault battery, clients that fall behind: readers who stop reading must
// not slow down the others, and are closed once their backlog
// (PALABRE_STREAM_BACKLOG_BYTES) overflows, then resume exactly; a client
// whose cursor is older than the retained history
// (PALABRE_HISTORY_MAX_ENTRIES) is told to start again (event: reset) and
// gets the full history.

const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, waitUntil } = require('../support/cluster');
const { SseFleet, percentile } = require('../support/sse_fleet');
const {
  faultClients, openFileLimit, newDebate, publishLoop, publishedKeys, workerMetric, note,
} = require('../support/faults');

const CLIENTS = faultClients();
const SLOW = 20;
const BACKLOG = 64 * 1024;
const MESSAGE_CHARS = 8000;
const MESSAGES = 60;
const INTERVAL_MS = 60;
const RETENTION = 100;  // the smallest PALABRE_HISTORY_MAX_ENTRIES the worker takes

let c;
let fleets = [];

before(async () => {
  assert.ok(openFileLimit() >= CLIENTS + 200, `this test may open ${openFileLimit()} files, needs ${CLIENTS + 200}: raise ulimit -n`);
  c = await startCluster({
    workers: 1, nginxWorkers: 1,
    env: {
      PALABRE_STREAM_BACKLOG_BYTES: String(BACKLOG),
      PALABRE_MAX_TEXT_CHARS: String(MESSAGE_CHARS + 100),
      PALABRE_HISTORY_MAX_ENTRIES: String(RETENTION),
    },
  });
});

afterEach(() => {
  for (const f of fleets) f.close();
  fleets = [];
});

after(async () => {
  for (const f of fleets) f.close();
  if (c) await c.stop();
});

async function watchers(d, count, opts = {}) {
  const fleet = new SseFleet(c, `${d.base}/stream`, { count, ...opts });
  fleets.push(fleet);
  await fleet.start();
  return fleet;
}

const bigText = (i) => `Annonce ${i + 1} ${'x'.repeat(MESSAGE_CHARS - 20)}`;

// The others' p99 latency: for each message, the time until 99% of the
// clients had it (arrival − request sent); then the median over messages,
// so that one pause of this test's own process (a garbage collection while
// it parses 500 streams) does not decide the comparison.
function p99Latency(fleet, run, clients) {
  const perMessage = run.acked.map((id) => {
    const sent = run.sentAt.get(id);
    return percentile(fleet.arrivals(id, clients).map((t) => t - sent), 99);
  });
  return percentile(perMessage, 50);
}

describe(`readers who stop reading, among ${CLIENTS} live streams`, () => {
  it(`closes ${SLOW} stalled readers once their backlog overflows without slowing the others down, and they resume exactly`, async () => {
    const normal = CLIENTS - SLOW;
    // Without them: the latency to beat, measured before and after the run
    // with them (their mean), so that a machine busy with something else
    // for a while does not decide the comparison.
    const baseline = async (title) => {
      const d0 = await newDebate(c, title);
      const base = await watchers(d0, normal);
      const run0 = await publishLoop(d0, { count: MESSAGES, intervalMs: INTERVAL_MS, text: bigText });
      assert.deepEqual(run0.failed, []);
      await base.waitExact(run0.acked, 20000);
      const p = p99Latency(base, run0, base.clients);
      base.close();
      return p;
    };
    const p99Before = await baseline('Sans lecteurs lents');

    // With them: the stalled readers take their streams straight from the
    // worker's socket, so that their backlog fills with little traffic
    // (through nginx, several MiB of loopback TCP buffers come first).
    const d = await newDebate(c, 'Avec lecteurs lents');
    const overflowsBefore = await workerMetric(c, 'palabre_backlog_overflows_total');
    const fleet = await watchers(d, CLIENTS, { transportFor: (i) => (i < SLOW ? c.workerSocket(0) : 'http') });
    const slow = fleet.clients.slice(0, SLOW);
    const others = fleet.clients.slice(SLOW);
    for (const cl of slow) cl.pause();
    const run = await publishLoop(d, { count: MESSAGES, intervalMs: INTERVAL_MS, text: bigText });
    assert.deepEqual(run.failed, []);
    await fleet.waitExact(run.acked, 20000, others);
    const p99 = p99Latency(fleet, run, others);
    let extra = [];
    await waitUntil(async () => {
      if ((await workerMetric(c, 'palabre_backlog_overflows_total')) - overflowsBefore >= SLOW) return true;
      // Not full yet: a little more traffic.
      extra = extra.concat((await publishLoop(d, { count: 5, intervalMs: 0, text: bigText })).acked);
      return false;
    }, { timeoutMs: 20000, intervalMs: 100, what: `${SLOW} backlog overflows` });
    const overflows = (await workerMetric(c, 'palabre_backlog_overflows_total')) - overflowsBefore;
    assert.equal(overflows, SLOW, 'the stalled readers, and only them, were closed');

    for (const cl of slow) cl.resume();
    const want = await publishedKeys(c, d);
    assert.deepEqual(want, [...run.acked, ...extra]);
    await fleet.waitExact(want, 15000);
    assert.ok(slow.every((cl) => cl.connects >= 2), 'the stalled readers reconnected');
    assert.ok(others.every((cl) => cl.connects === 1), 'the others were never cut');
    fleet.close();

    const p99After = await baseline('Toujours sans lecteurs lents');
    const p99Base = (p99Before + p99After) / 2;
    note(`p99 delivery latency of ${normal} readers: ${p99Before} and ${p99After} ms alone, ${p99} ms with ${SLOW} stalled readers; ` +
      `${overflows} overflows after ${MESSAGES + extra.length} messages of ${MESSAGE_CHARS} characters`);
    // 2×, with 25 ms of slack for a baseline of a few milliseconds.
    assert.ok(p99 <= Math.max(2 * p99Base, p99Base + 25), `p99 ${p99} ms with stalled readers, ${p99Base} ms without`);
  });

  describe(`a cursor older than the ${RETENTION} entries Redis keeps (PALABRE_HISTORY_MAX_ENTRIES)`, () => {
    let d;
    let run;

    it('gets event: reset and the full history from the archive, then the live frames, exactly', async () => {
      d = await newDebate(c, 'Mémoire courte');
      run = await publishLoop(d, { count: 3 * RETENTION, intervalMs: 0 });
      assert.deepEqual(run.failed, []);
      const kept = Number(await c.redisCli(['xlen', `palabre:ev:{${d.id}}:pub`]));
      assert.ok(kept < run.acked.length, `the first messages fell out of what Redis keeps (${kept} entries kept)`);

      const late = await watchers(d, 50, { lastEventId: run.cursors[0] });
      const recent = await watchers(d, 5, { lastEventId: run.cursors[run.cursors.length - 10] });
      await waitUntil(() => late.clients.every((cl) => cl.resets >= 1), {
        timeoutMs: 10000, what: `event: reset on every stale client (${late.clients.filter((cl) => cl.resets >= 1).length}/50)`,
      });
      assert.deepEqual([...new Set(late.clients.flatMap((cl) => cl.resetReasons))], ['expired'], 'the reset says the cursor expired');
      await late.waitExact(run.acked, 10000);
      await recent.waitExact(run.acked.slice(-9), 10000);
      assert.ok(recent.clients.every((cl) => cl.resets === 0), 'a cursor inside what Redis keeps is resumed, not reset');
      const more = await publishLoop(d, { count: 5, intervalMs: 0 });
      await late.waitExact([...run.acked, ...more.acked], 10000);
      await recent.waitExact([...run.acked.slice(-9), ...more.acked], 10000);
      run.acked.push(...more.acked);
    });

    it('gives a newcomer the same full history, without a reset', async () => {
      assert.ok(run, 'the previous test ran');
      const fresh = await watchers(d, 5);
      await fresh.waitExact(run.acked, 10000);
      assert.ok(fresh.clients.every((cl) => cl.resets === 0), 'a newcomer has nothing to reset');
      assert.deepEqual(await publishedKeys(c, d), run.acked, 'and so does the long-poll history from the start');
    });
  });

  it('had no worker crash', () => {
    assert.deepEqual(c.unexpectedExits(), []);
  });
});

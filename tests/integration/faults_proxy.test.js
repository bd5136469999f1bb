'use strict';
// Fault battery, network: the workers reach Redis over TCP through a fault
// proxy (tests/support/fault_proxy.js), which turns their Pub/Sub
// subscriber connections into black holes: open, but nothing goes through
// in either direction, as behind a dead router. TCP keepalive would notice
// after minutes; each worker's periodic Pub/Sub probe (a PUBLISH on its
// command connection that must come back on the subscription, every
// PALABRE_PUBSUB_PROBE_MS) must notice within seconds, subscribe again and
// deliver exactly what was published meanwhile.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster } = require('../support/cluster');
const { FaultProxy } = require('../support/fault_proxy');
const { SseFleet } = require('../support/sse_fleet');
const { faultClients, openFileLimit, newDebate, publishLoop, publishedKeys, workerMetric, note } = require('../support/faults');

const CLIENTS = faultClients();
const PROBE_MS = 1000;
const HOLD_MS = 30000;

let c;
let proxy;
let fleet = null;

before(async () => {
  assert.ok(openFileLimit() >= CLIENTS + 200, `this test may open ${openFileLimit()} files, needs ${CLIENTS + 200}: raise ulimit -n`);
  proxy = new FaultProxy();
  await proxy.listen();
  c = await startCluster({
    workers: 2, nginxWorkers: 1, redisTcp: true,
    env: { PALABRE_PUBSUB_PROBE_MS: String(PROBE_MS) },
    workerRedis: async (cluster) => {
      proxy.setTarget('127.0.0.1', cluster.redisPort);
      return { host: '127.0.0.1', port: proxy.port };
    },
  });
});

after(async () => {
  if (fleet) fleet.close();
  if (c) await c.stop();
  if (proxy) await proxy.close();
});

const subscribers = () => proxy.find((conn) => conn.sawCommand('SUBSCRIBE') && !conn.blackholed);

describe(`a silent Pub/Sub connection, ${CLIENTS} live streams on 2 workers`, () => {
  it('reaches Redis through the proxy only', async () => {
    assert.ok(proxy.history.length > 0, 'the workers connect through the proxy');
    assert.equal(subscribers().length, 2, 'one subscriber connection per worker');
  });

  it(`notices a black-holed subscription by its probe within seconds, long before ${HOLD_MS / 1000} s, and delivers exactly`, async () => {
    const d = await newDebate(c, 'Lien muet');
    fleet = new SseFleet(c, `${d.base}/stream`, { count: CLIENTS });
    await fleet.start();
    const first = await publishLoop(d, { count: 5, intervalMs: 10 });
    await fleet.waitExact(first.acked, 10000);

    const reconnectsBefore = await workerMetric(c, 'palabre_redis_reconnects_total');
    const holes = subscribers();
    assert.equal(holes.length, 2);
    const t0 = Date.now();
    for (const conn of holes) proxy.blackhole(conn);

    // Published while the subscriptions are silent: each must still reach
    // every stream once the worker has noticed (a few probe periods).
    const during = await publishLoop(d, { count: 20, intervalMs: 250 });
    assert.deepEqual(during.failed, [], 'publishing does not go through the subscription');
    const want = [...first.acked, ...during.acked];
    await fleet.waitExact(want, Math.max(1, t0 + 5 * PROBE_MS + 8000 - Date.now()));
    const caughtUpMs = Date.now() - t0;
    // The first message published into the silence: when it reached the
    // last stream tells how long the workers took to notice.
    const noticedMs = Math.max(...fleet.arrivals(during.acked[0])) - t0;
    assert.ok(noticedMs < 5 * PROBE_MS + 5000, `the first message sent into the silence reached every stream after ${noticedMs} ms`);
    assert.ok(holes.every((conn) => conn.blackholed), 'the black holes were held open meanwhile');
    assert.ok(caughtUpMs < HOLD_MS, `caught up ${caughtUpMs} ms after the subscriptions went silent`);
    assert.equal(subscribers().length, 2, 'each worker subscribed again on a new connection');
    const reconnectsAfter = await workerMetric(c, 'palabre_redis_reconnects_total');
    assert.ok(reconnectsAfter >= reconnectsBefore + 2, `palabre_redis_reconnects_total went from ${reconnectsBefore} to ${reconnectsAfter}`);

    // Hold the silent connections for the whole period, publishing now and
    // then, then let them go: nothing changes for the streams.
    let more = [];
    while (Date.now() - t0 < HOLD_MS) {
      const r = await publishLoop(d, { count: 1, intervalMs: 1000 });
      more = more.concat(r.acked);
    }
    for (const conn of holes) conn.destroy();
    const last = await publishLoop(d, { count: 5, intervalMs: 10 });
    const all = await publishedKeys(c, d);
    assert.deepEqual(all, [...want, ...more, ...last.acked]);
    await fleet.waitExact(all, 10000);
    note(`black-holed subscriptions: noticed within ${noticedMs} ms, every stream exact ${caughtUpMs} ms after they went silent (probe every ${PROBE_MS} ms); ` +
      `reconnects ${reconnectsBefore} → ${reconnectsAfter}; ${JSON.stringify(fleet.summary())}`);
  });

  it('had no worker crash', () => {
    assert.deepEqual(c.unexpectedExits(), []);
  });
});

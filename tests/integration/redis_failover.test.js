'use strict';
// Redis Sentinel failover under a live debate. A master (the cluster's own
// redis-server, on TCP), one replica and three sentinels on free loopback
// ports; two workers find the master through the sentinels
// (PALABRE_REDIS_SENTINELS) and WAIT for one replica before acknowledging
// (PALABRE_REDIS_WAIT_REPLICAS=1). Visitors stream the debate while the
// moderator publishes; the master is killed with SIGKILL. Then:
// - every SSE stream continues exactly: the published history, each id once,
//   in order, without a reset of the stream;
// - every message the API acknowledged (201) is in the history;
// - /healthz says 503 "redis":"fail" while there is no master, 200 after;
// - with no replica left, writes are refused 503 not_replicated (saved on
//   the master, not safe), and a retry with the same Idempotency-Key is
//   acknowledged once the old master came back as a replica.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { startCluster, expectOk, expectError, waitUntil, sleep, freePort, terminate, tail } = require('../support/cluster');
const { SseFleet } = require('../support/sse_fleet');
const { newDebate, announce, publishedKeys } = require('../support/faults');
const {
  redisCli, startReplica, waitReplicaSynced, startSentinel, waitSentinelsReady, watchPromotion, sampleHealth, assertHealthTruthful,
} = require('../support/sentinel');

const MASTER_NAME = 'palabre';
const CLIENTS = 20;

let c;
let replicaPort;
let sentinelPorts;
const extra = [];  // the replica and the sentinels: stopped in after()

const cli = (port, args) => redisCli({ port }, args);

async function startReplicaAndSentinels(cl) {
  const master = { host: '127.0.0.1', port: cl.redisPort };
  extra.push(startReplica('replica', { bind: '127.0.0.1', port: replicaPort, master, dir: path.join(cl.runDir, 'replica') }));
  await waitReplicaSynced({ host: '127.0.0.1', port: replicaPort });
  for (const [i, port] of sentinelPorts.entries()) {
    extra.push(startSentinel(`sentinel-${i + 1}`, {
      bind: '127.0.0.1', port, master, masterName: MASTER_NAME, dir: path.join(cl.runDir, `sentinel-${i + 1}`),
    }));
  }
  await waitSentinelsReady(sentinelPorts.map((port) => ({ host: '127.0.0.1', port })), MASTER_NAME, { host: '127.0.0.1', port: replicaPort });
}

before(async () => {
  replicaPort = await freePort();
  sentinelPorts = [await freePort(), await freePort(), await freePort()];
  c = await startCluster({
    workers: 2,
    redisTcp: true,
    redisSetup: startReplicaAndSentinels,
    env: {
      PALABRE_REDIS_SENTINELS: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
      PALABRE_REDIS_MASTER_NAME: MASTER_NAME,
      PALABRE_REDIS_WAIT_REPLICAS: '1',
      PALABRE_REDIS_WAIT_TIMEOUT_MS: '1000',
      PALABRE_PING_INTERVAL_S: '1',
    },
  });
});

after(async () => {
  if (c) await c.stop().catch((e) => { process.stderr.write(`${e.message}\n`); });
  for (const child of extra) await terminate(child, 'SIGTERM', 3000);
  if (process.env.PALABRE_TEST_LOGS === '1') for (const child of extra) process.stderr.write(`== ${child.logPath}\n${tail(child.logPath, 20)}\n`);
});

describe('Redis Sentinel failover with WAIT 1', () => {
  it('streams continue exactly, acknowledged messages survive, /healthz tells the truth', async () => {
    const d = await newDebate(c, 'Bascule Sentinel');
    const fleet = new SseFleet(c, `${d.base}/stream`, { count: CLIENTS });
    await fleet.start();
    const acked = [];
    const refused = {};
    const publish = async (i) => {
      const res = await announce(d, { text: `Annonce ${i}`, timeoutMs: 10000 });
      if (res.status === 201) acked.push(res.json.id);
      else {
        const code = res.json && res.json.error ? res.json.error.code : `${res.status}`;
        refused[code] = (refused[code] || 0) + 1;
      }
      return res;
    };
    for (let k = 0; k < 10; k++) {
      const res = await publish(k);
      assert.equal(res.status, 201, `publishing before the failover: ${res.text}`);
    }

    // /healthz sampled all along, and the replica's role, so that each
    // answer can be placed before or after the promotion.
    const health = sampleHealth(c);
    const promotion = watchPromotion({ host: '127.0.0.1', port: replicaPort });

    await c.killRedis('SIGKILL');
    const killedAt = Date.now();
    let i = 10;
    // Publish on while the sentinels fail over (bounded).
    while (Date.now() - killedAt < 20000) {
      const newMaster = await cli(sentinelPorts[0], ['SENTINEL', 'get-master-addr-by-name', MASTER_NAME]);
      if (newMaster.includes(String(replicaPort)) && (await c.get('/healthz')).status === 200) break;
      await publish(i++);
      await sleep(50);
    }
    const lastSlaveAt = await promotion.done;
    const promotedAfterMs = lastSlaveAt - killedAt;
    assert.ok(lastSlaveAt > killedAt, 'the replica was still a replica when the master died');
    expectOk(await c.get('/healthz'), 200, '/healthz once the replica is master');

    // No replica left: saved on the new master, refused as not replicated.
    const key = `failover-${Date.now()}`;
    const lonely = await d.admin.post(`${d.base}/announcements`, { text: 'Sans réplique', lang: 'fr' }, { headers: { 'Idempotency-Key': key } });
    expectError(lonely, 503, 'not_replicated', 'a write with no replica to confirm it');
    assert.equal(lonely.headers['retry-after'], '1');

    // The old master comes back as a replica of the new one (what the
    // sentinels would also tell it to do).
    await c.startRedis();
    await c.redisCli(['REPLICAOF', '127.0.0.1', replicaPort]);
    await waitUntil(async () => /master_link_status:up/.test(await c.redisCli(['INFO', 'replication'])),
      { timeoutMs: 15000, what: 'the old master to sync as a replica' });
    const retried = expectOk(await d.admin.post(`${d.base}/announcements`, { text: 'Sans réplique', lang: 'fr' }, { headers: { 'Idempotency-Key': key } }), 201, 'the retry');
    acked.push(retried.id);
    for (let k = 0; k < 5; k++) {
      const res = await publish(i++);
      assert.equal(res.status, 201, `publishing after the failover: ${res.text}`);
    }
    const samples = await health.stop();

    const want = await publishedKeys(c, d);
    assert.equal(new Set(want).size, want.length, 'no message twice in the history');
    const have = new Set(want);
    assert.deepEqual(acked.filter((id) => !have.has(id)), [], 'every acknowledged message is in the history');
    await fleet.waitExact(want, 15000);
    const summary = fleet.summary();
    fleet.close();
    assert.equal(summary.resets || 0, 0, `no stream was reset: ${JSON.stringify(summary)}`);

    // /healthz: while the master was dead and the replica not yet promoted,
    // never 200; 200 again at the end.
    const down = assertHealthTruthful(samples, killedAt, lastSlaveAt);
    assert.deepEqual(c.unexpectedExits(), []);
    process.stderr.write(`# failover: promoted ${promotedAfterMs} ms after the kill; acked ${acked.length}, refused ${JSON.stringify(refused)}, ` +
      `history ${want.length}; healthz down ${down} samples; ${JSON.stringify(summary)}\n`);
  });
});

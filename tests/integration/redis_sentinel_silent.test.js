'use strict';
// Sentinels whose host is cut from the network accept a connection (or
// the network drops it) and never answer: each costs a lookup 500 ms before
// the next sentinel is asked. The hub's connections look the master up on
// a thread of their own (fcgi/hub/master_lookup.hpp), so its streams keep
// their pings on time while it reconnects; the accept threads may wait.
//
// Four silent sentinels are listed before the one that answers: a lookup
// takes 2 s. The hub's Pub/Sub connection is killed three times; each
// reconnect looks the master up again. Every stream must get a ping at
// least every 1.8 s (interval 1 s) throughout, and the fan-out must work
// again afterwards.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const path = require('node:path');
const { startCluster, waitUntil, sleep, freePort, terminate } = require('../support/cluster');
const { SseFleet } = require('../support/sse_fleet');
const { newDebate, publishLoop, publishedKeys } = require('../support/faults');
const { redisCli, startSentinel } = require('../support/sentinel');

const MASTER_NAME = 'palabre';
const SILENT = 4;
const PING_S = 1;
const MAX_GAP_MS = 1800;

let c;
let sentinelPort;
const silent = [];   // net.Server of each silent sentinel
const held = new Set();  // the connections they hold
const extra = [];

function silentSentinel() {
  return new Promise((resolve) => {
    const server = net.createServer((sock) => {
      held.add(sock);
      sock.on('error', () => {});
      sock.on('close', () => held.delete(sock));
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

before(async () => {
  for (let i = 0; i < SILENT; i++) silent.push(await silentSentinel());
  sentinelPort = await freePort();
  const addresses = [...silent.map((s) => `127.0.0.1:${s.address().port}`), `127.0.0.1:${sentinelPort}`];
  c = await startCluster({
    workers: 1,
    redisTcp: true,
    redisSetup: async (cl) => {
      extra.push(startSentinel('sentinel', {
        bind: '127.0.0.1', port: sentinelPort, master: { host: '127.0.0.1', port: cl.redisPort },
        masterName: MASTER_NAME, dir: path.join(cl.runDir, 'sentinel'),
      }));
      await waitUntil(async () => {
        const answer = await redisCli({ port: sentinelPort }, ['SENTINEL', 'get-master-addr-by-name', MASTER_NAME]).catch(() => '');
        return answer.includes(String(cl.redisPort));
      }, { timeoutMs: 15000, what: 'the sentinel to name the master' });
    },
    env: {
      PALABRE_REDIS_SENTINELS: addresses.join(','),
      PALABRE_REDIS_MASTER_NAME: MASTER_NAME,
      PALABRE_PING_INTERVAL_S: String(PING_S),
    },
  });
});

after(async () => {
  if (c) await c.stop().catch((e) => { process.stderr.write(`${e.message}\n`); });
  for (const child of extra) await terminate(child, 'SIGTERM', 3000);
  for (const sock of held) sock.destroy();
  for (const server of silent) server.close();
});

describe('silent sentinels listed first', () => {
  it('do not hold up the streams while the hub looks the master up again', async () => {
    const d = await newDebate(c, 'Sentinelles muettes');
    const fleet = new SseFleet(c, `${d.base}/stream`, { count: 10 });
    await fleet.start();
    await waitUntil(() => fleet.clients.every((cl) => cl.pings >= 2), { timeoutMs: 10000, what: 'two pings on every stream' });
    for (const cl of fleet.clients) cl.maxPingGapMs = 0;

    const kills = [];
    for (let k = 0; k < 3; k++) {
      kills.push(Number(await c.redisCli(['CLIENT', 'KILL', 'TYPE', 'pubsub'])));
      // Long enough for the lookup (2 s) and a ping or two after it.
      await sleep(3000);
    }
    assert.ok(kills.every((n) => n >= 1), `each kill found the hub's subscription: ${JSON.stringify(kills)}`);
    await waitUntil(async () => Number(await c.redisCli(['PUBSUB', 'NUMSUB', 'palabre:fanout']).then((s) => s.split('\n')[1])) >= 1,
      { timeoutMs: 10000, what: 'the hub to subscribe again' });
    const gaps = fleet.clients.map((cl) => cl.maxPingGapMs);
    const run = await publishLoop(d, { count: 5, intervalMs: 20 });
    assert.deepEqual(run.failed, []);
    await fleet.waitExact(await publishedKeys(c, d), 10000);
    fleet.close();
    process.stderr.write(`# ${SILENT} silent sentinels, 3 hub reconnects: longest wait between pings per stream ${JSON.stringify(gaps)} ms\n`);
    assert.ok(Math.max(...gaps) < MAX_GAP_MS, `a stream waited ${Math.max(...gaps)} ms for a ping (interval ${PING_S * 1000} ms): ${JSON.stringify(gaps)}`);
    assert.deepEqual(c.unexpectedExits(), []);
  });
});

'use strict';
// Redis replication and Sentinel for the failover tests
// (tests/integration/redis_failover.test.js on one host,
// three_hosts.test.js on three network namespaces): a replica, three
// sentinels, knowing when they are ready, when the replica was promoted, and
// whether /healthz told the truth meanwhile.
//
// Addresses are {host, port}. launch(cmd, args) → [cmd, args] runs a server
// elsewhere (a network namespace, tests/support/netns.js); default: here.
//
// Only Node.js built-ins.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { waitUntil, sleep, run, track } = require('./cluster');

const here = (cmd, args) => [cmd, args];

async function redisCli({ host = '127.0.0.1', port }, args) {
  const r = await run('redis-cli', ['-h', host, '-p', String(port), ...args.map(String)], { timeoutMs: 5000 });
  return r.stdout.trim();
}

// A redis-server (or sentinel) logging to DIR/NAME.log; the child is
// tracked (killed if the test process exits) and has .logPath.
function startRedisServer(name, args, dir, launch = here) {
  const log = path.join(dir, `${name}.log`);
  const [cmd, argv] = launch('redis-server', [...args, '--logfile', log]);
  const child = track(spawn(cmd, argv, { stdio: 'ignore', env: { PATH: process.env.PATH } }));
  child.on('error', () => {});
  child.logPath = log;
  return child;
}

// The data settings of every Redis here: append-only, like production. No
// protected mode: without a password it would refuse every client but
// loopback ones, and hosts in namespaces talk over their veth.
function dataArgs(dir) {
  return ['--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction',
    '--protected-mode', 'no'];
}

function startReplica(name, { bind, port, master, dir, launch }) {
  fs.mkdirSync(dir, { recursive: true });
  return startRedisServer(name, [
    '--port', String(port), '--bind', bind, ...dataArgs(dir), '--replicaof', master.host, String(master.port),
  ], dir, launch);
}

async function waitReplicaSynced(replica) {
  await waitUntil(async () => /master_link_status:up/.test(await redisCli(replica, ['INFO', 'replication'])),
    { timeoutMs: 15000, what: `the replica ${replica.host}:${replica.port} to sync` });
}

// A sentinel monitoring `master` as masterName: down after 1 s, a quorum of 2.
function startSentinel(name, { bind, port, master, masterName, dir, launch }) {
  fs.mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'sentinel.conf');
  fs.writeFileSync(conf, [
    `port ${port}`, `bind ${bind}`, `dir ${dir}`, 'protected-mode no',
    `sentinel monitor ${masterName} ${master.host} ${master.port} 2`,
    `sentinel down-after-milliseconds ${masterName} 1000`,
    `sentinel failover-timeout ${masterName} 4000`,
    `sentinel parallel-syncs ${masterName} 1`, '',
  ].join('\n'));
  return startRedisServer(name, [conf, '--sentinel'], dir, launch);
}

// Each sentinel knows the replica and the other sentinels: a failover can
// be voted.
async function waitSentinelsReady(sentinels, masterName, replica) {
  for (const s of sentinels) {
    await waitUntil(async () => {
      const replicas = await redisCli(s, ['SENTINEL', 'replicas', masterName]);
      const others = await redisCli(s, ['SENTINEL', 'sentinels', masterName]);
      return replicas.includes(`${replica.host}:${replica.port}`) && (others.match(/^runid$/gm) || []).length === sentinels.length - 1;
    }, { timeoutMs: 20000, intervalMs: 200, what: `sentinel ${s.host}:${s.port} to know the replica and the other sentinels` });
  }
}

// Watches the replica's role until it is master (bounded). .done resolves
// the last time it was seen a replica: what came before that moment had no
// master once the old one was dead.
function watchPromotion(replica, timeoutMs = 30000) {
  const w = { lastSlaveAt: 0 };
  w.done = (async () => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const t0 = Date.now();
      const info = await redisCli(replica, ['INFO', 'replication']);
      if (/role:slave/.test(info)) w.lastSlaveAt = t0;
      else if (/role:master/.test(info)) return w.lastSlaveAt;
      await sleep(50);
    }
    return w.lastSlaveAt;
  })();
  return w;
}

// GET /healthz every 100 ms until stop(): samples {t0, t1, status, redis}.
function sampleHealth(cluster) {
  const h = { samples: [], sampling: true };
  const loop = (async () => {
    while (h.sampling) {
      const t0 = Date.now();
      let res;
      try { res = await cluster.get('/healthz', { timeoutMs: 5000 }); } catch (e) { res = { status: 0, json: null }; }
      h.samples.push({ t0, t1: Date.now(), status: res.status, redis: res.json && res.json.checks && res.json.checks.redis });
      await sleep(100);
    }
  })();
  h.stop = async () => { h.sampling = false; await loop; return h.samples; };
  return h;
}

// While the master was dead and the replica not yet promoted, never 200 (and
// at least one answer then, each 503 "redis":"fail"); 200 at the end.
// Returns how many samples fell in that window.
function assertHealthTruthful(samples, killedAt, lastSlaveAt, where = '') {
  const down = samples.filter((h) => h.t0 > killedAt && h.t1 <= lastSlaveAt);
  assert.deepEqual(down.filter((h) => h.status === 200), [], `${where}/healthz said 200 with no master`);
  assert.ok(down.length > 0, `${where}at least one /healthz while there was no master`);
  for (const h of down) assert.ok(h.status === 503 && h.redis === 'fail', `${where}/healthz with no master: ${JSON.stringify(h)}`);
  assert.equal(samples[samples.length - 1].status, 200, `${where}/healthz at the end`);
  return down.length;
}

module.exports = {
  redisCli, startRedisServer, dataArgs, startReplica, waitReplicaSynced, startSentinel, waitSentinelsReady,
  watchPromotion, sampleHealth, assertHealthTruthful,
};

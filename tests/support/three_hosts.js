'use strict';
// Palabre on three "hosts" of one machine (network namespaces,
// tests/support/netns.js), as a production site with three front machines
// would run it: for tests/integration/three_hosts.test.js and
// bench/three_hosts.
//
//   const site = await startSite({ workersPerHost: 2 });
//   site.hosts[i].cluster     // a Cluster (tests/support/cluster.js) whose
//                             // nginx listens on the host's address
//   site.master, site.replica // the Redis servers: {child, addr, dir}
//   await site.stop();        // every process, the namespaces, the files
//
// Host 1 runs the Redis master, host 2 its replica, host 3 PostgreSQL; each
// host runs a sentinel, nginx and its workers. The workers find the master
// through the three sentinels, WAIT for one replica
// (PALABRE_REDIS_WAIT_REPLICAS=1), keep their records in the one
// PostgreSQL (PALABRE_DATABASE_URL) and name their host (PALABRE_HOST_NAME,
// since namespaces share the machine's host name). Every service listens on
// its host's own address with its usual port: namespaces do not share ports.
// PostgreSQL runs as the `postgres` user (it refuses root).
//
// Only Node.js built-ins.

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { Cluster, fieldOf, run, track, terminate, waitUntil, tail } = require('./cluster');
const { createHosts } = require('./netns');
const { redisCli, startRedisServer, dataArgs, startReplica, waitReplicaSynced, startSentinel, waitSentinelsReady } = require('./sentinel');

const MASTER_NAME = 'palabre';
const REDIS_PORT = 6379;
const SENTINEL_PORT = 26379;
const PG_PORT = 5432;
const HTTP_PORT = 8080;

// The directory of the PostgreSQL server's programs, as
// tests/support/with-postgres finds it: $PALABRE_TEST_PG_BIN, else the last
// /usr/lib/postgresql/*/bin.
function pgBin() {
  if (process.env.PALABRE_TEST_PG_BIN) return process.env.PALABRE_TEST_PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(a) - Number(b)) : [];
  const found = versions.map((v) => path.join(root, v, 'bin')).filter((d) => fs.existsSync(path.join(d, 'initdb')));
  return found.length ? found[found.length - 1] : null;
}

// Why the site cannot run here besides namespaces, or false.
function siteUnavailable() {
  if (!pgBin()) return 'no PostgreSQL server programs (install postgresql)';
  if ((require('node:child_process').spawnSync('id', ['-u', 'postgres']).status) !== 0) return 'no `postgres` user to run PostgreSQL as';
  return false;
}

// PostgreSQL in `host`, on its address, trusting the site's /24 (test data
// only). Resolves {child, url, dir}; onChild(child) as soon as it runs, so
// that a failed start still stops it.
async function startPostgres(host, cidr, onChild) {
  const bin = pgBin();
  const dir = fs.mkdtempSync('/tmp/plb-pg-');
  liveDirs.add(dir);
  const data = path.join(dir, 'data');
  await run('chown', ['postgres', dir]);
  const asPostgres = ['--reuid=postgres', '--regid=postgres', '--init-groups'];
  // No fsync: test data need not survive a power cut (as with-postgres).
  const init = await run('setpriv', [...asPostgres, path.join(bin, 'initdb'), '-D', data, '-U', 'postgres', '--auth=trust',
    '--no-sync', '--encoding=UTF8', '--locale=C.UTF-8']);
  if (init.code !== 0) throw new Error(`initdb failed: ${init.stderr}${init.stdout}`);
  fs.appendFileSync(path.join(data, 'pg_hba.conf'), `host all all ${cidr} trust\n`);
  const log = fs.openSync(path.join(dir, 'server.log'), 'a');
  const [cmd, args] = host.command('setpriv', [...asPostgres, path.join(bin, 'postgres'), '-D', data,
    '-c', `listen_addresses=${host.addr}`, '-c', `port=${PG_PORT}`, '-c', `unix_socket_directories=${dir}`,
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200']);
  const child = track(spawn(cmd, args, { stdio: ['ignore', log, log] }));
  fs.closeSync(log);
  child.on('error', () => {});
  onChild(child);
  const psql = (db, sql) => run(path.join(bin, 'psql'), ['-h', host.addr, '-p', String(PG_PORT), '-U', 'postgres', '-d', db, '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
  await waitUntil(async () => {
    if (child.exitStatus) throw new Error(`postgres exited: ${tail(path.join(dir, 'server.log'), 10)}`);
    return (await psql('postgres', 'SELECT 1')).code === 0;
  }, { timeoutMs: 60000, intervalMs: 200, what: 'PostgreSQL to accept connections' });
  const created = await psql('postgres', 'CREATE DATABASE palabre');
  if (created.code !== 0) throw new Error(`CREATE DATABASE failed: ${created.stderr}`);
  return { child, dir, url: `postgresql://postgres@${host.addr}:${PG_PORT}/palabre` };
}

async function waitPong(addr, child, what) {
  await waitUntil(async () => {
    if (child.exitStatus) throw new Error(`${what} exited: ${tail(child.logPath, 10)}`);
    return (await redisCli(addr, ['PING'])) === 'PONG';
  }, { timeoutMs: 20000, what: `${what} to answer PING` });
}

// Run dirs of sites not stopped, removed if the test process dies (its
// processes were killed by cluster.js's exit hook, the namespaces removed
// by netns.js's, both registered before this one).
const liveDirs = new Set();
process.on('exit', () => {
  if (process.env.PALABRE_KEEP_RUN_DIR === '1') return;
  for (const dir of liveDirs) fs.rmSync(dir, { recursive: true, force: true });
});

class Site {
  constructor(count) {
    this.net = createHosts(count);
    this.runDir = fs.mkdtempSync('/tmp/plb-');
    liveDirs.add(this.runDir);
    this.hosts = this.net.hosts.map((h) => ({ ...h, cluster: null }));
    this.servers = [];  // Redis, sentinels, PostgreSQL: stopped after the clusters
    this.pg = null;
    this.master = null;
    this.replica = null;
    this.sentinels = this.hosts.map((h) => ({ host: h.addr, port: SENTINEL_PORT }));
    this.masterName = MASTER_NAME;
    this.stopped = false;
  }

  // (Re)starts the Redis server of host 1 on its data (append-only file).
  async startMaster() {
    const h = this.hosts[0];
    const dir = path.join(this.runDir, 'redis-h1');
    fs.mkdirSync(dir, { recursive: true });
    const child = startRedisServer('redis', ['--port', String(REDIS_PORT), '--bind', h.addr, ...dataArgs(dir)], dir, h.command);
    this.servers.push(child);
    this.master = { child, addr: { host: h.addr, port: REDIS_PORT }, dir };
    await waitPong(this.master.addr, child, 'the Redis master');
    return this.master;
  }

  async _start({ workersPerHost, env }) {
    const [h1, h2, h3] = this.hosts;
    this.pg = await startPostgres(h3, this.net.cidr, (child) => this.servers.push(child));
    await this.startMaster();
    const replicaDir = path.join(this.runDir, 'redis-h2');
    const replica = startReplica('redis', { bind: h2.addr, port: REDIS_PORT, master: this.master.addr, dir: replicaDir, launch: h2.command });
    this.servers.push(replica);
    this.replica = { child: replica, addr: { host: h2.addr, port: REDIS_PORT }, dir: replicaDir };
    await waitReplicaSynced(this.replica.addr);
    for (const h of this.hosts) {
      this.servers.push(startSentinel('sentinel', {
        bind: h.addr, port: SENTINEL_PORT, master: this.master.addr, masterName: MASTER_NAME,
        dir: path.join(this.runDir, `sentinel-${h.name}`), launch: h.command,
      }));
    }
    await waitSentinelsReady(this.sentinels, MASTER_NAME, this.replica.addr);

    const publicUrl = `http://${h1.addr}:${HTTP_PORT}/`;
    for (const h of this.hosts) {
      const dir = path.join(this.runDir, h.name);
      fs.mkdirSync(dir);
      h.cluster = new Cluster({
        workers: workersPerHost,
        nginxWorkers: 1,
        prefix: '/',
        listen: { host: h.addr, port: HTTP_PORT },
        inHost: h.command,
        workerCommand: (i, { bin, env: workerEnv }) => {
          const [cmd, args] = h.command(bin);
          return { cmd, args, env: workerEnv };
        },
        // /healthz and /metrics from the test process (the bridge's address).
        renderArgs: ['--public-url', publicUrl, '--monitor-from', this.net.cidr],
        env: {
          PALABRE_REDIS_SENTINELS: this.sentinels.map((s) => `${s.host}:${s.port}`).join(','),
          PALABRE_REDIS_MASTER_NAME: MASTER_NAME,
          PALABRE_REDIS_WAIT_REPLICAS: '1',
          PALABRE_REDIS_WAIT_TIMEOUT_MS: '1000',
          PALABRE_PING_INTERVAL_S: '1',
          PALABRE_DATABASE_URL: this.pg.url,
          PALABRE_HOST_NAME: h.name,
          ...env,
        },
      }, dir);
      // Not the unix socket baseEnv() would name: the sentinels say where.
      h.cluster.workerRedis = this.master.addr;
    }

    const first = h1.cluster;
    await first.admin(['migrate']);
    first.adminPassword = fieldOf(await first.admin(['create-admin', '--login', 'admin', '--if-missing']), 'password');
    const token = fieldOf(await first.admin(['token', '--login', 'admin']), 'token');
    if (!token) throw new Error('palabre-admin token printed no token');
    for (const h of this.hosts) {
      h.cluster.adminToken = token;
      for (let i = 0; i < workersPerHost; i++) await h.cluster.startWorker(i);
      await h.cluster._startNginx();
    }
    for (const h of this.hosts) await h.cluster.waitHealthy();
  }

  // Where the sentinels (each of them) say the master is: ["host:port", ...].
  async mastersSeen() {
    const out = [];
    for (const s of this.sentinels) out.push((await redisCli(s, ['SENTINEL', 'get-master-addr-by-name', MASTER_NAME])).split('\n').join(':'));
    return out;
  }

  async stop() {
    if (this.stopped) return;
    this.stopped = true;
    const errors = [];
    for (const h of this.hosts) {
      if (h.cluster) await h.cluster.stop().catch((e) => errors.push(e.message));
    }
    if (process.env.PALABRE_TEST_LOGS === '1') {
      for (const s of this.servers) if (s.logPath) process.stderr.write(`== ${s.logPath}\n${tail(s.logPath, 20)}\n`);
    }
    // PostgreSQL (SIGINT: a fast shutdown, not waiting for its clients) too.
    for (const s of this.servers) await terminate(s, s.logPath ? 'SIGTERM' : 'SIGINT', 5000);
    this.net.remove();
    if (process.env.PALABRE_KEEP_RUN_DIR !== '1') {
      fs.rmSync(this.runDir, { recursive: true, force: true });
      if (this.pg) fs.rmSync(this.pg.dir, { recursive: true, force: true });
    }
    liveDirs.delete(this.runDir);
    if (this.pg) liveDirs.delete(this.pg.dir);
    if (errors.length) throw new Error(errors.join('\n'));
  }
}

async function startSite({ hosts = 3, workersPerHost = 2, env = {} } = {}) {
  const site = new Site(hosts);
  try {
    await site._start({ workersPerHost, env });
  } catch (e) {
    await site.stop().catch(() => {});
    throw e;
  }
  return site;
}

module.exports = { startSite, siteUnavailable, MASTER_NAME };

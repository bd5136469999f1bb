'use strict';
// The worker under systemd (docs/INSTALL.md, debian/palabre@.service):
// sockets passed by socket activation and shared by several processes,
// READY/RELOADING/STOPPING and the watchdog through NOTIFY_SOCKET, SIGHUP
// reloading the configuration files, SIGTERM of one process while the other
// keeps serving the shared sockets, and settings refused at start.
//
// systemd itself is not run (no init here): systemd-socket-activate (from
// the systemd package) starts one socket-activated process, and
// tests/support/shared_sockets.py several sharing the same sockets, as
// Sockets=palabre.socket does; tests/support/notify_listener.py receives
// what they tell systemd.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const {
  startCluster, expectOk, waitUntil, sleep, run, track, fcgiRequest, SOURCE_DIR, BUILD_DIR,
} = require('../support/cluster');

const WORKER = path.join(BUILD_DIR, 'palabre-worker');
const ADMIN = path.join(BUILD_DIR, 'palabre-admin');
const SUPPORT = path.join(SOURCE_DIR, 'tests', 'support');

let c;
let dir;          // this file's own scratch dir
let notifyLog;    // one JSON line per message systemd would receive
let configFile;   // the workers' --config
let pids = [];    // the two processes sharing the sockets
const helpers = [];  // notify listeners: stopped in after()

function notices() {
  if (!fs.existsSync(notifyLog)) return [];
  return fs.readFileSync(notifyLog, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}
const said = (pid, text) => notices().some((n) => n.pid === pid && n.message.split('\n').includes(text));
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };

async function startNotifyListener(socketPath, log) {
  const listener = track(spawn('python3', [path.join(SUPPORT, 'notify_listener.py'), socketPath, log], { stdio: 'ignore' }));
  helpers.push(listener);
  await waitUntil(() => fs.existsSync(log) && fs.existsSync(socketPath), { what: 'the notify listener' });
  return listener;
}

before(async () => {
  dir = fs.mkdtempSync('/tmp/plb-sd-');
  notifyLog = path.join(dir, 'notify.log');
  configFile = path.join(dir, 'palabre.conf');
  fs.writeFileSync(configFile, '# as /etc/palabre/palabre.conf\nPALABRE_LOG_LEVEL=info\nPALABRE_RETENTION_DAYS=30\n');
  await startNotifyListener(path.join(dir, 'notify.sock'), notifyLog);
  c = await startCluster({
    workers: 1,
    nginxWorkers: 1,
    workerCommand: (i, { bin, sock, streamSock, env }) => ({
      cmd: 'python3',
      args: [path.join(SUPPORT, 'shared_sockets.py'), '--count', '2', '--listen', sock, '--listen', streamSock,
        '--', bin, '--config', configFile],
      env: { ...env, NOTIFY_SOCKET: path.join(dir, 'notify.sock'), WATCHDOG_USEC: '2000000' },
    }),
  });
  await waitUntil(() => {
    pids = [...new Set(notices().filter((n) => n.message.includes('READY=1')).map((n) => n.pid))];
    return pids.length === 2;
  }, { timeoutMs: 15000, what: 'READY=1 from both processes' });
});

after(async () => {
  if (c) await c.stop();
  for (const h of helpers) {
    h.kill('SIGKILL');
    await h.exited;
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('under systemd', () => {
  it('serves a debate from the sockets systemd passed, shared by two processes, and feeds the watchdog', async () => {
    const ev = await c.createEvent({ title: 'Sockets partagés' });
    const stream = await c.sse(`/api/events/${ev.id}/stream`);
    assert.equal(stream.status, 200);
    const admin = c.asAdmin();
    const sent = expectOk(await admin.post(`/api/events/${ev.id}/announcements`, { text: 'Bienvenue', lang: 'fr' }), 201, 'announce');
    await stream.waitFor((f) => f.id === sent.id || (f.data && f.data.id === sent.id), 10000, 'the announcement on the stream');
    stream.close();
    // Half of WATCHDOG_USEC (2 s): every second from each hub.
    await waitUntil(() => pids.every((pid) => said(pid, 'WATCHDOG=1')), { timeoutMs: 5000, what: 'WATCHDOG=1 from both' });
    // The socket paths are the activator's; no process made its own.
    const log = fs.readFileSync(path.join(c.runDir, 'worker-1.log'), 'utf8');
    assert.match(log, /"listen":"systemd:3"/);
    assert.match(log, /"streams":"systemd:4"/);
  });

  it('says which build answers, on --version and on /metrics', async () => {
    const version = (await run(WORKER, ['--version'])).stdout.trim();
    const m = version.match(/^palabre-worker (\S+) \(commit (\S+)\)$/);
    assert.ok(m, version);
    const metrics = await c.get('/metrics');
    assert.equal(metrics.status, 200);
    // One scrape holds every process (labelled worker="host:pid").
    for (const pid of pids) {
      const line = new RegExp(`^palabre_build_info\\{worker="[^"]+:${pid}",version="${m[1]}",commit="${m[2]}"\\} 1$`, 'm');
      assert.match(metrics.text, line);
    }
    const admin = (await run(ADMIN, ['--version'])).stdout.trim();
    assert.equal(admin, version.replace('palabre-worker', 'palabre-admin'));
  });

  it('reloads on SIGHUP: the log level at once, the rest named as needing a restart; a broken file changes nothing', async () => {
    const [pid] = pids;
    const logPath = path.join(c.runDir, 'worker-1.log');
    fs.writeFileSync(configFile, 'PALABRE_LOG_LEVEL=debug\nPALABRE_RETENTION_DAYS=31\n');
    process.kill(pid, 'SIGHUP');
    await waitUntil(() => said(pid, 'RELOADING=1'), { what: 'RELOADING=1' });
    await waitUntil(() => /configuration reloaded/.test(fs.readFileSync(logPath, 'utf8')), { what: 'the reload in the log' });
    const log = fs.readFileSync(logPath, 'utf8');
    assert.match(log, /take effect at the next restart","settings":"PALABRE_RETENTION_DAYS"/);
    const readies = notices().filter((n) => n.pid === pid && n.message.includes('READY=1'));
    assert.equal(readies.length, 2, 'READY=1 again after the reload');

    fs.writeFileSync(configFile, 'PALABRE_LOG_LEVEL=debug\nPALABRE_RETENTION_DAYZ=31\n');
    process.kill(pid, 'SIGHUP');
    await waitUntil(() => /configuration not reloaded/.test(fs.readFileSync(logPath, 'utf8')), { what: 'the refusal in the log' });
    assert.match(fs.readFileSync(logPath, 'utf8'), /PALABRE_RETENTION_DAYZ \(did you mean PALABRE_RETENTION_DAYS\?\)/);
    assert.ok(alive(pid), 'SIGHUP never stops a worker');
    expectOk(await c.get('/healthz'), 200, 'healthz after the reloads');

    // The level really applies: at "error" the reload's own info line is
    // not written; back at "info" it is again.
    const reloadedLines = () => (fs.readFileSync(logPath, 'utf8').match(/"configuration reloaded"/g) || []).length;
    const readyCount = () => notices().filter((n) => n.pid === pid && n.message.includes('READY=1')).length;
    const before = reloadedLines();
    let readyBefore = readyCount();
    fs.writeFileSync(configFile, 'PALABRE_LOG_LEVEL=error\nPALABRE_RETENTION_DAYS=30\n');
    process.kill(pid, 'SIGHUP');
    await waitUntil(() => readyCount() > readyBefore, { what: 'READY=1 after the reload to "error"' });
    assert.equal(reloadedLines(), before, 'nothing below "error" is logged after the reload');
    readyBefore = readyCount();
    fs.writeFileSync(configFile, 'PALABRE_LOG_LEVEL=info\nPALABRE_RETENTION_DAYS=30\n');
    process.kill(pid, 'SIGHUP');
    await waitUntil(() => readyCount() > readyBefore, { what: 'READY=1 after the reload to "info"' });
    await waitUntil(() => reloadedLines() === before + 1, { what: 'the info line again' });
  });

  it('stops one process on SIGTERM without failing a request: the other keeps serving the shared sockets', async () => {
    const [first, second] = pids;
    const results = [];
    let loading = true;
    const reader = async () => {
      while (loading) {
        try {
          results.push((await c.get('/api/events', { timeoutMs: 10000 })).status);
        } catch (e) {
          results.push(0);
        }
      }
    };
    const load = [reader(), reader(), reader()];
    await waitUntil(() => results.length >= 50, { timeoutMs: 20000, what: 'load to build up' });
    process.kill(first, 'SIGTERM');
    await waitUntil(() => said(first, 'STOPPING=1'), { what: 'STOPPING=1' });
    await waitUntil(() => !alive(first), { timeoutMs: 12000, what: 'the first process to exit' });
    const stoppedAt = results.length;
    await waitUntil(() => results.length >= stoppedAt + 50, { timeoutMs: 20000, what: 'load after the stop' });
    loading = false;
    await Promise.all(load);
    const failed = results.filter((s) => s !== 200);
    assert.deepEqual(failed, [], `${failed.length} of ${results.length} requests failed`);
    assert.ok(alive(second), 'the other process still runs');
    assert.ok(fs.existsSync(c.workerSocket(0)), 'the shared socket stays');
    const log = fs.readFileSync(path.join(c.runDir, 'worker-1.log'), 'utf8');
    assert.match(log, /"worker stopped"/);
  });
});

describe('alone under systemd-socket-activate', () => {
  it('starts on the first connection, answers FastCGI on the passed socket, and stops cleanly', async () => {
    const sock = path.join(dir, 'fcgi.sock');
    const log = path.join(dir, 'notify-one.log');
    await startNotifyListener(path.join(dir, 'notify-one.sock'), log);
    const env = { ...c.baseEnv(), NOTIFY_SOCKET: path.join(dir, 'notify-one.sock'), PALABRE_STREAM_LISTEN: 'off' };
    const passEnv = Object.keys(env).flatMap((k) => ['-E', k]);
    const activator = track(spawn('systemd-socket-activate', ['-l', sock, ...passEnv, WORKER, '--config', configFile],
      { env, stdio: ['ignore', 'ignore', fs.openSync(path.join(dir, 'activated.log'), 'a')] }));
    await waitUntil(() => fs.existsSync(sock), { what: 'systemd-socket-activate to listen' });
    const res = await fcgiRequest(sock, 'GET', '/healthz', '/', {}, 15000);
    assert.equal(res.status, 200, JSON.stringify(res).slice(0, 300));
    // Accepting starts a moment before READY=1 (sent once every thread runs).
    await waitUntil(() => /READY=1/.test(fs.readFileSync(log, 'utf8')), { what: 'READY=1' });
    activator.kill('SIGTERM');
    const status = await Promise.race([activator.exited, sleep(12000).then(() => null)]);
    if (!status) activator.kill('SIGKILL');
    assert.ok(status, 'stopped within 12 s');
    assert.equal(status.code, 0, JSON.stringify(status));
    assert.match(fs.readFileSync(log, 'utf8'), /STOPPING=1/);
  });
});

describe('settings', () => {
  it('refuses an unknown setting at start, naming where it was and the closest known one', async () => {
    const bad = path.join(dir, 'typo.conf');
    fs.writeFileSync(bad, 'PALABRE_REDIS_HOST=127.0.0.1\nPALABRE_REDIS_PROT=6380\n');
    const r = await run(WORKER, ['--config', bad], { env: { PATH: process.env.PATH } }).catch((e) => e);
    const out = `${r.stdout || ''}${r.stderr || ''}${r.message || ''}`;
    assert.equal(r.code, 2, out);
    assert.match(out, /typo\.conf:2: unknown setting PALABRE_REDIS_PROT \(did you mean PALABRE_REDIS_PORT\?\)/);
    const admin = await run(ADMIN, ['--config', bad, 'migrate'], { env: { PATH: process.env.PATH } }).catch((e) => e);
    assert.equal(admin.code, 1);
    assert.match(`${admin.stderr || ''}${admin.message || ''}`, /unknown setting PALABRE_REDIS_PROT/);
  });

  it("knows every setting the package's /etc/palabre/palabre.conf names", async () => {
    const shipped = fs.readFileSync(path.join(SOURCE_DIR, 'dist', 'palabre.conf'), 'utf8');
    const names = [...shipped.matchAll(/^#?(PALABRE_[A-Z0-9_]+)=/gm)].map((m) => m[1]);
    assert.ok(names.length > 40, `${names.length} settings named`);
    const every = path.join(dir, 'every.conf');
    fs.writeFileSync(every, names.map((n) => `${n}=`).join('\n') + '\n');
    const r = await run(ADMIN, ['--config', every, '--db', path.join(dir, 'every.db'), 'migrate'], { env: { PATH: process.env.PATH } });
    assert.equal(r.code, 0, r.stderr);
  });
});

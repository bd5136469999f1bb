'use strict';
// Fault battery, workers: a worker killed with SIGKILL while a moderator
// publishes, every worker killed and restarted, a worker stopped with
// SIGTERM under load. Hundreds of live streams (PALABRE_FAULT_CLIENTS, 500
// by default) reconnect on their own like browsers, with Last-Event-ID, and
// each must end with exactly the published messages: same order, none
// missing, none twice.

const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, waitUntil, sleep } = require('../support/cluster');
const { SseFleet } = require('../support/sse_fleet');
const { faultClients, openFileLimit, newDebate, announce, publishLoop, publishedKeys, note } = require('../support/faults');

const CLIENTS = faultClients();
const WORKERS = 3;

let c;
let fleet = null;

before(async () => {
  assert.ok(openFileLimit() >= CLIENTS + 200, `this test may open ${openFileLimit()} files, needs ${CLIENTS + 200}: raise ulimit -n`);
  c = await startCluster({ workers: WORKERS, nginxWorkers: 2 });
});

afterEach(() => {
  if (fleet) fleet.close();
  fleet = null;
});

after(async () => {
  if (fleet) fleet.close();
  if (c) await c.stop();
});

async function watchers(d) {
  fleet = new SseFleet(c, `${d.base}/stream`, { count: CLIENTS });
  await fleet.start();
  return fleet;
}

// Every acknowledged announcement is in the history, and the history holds
// nothing that was not sent.
function checkAcked(want, run) {
  const have = new Set(want);
  const lost = run.acked.filter((id) => !have.has(id));
  assert.deepEqual(lost, [], 'every announcement answered 201 is in the history');
  assert.ok(want.length <= run.acked.length + run.failed.length,
    `the history holds ${want.length} messages, ${run.acked.length + run.failed.length} were sent`);
}

describe(`${WORKERS} workers, ${CLIENTS} live streams`, () => {
  it('loses and repeats nothing when one worker is killed with SIGKILL mid-publish, and every stream has caught up within 5 s of the last message', async () => {
    const d = await newDebate(c, 'Un worker tombe');
    await watchers(d);
    const run = await publishLoop(d, {
      count: 60, intervalMs: 25,
      hooks: { 20: () => c.killWorker(1, 'SIGKILL') },
    });
    const want = await publishedKeys(c, d);
    checkAcked(want, run);
    const left = run.lastAt + 5000 - Date.now();
    const took = await fleet.waitExact(want, Math.max(1, left));
    const s = fleet.summary();
    note(`SIGKILL mid-publish: ${run.acked.length} acked, ${run.failed.length} failed (${JSON.stringify(run.failed.map((f) => f.status))}); ` +
      `streams ended ${s.ends}, reconnects ${s.connects - CLIENTS}; exact ${Date.now() - run.lastAt} ms after the last publish (waited ${took} ms)`);
    assert.ok(s.ends > 0, 'some streams were on the killed worker');
    await c.startWorker(1);
    await c.waitHealthy();
  });

  it('delivers every message exactly once after all workers are killed and restarted', async () => {
    const d = await newDebate(c, 'Tous les workers tombent');
    await watchers(d);
    const before1 = await publishLoop(d, { count: 15, intervalMs: 10 });
    await fleet.waitExact(await publishedKeys(c, d), 10000);
    for (let i = 0; i < WORKERS; i++) await c.killWorker(i, 'SIGKILL');
    // While no worker is up, nginx answers with the JSON error of the contract.
    const down = await announce(d);
    assert.equal(down.status, 502, `publishing with no worker: ${down.status} ${down.text.slice(0, 200)}`);
    assert.equal(down.json && down.json.error && typeof down.json.error.code, 'string', 'a JSON error');
    const t0 = Date.now();
    for (let i = 0; i < WORKERS; i++) await c.startWorker(i);
    await c.waitHealthy();
    const after1 = await publishLoop(d, { count: 15, intervalMs: 10 });
    const want = await publishedKeys(c, d);
    checkAcked(want, { acked: [...before1.acked, ...after1.acked], failed: [...before1.failed, ...after1.failed] });
    assert.equal(want.length, 30);
    const took = await fleet.waitExact(want, 15000);
    note(`all workers restarted: exact ${Date.now() - t0} ms after the restart began (waited ${took} ms); ${JSON.stringify(fleet.summary())}`);
  });

  it('stops a worker with SIGTERM under load without failing one short request, within 10 s, and its streams resume exactly', async () => {
    const d = await newDebate(c, 'Arrêt propre');
    await watchers(d);
    const results = [];
    let loading = true;
    const pages = [`${d.base}`, '/healthz', `${d.base}/poll`, '/api/events'];
    const reader = async (k) => {
      for (let n = 0; loading; n++) {
        const p = pages[(k + n) % pages.length];
        const t0 = Date.now();
        try {
          const res = await c.get(p, { timeoutMs: 15000 });
          results.push({ p, status: res.status, ms: Date.now() - t0 });
        } catch (e) {
          results.push({ p, status: 0, error: e.message, ms: Date.now() - t0 });
        }
      }
    };
    const acked = [];
    const publisher = async () => {
      while (loading) {
        const res = await announce(d);
        results.push({ p: 'POST announcements', status: res.status, ms: res.elapsedMs });
        if (res.status === 201) acked.push(res.json.id);
        await sleep(20);
      }
    };
    const load = [...Array.from({ length: 6 }, (_, k) => reader(k)), publisher()];
    await waitUntil(() => results.length >= 200, { timeoutMs: 20000, what: 'load to build up' });
    const child = c.signalWorker(0, 'SIGTERM');
    const t0 = Date.now();
    const status = await Promise.race([child.exited, sleep(12000).then(() => null)]);
    const exitMs = Date.now() - t0;
    // Keep the load a little after the exit: the other workers take it all.
    await sleep(500);
    loading = false;
    await Promise.all(load);
    if (!status) child.kill('SIGKILL');
    const failures = results.filter((r) => !(r.status >= 200 && r.status < 300));
    note(`SIGTERM under load: ${results.length} short requests, ${failures.length} failed; worker exited after ${exitMs} ms with ${JSON.stringify(status)}`);
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${results.length} short requests failed`);
    assert.ok(status, 'the worker exited within 12 s');
    assert.ok(exitMs <= 10000, `the worker exited after ${exitMs} ms`);
    assert.equal(status.code, 0, `clean exit: ${JSON.stringify(status)}`);
    const want = await publishedKeys(c, d);
    assert.deepEqual(want, acked, 'the history is what was acknowledged');
    await fleet.waitExact(want, 10000);
    await c.startWorker(0);
    await c.waitHealthy();
  });

  it('loses and repeats nothing across three nginx reloads under load, and the old nginx workers are gone afterwards', async () => {
    const d = await newDebate(c, 'Rechargement de nginx');
    await watchers(d);
    const before1 = c.nginxWorkers().map((w) => w.pid);
    const reloads = [];
    const reload = () => reloads.push(c.reloadNginx());
    const run = await publishLoop(d, { count: 60, intervalMs: 30, hooks: { 10: reload, 25: reload, 40: reload } });
    await Promise.all(reloads);
    const want = await publishedKeys(c, d);
    assert.deepEqual(run.failed, [], 'no publication failed during the reloads');
    assert.deepEqual(want, run.acked);
    await fleet.waitExact(want, 10000);
    const t0 = Date.now();
    let last = [];
    try {
      await waitUntil(() => {
        last = c.nginxWorkers();
        return last.length === 2 && last.every((w) => !w.shuttingDown && !before1.includes(w.pid));
      }, { timeoutMs: 15000, intervalMs: 100, what: 'the old nginx workers to exit' });
    } catch (e) {
      throw new Error(`${e.message}; nginx workers now: ${JSON.stringify(last)} (${last.filter((w) => w.shuttingDown).length} shutting down); ${JSON.stringify(fleet.summary())}`);
    }
    // nginx.conf.in's worker_shutdown_timeout ends the streams an old
    // nginx worker still holds; their clients reconnect through the new ones.
    note(`3 nginx reloads: old workers gone ${Date.now() - t0} ms after delivery; ${JSON.stringify(fleet.summary())}`);
    // And the streams still work through the new workers.
    const more = await publishLoop(d, { count: 5, intervalMs: 0 });
    await fleet.waitExact([...want, ...more.acked], 10000);
  });

  it('had no worker crash', () => {
    assert.deepEqual(c.unexpectedExits(), []);
  });
});

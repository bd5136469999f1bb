'use strict';
// GET /api/events/{id} is kept by nginx for a second (nginx/palabre.conf.in,
// "Event details"): a crowd opening the page at once costs the workers about
// one request per second. What must hold: the kept answer is the worker's
// answer, staff always read fresh, a change of phase is never hidden, an
// error is never kept, and the cache really spares the workers.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, expectOk, expectError, isoIn, sleep, waitUntil } = require('../support/cluster');

let c;

before(async () => {
  c = await startCluster({ workers: 2, nginxWorkers: 1 });
});

after(async () => {
  if (c) await c.stop();
});

const cacheStatus = (res) => res.headers['palabre-cache'];
// Requests for one path that reached a worker, from nginx's access log.
const upstreamHits = (path) => c.accessLog().filter((l) => l.uri === path && l.upstream_addr && l.upstream_addr !== '-').length;

describe('event details through nginx', () => {
  it('serves a crowd from one worker answer per second, byte for byte', async () => {
    const ev = await c.createEvent({ title: 'La foule arrive' });
    const path = `/api/events/${ev.id}`;
    const first = await c.get(path);
    expectOk(first, 200);
    const crowd = await Promise.all(Array.from({ length: 50 }, () => c.get(path)));
    for (const res of crowd) {
      assert.equal(res.status, 200);
      assert.equal(res.text, first.text, 'the kept answer is the worker\'s');
    }
    assert.ok(crowd.filter((r) => cacheStatus(r) === 'HIT').length >= 45, `mostly hits: ${crowd.map(cacheStatus)}`);
    await waitUntil(() => c.accessLog().filter((l) => l.uri === path).length >= 51, { what: 'the access log' });
    assert.ok(upstreamHits(path) <= 3, `${upstreamHits(path)} of 51 requests reached a worker`);
    assert.ok(!('x-accel-expires' in first.headers), 'the worker\'s hint to nginx is not passed on');
  });

  it('keeps a copy for about a second only', async () => {
    const ev = await c.createEvent({ title: 'Une seconde' });
    const path = `/api/events/${ev.id}`;
    expectOk(await c.get(path), 200);
    expectOk(await c.asAdmin().patch(path, { title: 'Une seconde, modifiée' }), 200);
    await sleep(2100);
    const later = expectOk(await c.get(path), 200);
    assert.equal(later.title, 'Une seconde, modifiée');
  });

  it('gives staff a fresh answer at once after their change', async () => {
    const ev = await c.createEvent({ title: 'Avant' });
    const path = `/api/events/${ev.id}`;
    expectOk(await c.get(path), 200);
    const admin = c.asAdmin();
    expectOk(await admin.patch(path, { title: 'Après' }), 200);
    const fresh = await admin.get(path);
    assert.equal(expectOk(fresh, 200).title, 'Après');
    assert.equal(cacheStatus(fresh), 'BYPASS');
  });

  it('does not keep an answer across a change of phase', async () => {
    const ev = await c.createEvent({ title: 'Ouverture imminente', starts_at: isoIn(1500), ends_at: isoIn(3600e3), questions_before: true });
    const path = `/api/events/${ev.id}`;
    const before = expectOk(await c.get(path), 200);
    assert.equal(before.phase, 'pre_questions');
    const again = await c.get(path);
    expectOk(again, 200);
    assert.notEqual(cacheStatus(again), 'HIT', 'not kept so close to the opening');
    await waitUntil(async () => (await c.get(path)).json.phase === 'live', { timeoutMs: 4000, intervalMs: 100, what: 'the debate opens' });
    assert.equal(expectOk(await c.get(path), 200).phase, 'live');
  });

  it('never keeps an error', async () => {
    const path = '/api/events/nobody-here';
    expectError(await c.get(path), 404, 'not_found');
    const again = await c.get(path);
    expectError(again, 404, 'not_found');
    assert.notEqual(cacheStatus(again), 'HIT');
  });
});

'use strict';
// GET /api/events/{id} is kept by nginx for a second once a crowd asks for
// it (nginx/palabre.conf.in, "Event details"): a crowd opening the page at
// once costs the workers about one request per second. What must hold: a
// few readers see an edit at once, the kept answer is the worker's answer,
// staff always read fresh, a change of phase is never hidden, an error is
// never kept, and the cache really spares the workers.

const CROWD = 20;  // fastcgi_cache_min_uses

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

// The first CROWD requests, one after the other: then nginx may keep a copy.
const warm = async (path) => {
  let last;
  for (let i = 0; i < CROWD; i++) last = expectOk(await c.get(path), 200);
  return last;
};

describe('event details through nginx', () => {
  it('shows a few readers an edit at once', async () => {
    const ev = await c.createEvent({ title: 'Peu de lecteurs' });
    const path = `/api/events/${ev.id}`;
    for (let i = 0; i < 5; i++) expectOk(await c.get(path), 200);
    expectOk(await c.asAdmin().patch(path, { title: 'Peu de lecteurs, modifié' }), 200);
    const res = await c.get(path);
    assert.equal(expectOk(res, 200).title, 'Peu de lecteurs, modifié');
    assert.notEqual(cacheStatus(res), 'HIT');
  });

  it('does not let staff reads fill the copy that a visitor would get after their edit', async () => {
    const ev = await c.createEvent({ title: 'Lu par l’équipe' });
    const path = `/api/events/${ev.id}`;
    const admin = c.asAdmin();
    for (let i = 0; i < CROWD + 5; i++) assert.equal(cacheStatus(await admin.get(path)), 'BYPASS');
    expectOk(await admin.patch(path, { title: 'Lu par l’équipe, modifié' }), 200);
    const res = await c.get(path);
    assert.equal(expectOk(res, 200).title, 'Lu par l’équipe, modifié');
    assert.notEqual(cacheStatus(res), 'HIT');
  });

  it('serves a crowd from one worker answer per second, byte for byte', async () => {
    const ev = await c.createEvent({ title: 'La foule arrive' });
    const path = `/api/events/${ev.id}`;
    await warm(path);
    const first = await c.get(path);
    expectOk(first, 200);
    const crowd = await Promise.all(Array.from({ length: 50 }, () => c.get(path)));
    for (const res of crowd) {
      assert.equal(res.status, 200);
      assert.equal(res.text, first.text, 'the kept answer is the worker\'s');
    }
    assert.ok(crowd.filter((r) => cacheStatus(r) === 'HIT').length >= 45, `mostly hits: ${crowd.map(cacheStatus)}`);
    const total = CROWD + 51;
    await waitUntil(() => c.accessLog().filter((l) => l.uri === path).length >= total, { what: 'the access log' });
    assert.ok(upstreamHits(path) <= CROWD + 3, `${upstreamHits(path)} of ${total} requests reached a worker`);
    assert.ok(!('x-accel-expires' in first.headers), 'the worker\'s hint to nginx is not passed on');
  });

  it('keeps a copy for about a second only', async () => {
    const ev = await c.createEvent({ title: 'Une seconde' });
    const path = `/api/events/${ev.id}`;
    await warm(path);
    expectOk(await c.asAdmin().patch(path, { title: 'Une seconde, modifiée' }), 200);
    await sleep(2100);
    const later = expectOk(await c.get(path), 200);
    assert.equal(later.title, 'Une seconde, modifiée');
  });

  it('gives staff a fresh answer at once after their change', async () => {
    const ev = await c.createEvent({ title: 'Avant' });
    const path = `/api/events/${ev.id}`;
    await warm(path);
    const admin = c.asAdmin();
    expectOk(await admin.patch(path, { title: 'Après' }), 200);
    const fresh = await admin.get(path);
    assert.equal(expectOk(fresh, 200).title, 'Après');
    assert.equal(cacheStatus(fresh), 'BYPASS');
  });

  it('does not keep an answer across a change of phase', async () => {
    // 3 to 4 s ahead (starts_at has whole seconds): the crowd reaches 20
    // requests while the opening is still more than 2 s away, so a copy is kept.
    const ev = await c.createEvent({ title: 'Ouverture imminente', starts_at: isoIn(4000), ends_at: isoIn(3600e3), questions_before: true });
    const path = `/api/events/${ev.id}`;
    const opens = Date.parse(ev.starts_at);
    // A crowd keeps asking until the opening, and a little after.
    const seen = [];
    while (Date.now() < opens + 1500) {
      const res = await c.get(path);
      seen.push({ at: Date.now(), phase: expectOk(res, 200).phase, cache: cacheStatus(res) });
      await sleep(20);
    }
    assert.ok(seen.some((r) => r.cache === 'HIT'), 'the crowd was served from the copy before the opening');
    const late = seen.filter((r) => r.at > opens + 50 && r.phase !== 'live');
    assert.deepEqual(late, [], 'every answer after the opening says live');
  });

  it('never keeps an error', async () => {
    const path = '/api/events/nobody-here';
    for (let i = 0; i < CROWD; i++) expectError(await c.get(path), 404, 'not_found');
    const again = await c.get(path);
    expectError(again, 404, 'not_found');
    assert.notEqual(cacheStatus(again), 'HIT');
  });
});

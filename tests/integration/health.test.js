'use strict';
// /healthz tells ops which dependency fails, and requests that need Redis
// fail fast with the JSON error of the contract when it is gone. (What
// happens after Redis comes back belongs to the fault tests.)

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, expectOk, expectError } = require('../support/cluster');

let c;

before(async () => {
  c = await startCluster({ workers: 1, nginxWorkers: 1 });
});

after(async () => {
  if (c) await c.stop();
});

describe('health', () => {
  it('is 200 with every check ok while Redis and SQLite answer', async () => {
    const body = expectOk(await c.get('/healthz'), 200, 'healthz');
    assert.deepEqual(body, { status: 'ok', checks: { redis: 'ok', sql: 'ok', fanout: 'ok', durability: 'ok', nginx_capacity: 'ok' } });
  });

  it('warns, still 200, when Redis would lose acknowledged data', async () => {
    await c.redisCli(['CONFIG', 'SET', 'appendonly', 'no']);
    await c.redisCli(['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru']);
    try {
      const body = expectOk(await c.get('/healthz'), 200, 'healthz');
      assert.equal(body.status, 'warn');
      assert.equal(body.checks.durability, 'warn');
      assert.equal(body.warnings.length, 2);
      assert.match(body.warnings.join(' '), /appendonly no/);
      assert.match(body.warnings.join(' '), /allkeys-lru/);
    } finally {
      await c.redisCli(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
      await c.redisCli(['CONFIG', 'SET', 'appendonly', 'yes']);
    }
    const body = expectOk(await c.get('/healthz'), 200, 'healthz');
    assert.equal(body.status, 'ok');
  });

  it('is 503 naming Redis, and posts fail fast with store_unavailable, once Redis is gone', async () => {
    const ev = await c.createEvent({ title: 'Sans Redis' });
    const visitor = await c.join(ev.id, 'Camille');
    c.redis.kill('SIGKILL');
    await c.redis.exited;

    const t0 = Date.now();
    const res = await c.get('/healthz');
    assert.equal(res.status, 503, res.text);
    assert.equal(res.json.status, 'fail');
    assert.equal(res.json.checks.redis, 'fail');
    assert.equal(res.json.checks.sql, 'ok');
    const ask = await visitor.ask(ev.id, 'Quelqu’un ?', 'fr');
    expectError(ask, 503, 'store_unavailable', 'a question while Redis is down');
    assert.ok(Date.now() - t0 < 5000, `answered in ${Date.now() - t0} ms`);
    // Public reads that need only SQL still work.
    expectOk(await c.get(`/api/events/${ev.id}`), 200, 'the event page data');
  });
});

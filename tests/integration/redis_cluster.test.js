'use strict';
// Redis in cluster mode (one node holding every slot, tests/support/cluster.js
// redisCluster): each debate's keys share one hash tag (fcgi/redis/keys.hpp),
// so every script and multi-key command stays in one slot, and a Redis
// Cluster could shard debates. A command touching two slots fails there with
// CROSSSLOT; the harness also fails the file if Redis counted any.
// The whole flows run the same way with PALABRE_TEST_REDIS_CLUSTER=1 (ctest:
// integration_cluster.*).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, expectOk, waitUntil } = require('../support/cluster');

describe('Redis in cluster mode', () => {
  let c;
  before(async () => { c = await startCluster({ workers: 2, nginxWorkers: 1, redisCluster: true }); });
  after(async () => { if (c) await c.stop(); });

  it('is a real one-node cluster that refuses a command across slots', async () => {
    assert.match(await c.redisCli(['cluster', 'info']), /cluster_state:ok/);
    const refused = await c.redisCli(['mset', 'palabre:test:{a}', '1', 'palabre:test:{b}', '2']);
    assert.match(refused, /CROSSSLOT/);
    assert.equal(await c.crossSlotErrors(), 1);
    await c.redisCli(['config', 'resetstat']);
    assert.equal(await c.crossSlotErrors(), 0);
  });

  it('runs a debate: questions, supports, a poll, a ban, the audit drain, deletion', async () => {
    const admin = c.asAdmin();
    const ev = await c.createEvent({ title: 'Débat en cluster' });
    const pub = await c.sse(`/api/events/${ev.id}/stream`);
    const anne = await c.join(ev.id, 'Anne');
    const marc = await c.join(ev.id, 'Marc');
    const key = 'cluster-ask-1';
    const q = expectOk(await anne.post(`/api/events/${ev.id}/questions`, { text: 'Et le tram ?', lang: 'fr' },
      { headers: { 'Idempotency-Key': key } }), 202);
    const again = expectOk(await anne.post(`/api/events/${ev.id}/questions`, { text: 'Et le tram ?', lang: 'fr' },
      { headers: { 'Idempotency-Key': key } }), 202);
    assert.equal(again.id, q.id, 'a retry finds the same question');
    expectOk(await admin.act(ev.id, q.id, 'publish', {}, { headers: { 'Idempotency-Key': 'cluster-publish-1' } }), 200);
    expectOk(await admin.act(ev.id, q.id, 'publish', {}, { headers: { 'Idempotency-Key': 'cluster-publish-1' } }), 200);
    expectOk(await admin.act(ev.id, q.id, 'forward'), 200);
    expectOk(await marc.post(`/api/events/${ev.id}/questions/${q.id}/support`, {}), 200);
    await pub.waitFor((f) => f.event === 'support' && f.data.supports === 1, 10000, 'the support count frame');
    const poll = expectOk(await admin.post(`/api/events/${ev.id}/polls`, { question: 'Tram ou bus ?', options: ['Tram', 'Bus'] }), 201);
    expectOk(await marc.post(`/api/events/${ev.id}/polls/${poll.id}/votes`, { options: [0] }), 200);
    await pub.waitFor((f) => f.event === 'poll' && f.data.votes === 1, 10000, 'the poll count frame');
    const troll = await c.join(ev.id, 'Troll');
    expectOk(await admin.post(`/api/events/${ev.id}/bans`, { visitor_id: troll.visitorId, reason: 'cluster' }), 201);
    // The phase clocks drain the audit entries into SQL and unlist the debate.
    await waitUntil(async () => (await c.redisCli(['scard', 'palabre:audit:pending'])) === '0',
      { what: 'the audit entries to be drained', timeoutMs: 10000 });
    const audit = expectOk(await admin.get(`/api/events/${ev.id}/audit`), 200);
    const actions = JSON.stringify(audit);
    for (const a of ['publish', 'forward', 'open_poll', 'ban']) assert.match(actions, new RegExp(`"${a}"`));
    await waitUntil(async () => (await c.redisCli(['scard', 'palabre:frames:debates'])) === '0',
      { what: 'the due frames to be sent', timeoutMs: 10000 });
    // A stream resumed after its last entry gets nothing twice.
    const last = pub.frames.at(-1);
    const resumed = await c.sse(`/api/events/${ev.id}/stream`, { headers: { 'Last-Event-ID': last.id } });
    expectOk(await admin.post(`/api/events/${ev.id}/announcements`, { text: 'Pause de cinq minutes.', lang: 'fr' }), 201);
    const next = await resumed.waitFor((f) => f.event === 'message', 10000, 'the announcement after the resume');
    assert.notEqual(next.id, last.id);
    resumed.close();
    pub.close();
    assert.equal((await admin.del(`/api/events/${ev.id}`)).status, 204);
    for (const pattern of [`palabre:ev:{${ev.id}}:*`, `palabre:q:{${ev.id}}:*`])
      assert.equal(await c.redisCli(['--scan', '--pattern', pattern]), '', pattern);
    assert.equal(await c.crossSlotErrors(), 0, 'no command crossed slots');
  });
});

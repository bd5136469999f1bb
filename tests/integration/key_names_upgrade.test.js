'use strict';
// Upgrading a live deployment to hash-tagged keys (fcgi/redis/keys.hpp,
// fcgi/redis/key_names_upgrade.hpp): a debate in progress, its keys put back
// under the names Palabre used before ("palabre:ev:<id>:…", "palabre:q:<qid>…",
// "palabre:vs:<hash>", "palabre:idem:<digest>:applied", the global
// "palabre:frames:due" and "palabre:framelock:…"), then the workers restart:
// they rename the keys once and the debate goes on — history, cursors,
// sessions, pending questions, claims, supports, polls, bans, idempotent
// retries.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, expectOk, expectError, waitUntil } = require('../support/cluster');

// The name Palabre gave a key before hash tags; null: unchanged.
function oldName(key) {
  let m;
  if ((m = /^palabre:ev:\{([^}]+)\}:framelock:(.*)$/.exec(key))) return `palabre:framelock:${m[2]}`;
  if ((m = /^palabre:ev:\{([^}]+)\}:(.*)$/.exec(key))) return `palabre:ev:${m[1]}:${m[2]}`;
  if ((m = /^palabre:(q|vs|idem):\{([^}]+)\}:(.*)$/.exec(key))) return `palabre:${m[1]}:${m[3]}`;
  return null;
}

async function keysOf(c, pattern) {
  return (await c.redisCli(['--scan', '--pattern', pattern])).split('\n').filter(Boolean).sort();
}

describe('upgrading a Redis that holds keys of the old naming', () => {
  let c;
  before(async () => { c = await startCluster({ workers: 2, nginxWorkers: 1 }); });
  after(async () => { if (c) await c.stop(); });

  it('renames them once at start, and the debate goes on', async () => {
    const admin = c.asAdmin();
    const ev = await c.createEvent({ title: 'Débat pendant la mise à jour' });
    const anne = await c.join(ev.id, 'Anne');
    const marc = await c.join(ev.id, 'Marc');
    const troll = await c.join(ev.id, 'Troll');
    const pending = expectOk(await anne.ask(ev.id, 'Une question en attente ?', 'fr'), 202);
    const key = 'upgrade-publish-1';
    const published = expectOk(await anne.ask(ev.id, 'Une question publiée ?', 'fr'), 202);
    const first = expectOk(await admin.act(ev.id, published.id, 'publish', {}, { headers: { 'Idempotency-Key': key } }), 200);
    expectOk(await marc.post(`/api/events/${ev.id}/questions/${published.id}/support`, {}), 200);
    const poll = expectOk(await admin.post(`/api/events/${ev.id}/polls`, { question: 'Tram ou bus ?', options: ['Tram', 'Bus'] }), 201);
    expectOk(await marc.post(`/api/events/${ev.id}/polls/${poll.id}/votes`, { options: [1] }), 200);
    expectOk(await admin.post(`/api/events/${ev.id}/bans`, { visitor_id: troll.visitorId, reason: 'spam' }), 201);
    expectOk(await admin.post(`/api/events/${ev.id}/questions/${pending.id}/claim`, {}), 200);
    const pub = await c.sse(`/api/events/${ev.id}/stream`);
    await pub.waitFor((f) => f.event === 'poll' && f.data.votes === 1, 10000, 'the poll count');
    const cursor = pub.frames.at(-1).id;
    pub.close();

    // The workers stop; the keys go back to their old names, as a Redis
    // written by the previous version holds them.
    await c.killWorker(0);
    await c.killWorker(1);
    const before = await keysOf(c, 'palabre:*');
    let renamed = 0;
    for (const k of before) {
      if (k === 'palabre:frames:debates' || k === 'palabre:schema') {
        await c.redisCli(['del', k]);
        continue;
      }
      if (/:frames:due$/.test(k)) {
        for (const m of (await c.redisCli(['smembers', k])).split('\n').filter(Boolean))
          await c.redisCli(['sadd', 'palabre:frames:due', m]);
        await c.redisCli(['del', k]);
        continue;
      }
      const to = oldName(k);
      if (to) { await c.redisCli(['rename', k, to]); renamed++; }
    }
    assert.ok(renamed > 15, `${renamed} keys put back under their old names`);
    assert.deepEqual(await keysOf(c, 'palabre:*{*'), [], 'no hash tag left');

    await c.startWorker(0);
    await c.startWorker(1);
    await c.waitHealthy();
    assert.equal(await c.redisCli(['get', 'palabre:schema']), '2');
    assert.equal(await c.redisCli(['exists', 'palabre:schema:lock']), '0');
    assert.deepEqual(await keysOf(c, 'palabre:ev:[^{]*'), [], 'no debate key of the old naming left');
    assert.deepEqual(await keysOf(c, 'palabre:q:[^{]*'), [], 'no question key of the old naming left');
    assert.deepEqual(await keysOf(c, 'palabre:vs:[^{]*'), [], 'no session of the old naming left');

    // Sessions, questions, claims and bans are found under their new names.
    const mine = expectOk(await anne.get(`/api/events/${ev.id}/my-questions`), 200);
    assert.deepEqual(JSON.stringify(mine).includes(pending.id), true, 'Anne still sees her pending question');
    const queue = expectOk(await admin.get(`/api/events/${ev.id}/queue`), 200);
    const inQueue = queue.pending.find((q) => q.id === pending.id);
    assert.ok(inQueue, 'the pending question is still in the queue');
    assert.ok(inQueue.claimed_by, 'with its claim');
    expectError(await troll.ask(ev.id, 'encore', 'fr'), 403, 'banned');
    // Supports and votes count once, as before.
    expectOk(await marc.post(`/api/events/${ev.id}/questions/${published.id}/support`, {}), 200);
    expectError(await marc.post(`/api/events/${ev.id}/polls/${poll.id}/votes`, { options: [0] }), 409, 'already_voted');
    // A retry of a request applied before the upgrade gets its first answer.
    const retried = expectOk(await admin.act(ev.id, published.id, 'publish', {}, { headers: { 'Idempotency-Key': key } }), 200);
    assert.deepEqual(retried, first);
    // A stream resumed from a cursor of before the upgrade goes on from it.
    const resumed = await c.sse(`/api/events/${ev.id}/stream`, { headers: { 'Last-Event-ID': cursor } });
    expectOk(await admin.post(`/api/events/${ev.id}/announcements`, { text: 'Nous reprenons.', lang: 'fr' }), 201);
    const next = await resumed.waitFor((f) => f.event === 'message', 10000, 'the announcement');
    assert.equal(next.data.text, 'Nous reprenons.');
    assert.equal(resumed.frames.filter((f) => f.event === 'message').length, 1, 'nothing replayed before the cursor');
    resumed.close();
    // The whole history is still there for a newcomer.
    const fresh = await c.sse(`/api/events/${ev.id}/stream`);
    await fresh.waitFor((f) => f.event === 'message' && f.data.id === published.id, 10000, 'the published question');
    fresh.close();
    await waitUntil(async () => (await c.redisCli(['scard', 'palabre:audit:pending'])) === '0',
      { what: 'the audit entries to be drained', timeoutMs: 10000 });
  });

  it('does nothing on a second start', async () => {
    await c.killWorker(0);
    await c.redisCli(['set', 'palabre:ev:stray:pub', 'not renamed once the version is set']);
    await c.startWorker(0);
    await c.waitHealthy();
    assert.equal(await c.redisCli(['exists', 'palabre:ev:stray:pub']), '1');
    await c.redisCli(['del', 'palabre:ev:stray:pub']);
  });
});

'use strict';
// Idempotency-Key through nginx (docs/API.md, "Retrying safely"): a retry
// with the same key gets the first answer again and creates nothing twice;
// the same key for another body is refused; a claim still in progress
// answers 409 with Retry-After; a malformed key is a 400.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startCluster, expectError, expectOk } = require('../support/cluster');

describe('Idempotency-Key', () => {
  let c;
  let ev;
  let mod;
  let visitor;

  before(async () => {
    c = await startCluster({ workers: 2, nginxWorkers: 1 });
    ev = await c.createEvent({ title: 'Rejouer sans doubler' });
    const inv = await c.invite(ev.id);
    mod = c.bearer(inv.moderator_token, 'moderator', ev.id);
    visitor = await c.join(ev.id, 'Claire');
  });
  after(async () => { if (c) await c.stop(); });

  const queueIds = async () => {
    const q = expectOk(await mod.get(`/api/events/${ev.id}/queue`), 200);
    return q.pending.map((i) => i.id);
  };

  it('replays the answer to a question sent twice with one key, and stores it once', async () => {
    const key = crypto.randomUUID();
    const first = expectOk(await visitor.post(`/api/events/${ev.id}/questions`, { text: 'Et les pistes cyclables ?' },
      { headers: { 'Idempotency-Key': key } }), 202);
    assert.equal(first.status, 'pending');
    const again = await visitor.post(`/api/events/${ev.id}/questions`, { text: 'Et les pistes cyclables ?' },
      { headers: { 'Idempotency-Key': key } });
    assert.deepEqual(expectOk(again, 202), first);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    const ids = await queueIds();
    assert.equal(ids.filter((id) => id === first.id).length, 1);
    assert.equal(ids.length, 1, `one question in the queue, got ${ids.join(', ')}`);
  });

  it('refuses the same key for a different body and stores nothing', async () => {
    const key = crypto.randomUUID();
    expectOk(await visitor.post(`/api/events/${ev.id}/questions`, { text: 'Première version' },
      { headers: { 'Idempotency-Key': key } }), 202);
    const before = await queueIds();
    expectError(await visitor.post(`/api/events/${ev.id}/questions`, { text: 'Autre texte' },
      { headers: { 'Idempotency-Key': key } }), 422, 'idempotency_key_reused');
    assert.deepEqual(await queueIds(), before);
  });

  it('keeps keys per sender: another visitor with the same key asks their own question', async () => {
    const key = crypto.randomUUID();
    const other = await c.join(ev.id, 'Denis');
    const a = expectOk(await visitor.post(`/api/events/${ev.id}/questions`, { text: 'Même clé A' },
      { headers: { 'Idempotency-Key': key } }), 202);
    const b = expectOk(await other.post(`/api/events/${ev.id}/questions`, { text: 'Même clé B' },
      { headers: { 'Idempotency-Key': key } }), 202);
    assert.notEqual(a.id, b.id);
  });

  it('answers 409 idempotency_in_progress with Retry-After while the first request holds the key', async () => {
    const key = crypto.randomUUID();
    const path = `/api/events/${ev.id}/announcements`;
    // The claim a request in flight holds (api/idempotency.cpp): its digest
    // names the credential, method, path and key.
    const who = `a:Bearer ${mod.token}\n`;
    const digest = crypto.createHash('sha256').update(`${who}POST ${path}\n${key}`).digest('hex');
    const body = JSON.stringify({ text: 'En cours' });
    const fingerprint = crypto.createHash('sha256').update(`POST ${path}?\n${body}`).digest('hex');
    await c.redisCli(['HSET', `palabre:idem:${digest}`, 's', 'p', 'f', fingerprint]);
    await c.redisCli(['PEXPIRE', `palabre:idem:${digest}`, '30000']);
    const res = await mod.post(path, body, { headers: { 'Idempotency-Key': key, 'Content-Type': 'application/json' } });
    expectError(res, 409, 'idempotency_in_progress');
    assert.equal(res.headers['retry-after'], '1');
  });

  it('publishes an announcement once when a moderator retries it', async () => {
    const key = crypto.randomUUID();
    const path = `/api/events/${ev.id}/announcements`;
    const first = expectOk(await mod.post(path, { text: 'Pause de cinq minutes.' }, { headers: { 'Idempotency-Key': key } }), 201);
    const again = await mod.post(path, { text: 'Pause de cinq minutes.' }, { headers: { 'Idempotency-Key': key } });
    assert.deepEqual(expectOk(again, 201), first);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    const t = expectOk(await c.get(`/api/events/${ev.id}/transcript.json`), 200);
    const texts = JSON.stringify(t).split('Pause de cinq minutes.').length - 1;
    assert.equal(texts, 1, 'the announcement is in the transcript once');
  });

  it('publishes an announcement once even when the first attempt died before its answer was kept', async () => {
    const key = crypto.randomUUID();
    const path = `/api/events/${ev.id}/announcements`;
    const text = 'Reprise dans dix minutes.';
    const before = new Set((await c.redisCli(['KEYS', 'palabre:idem:*'])).split('\n').filter(Boolean));
    const first = expectOk(await mod.post(path, { text }, { headers: { 'Idempotency-Key': key } }), 201);
    // What a worker killed after publishing, before keeping its answer,
    // leaves behind once its 5 s claim lapses: no answer for the key.
    const record = (await c.redisCli(['KEYS', 'palabre:idem:*'])).split('\n')
      .filter((k) => k && !before.has(k) && !k.endsWith(':applied'));
    assert.equal(record.length, 1, `one new idempotency record: ${record}`);
    await c.redisCli(['DEL', record[0]]);
    const again = await mod.post(path, { text }, { headers: { 'Idempotency-Key': key } });
    assert.deepEqual(expectOk(again, 201), first, 'the same id and cursor');
    assert.notEqual(again.headers['idempotent-replayed'], 'true', 'the request ran again');
    const t = expectOk(await c.get(`/api/events/${ev.id}/transcript.json`), 200);
    assert.equal(JSON.stringify(t).split(text).length - 1, 1, 'the announcement is in the transcript once');
  });

  it('replays a moderation action instead of answering a conflict', async () => {
    const q = expectOk(await visitor.post(`/api/events/${ev.id}/questions`, { text: 'À publier une fois' }), 202);
    const key = crypto.randomUUID();
    const first = await mod.act(ev.id, q.id, 'publish', {}, { headers: { 'Idempotency-Key': key } });
    assert.ok(first.status < 300, `publish: ${first.status} ${first.text}`);
    const again = await mod.act(ev.id, q.id, 'publish', {}, { headers: { 'Idempotency-Key': key } });
    assert.equal(again.status, first.status);
    assert.equal(again.text, first.text);
    // Without the key, a second publish is the conflict it always was.
    assert.ok((await mod.act(ev.id, q.id, 'publish', {})).status >= 400);
  });

  it('replays a moderation action whose first attempt died before its answer was kept', async () => {
    const q = expectOk(await visitor.post(`/api/events/${ev.id}/questions`, { text: 'Publiée, réponse perdue' }), 202);
    const key = crypto.randomUUID();
    const before = new Set((await c.redisCli(['KEYS', 'palabre:idem:*'])).split('\n').filter(Boolean));
    const first = expectOk(await mod.act(ev.id, q.id, 'publish', {}, { headers: { 'Idempotency-Key': key } }), 200);
    const record = (await c.redisCli(['KEYS', 'palabre:idem:*'])).split('\n')
      .filter((k) => k && !before.has(k) && !k.endsWith(':applied'));
    assert.equal(record.length, 1, `one new idempotency record: ${record}`);
    await c.redisCli(['DEL', record[0]]);
    const again = await mod.act(ev.id, q.id, 'publish', {}, { headers: { 'Idempotency-Key': key } });
    assert.equal(again.status, 200, `the retry gets the first answer, not a conflict: ${again.status} ${again.text}`);
    assert.deepEqual(expectOk(again, 200).question, first.question);
    const t = expectOk(await c.get(`/api/events/${ev.id}/transcript.json`), 200);
    assert.equal(JSON.stringify(t).split('Publiée, réponse perdue').length - 1, 1, 'published once');
    const audit = expectOk(await mod.get(`/api/events/${ev.id}/audit`), 200);
    assert.equal(audit.entries.filter((e) => e.action === 'publish' && e.target === q.id).length, 1,
      'one audit line for one publication');
  });

  it('keeps no error: a question refused for going too fast is judged again on retry', async () => {
    const hasty = await c.join(ev.id, 'Pressé');
    let refused = null;
    for (let i = 0; i < 30 && !refused; i++) {
      const res = await hasty.post(`/api/events/${ev.id}/questions`, { text: `Question ${i}` });
      if (res.status === 429) refused = res;
    }
    assert.ok(refused, 'the rate limit was reached');
    const key = crypto.randomUUID();
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await hasty.post(`/api/events/${ev.id}/questions`, { text: 'Encore une' },
        { headers: { 'Idempotency-Key': key } });
      expectError(res, 429, 'rate_limited', `attempt ${attempt}`);
      assert.equal(res.headers['idempotent-replayed'], undefined, 'an error is not replayed');
    }
  });

  it('refuses a malformed key with a JSON 400 and changes nothing', async () => {
    const before = await queueIds();
    for (const bad of ['short', 'x'.repeat(129), 'has space inside', 'accentué-clé-123']) {
      const res = await visitor.post(`/api/events/${ev.id}/questions`, { text: 'Clé invalide' },
        { headers: { 'Idempotency-Key': bad } });
      expectError(res, 400, 'bad_request', `key ${JSON.stringify(bad)}`);
    }
    assert.deepEqual(await queueIds(), before);
  });
});

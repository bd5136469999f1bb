'use strict';
// When a cursor cannot be honoured the stream says so (docs/API.md, "Cursors
// and resets"): an `event: reset` frame, then the whole published history
// from the durable archive, then live frames. Never a silent gap. Covered:
// a cursor of another epoch, one newer than the stream, one older than a
// deliberately short retention, the same for long-poll, and Redis restarted
// empty under open streams (the epoch changes), and the history put back
// into Redis for newcomers when Redis lost it.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, expectOk, waitUntil } = require('../support/cluster');

const RETENTION = 10;

describe('stream resets', () => {
  let c;
  let ev;
  let mod;
  const published = [];  // texts, in order
  const open = [];

  const announce = async (text) => {
    const res = await mod.post(`/api/events/${ev.id}/announcements`, { text });
    const body = expectOk(res, 201, `announce ${text}`);
    published.push(text);
    return body;
  };
  const textsOf = (frames) => frames.filter((f) => f.event === 'message').map((f) => f.data.text);
  const stream = async (opts) => {
    const s = await c.sse(`/api/events/${ev.id}/stream`, opts);
    open.push(s);
    assert.equal(s.status, 200, s.text);
    return s;
  };
  // Frames after the last reset frame.
  const afterReset = (s) => s.frames.slice(s.frames.findIndex((f) => f.event === 'reset') + 1);

  before(async () => {
    c = await startCluster({ workers: 2, nginxWorkers: 1, env: { PALABRE_HISTORY_MAX_ENTRIES: String(RETENTION) } });
    ev = await c.createEvent({ title: 'Reprise après une perte' });
    const inv = await c.invite(ev.id);
    mod = c.bearer(inv.moderator_token, 'moderator', ev.id);
  });
  after(async () => {
    for (const s of open) s.close();
    if (c) await c.stop();
  });

  it('hands out cursors that carry the epoch', async () => {
    const first = await announce('Bienvenue');
    assert.match(first.cursor, /^[a-z0-9]{1,32}\.\d+-\d+$/);
    const s = await stream({});
    const f = await s.waitFor((x) => x.event === 'message' && x.data.text === 'Bienvenue');
    assert.equal(f.id, first.cursor);
    s.close();
  });

  it('resets a cursor of another epoch, then sends the whole history and goes on live', async () => {
    const s = await stream({ lastEventId: 'zzzzzz.1-0' });
    const reset = await s.waitFor((f) => f.event === 'reset');
    assert.deepEqual(reset.data, { reason: 'epoch' });
    await waitUntil(() => textsOf(afterReset(s)).length === published.length, { what: 'the history after the reset' });
    assert.deepEqual(textsOf(afterReset(s)), published);
    await announce('En direct après la reprise');
    await s.waitFor((f) => f.event === 'message' && f.data.text === 'En direct après la reprise');
    assert.deepEqual(textsOf(afterReset(s)), published);
    s.close();
  });

  it('resets a cursor newer than anything published', async () => {
    const last = (await announce('Point de repère')).cursor;
    const epoch = last.split('.')[0];
    const s = await stream({ lastEventId: `${epoch}.99999999999999-0` });
    const reset = await s.waitFor((f) => f.event === 'reset');
    assert.deepEqual(reset.data, { reason: 'ahead' });
    await waitUntil(() => textsOf(afterReset(s)).length === published.length, { what: 'the history' });
    s.close();
  });

  it('resets a cursor older than the retention and rebuilds the history from the archive', async () => {
    const early = (await announce('Avant la coupe')).cursor;
    // MAXLEN ~ trims whole stream nodes (100 entries): publish well beyond.
    for (let i = 0; i < 250; i++) await announce(`Message ${i}`);
    const len = Number(await c.redisCli(['XLEN', `palabre:ev:{${ev.id}}:pub`]));
    assert.ok(len < published.length, `the stream was trimmed (${len} of ${published.length})`);
    const s = await stream({ lastEventId: early });
    const reset = await s.waitFor((f) => f.event === 'reset');
    assert.deepEqual(reset.data, { reason: 'expired' });
    await waitUntil(() => textsOf(afterReset(s)).length === published.length,
      { what: 'the whole history after the reset', timeoutMs: 15000 });
    assert.deepEqual(textsOf(afterReset(s)), published);
    // Ids keep increasing through the history and into live frames.
    await announce('Après la coupe');
    await s.waitFor((f) => f.event === 'message' && f.data.text === 'Après la coupe');
    assert.deepEqual(textsOf(afterReset(s)), published);
    s.close();

    // A cursor inside what is kept resumes without a reset.
    const resumeFrom = afterReset(s).filter((f) => f.event === 'message').slice(-3)[0].id;
    const r = await stream({ lastEventId: resumeFrom });
    await r.waitForCount(2, (f) => f.event === 'message');
    assert.equal(r.frames.filter((f) => f.event === 'reset').length, 0);
    assert.deepEqual(textsOf(r.frames), published.slice(-2));
    r.close();
  });

  it('answers a long-poll with an expired cursor with reset:true and the whole history', async () => {
    const first = afterReset(open[open.length - 2]).find((f) => f.event === 'message').id;
    const res = await c.poll(`/api/events/${ev.id}/poll`, { after: first.replace(/\.\d+-/, '.1-') });
    const body = expectOk(res, 200);
    assert.equal(body.reset, true);
    assert.deepEqual(body.items.filter((i) => i.type === 'message').map((i) => i.data.text), published);
    assert.equal(body.cursor, body.items[body.items.length - 1].cursor);
    const next = expectOk(await c.poll(`/api/events/${ev.id}/poll`, { after: 'zzzz.1-0' }), 200);
    assert.equal(next.reset, true);
  });

  it('ends open streams when Redis comes back empty; reconnecting gets a reset and the history', async () => {
    const s = await stream({});
    await waitUntil(() => textsOf(s.frames).length >= RETENTION, { what: 'the recent history' });
    const cursorBefore = s.lastEventId;
    await c.restartRedis({ empty: true });
    assert.ok(await s.waitForEnd(20000), 'the stream is ended once the hub sees the new epoch');
    const again = await stream({ lastEventId: cursorBefore });
    const reset = await again.waitFor((f) => f.event === 'reset', 15000);
    assert.deepEqual(reset.data, { reason: 'epoch' });
    await waitUntil(() => textsOf(afterReset(again)).length === published.length,
      { what: 'the history from the archive', timeoutMs: 15000 });
    assert.deepEqual(textsOf(afterReset(again)), published);
    assert.notEqual(reset.id.split('.')[0], cursorBefore.split('.')[0], 'a new epoch');
    // Live again, in the new epoch (the moderator's Bearer token is in SQL).
    await announce('Redis est revenu');
    await again.waitFor((f) => f.event === 'message' && f.data.text === 'Redis est revenu', 15000);
    assert.deepEqual(textsOf(afterReset(again)), published);
  });

  it('puts the history back into Redis when a message comes before any reader after a loss', async () => {
    await c.restartRedis({ empty: true });
    // Published into the emptied stream, before anyone reads: the cursor
    // handed back restores the archive around it.
    const first = await announce('Premier message après la perte');
    const epoch = first.cursor.split('.')[0];
    const newcomer = await stream({});
    await waitUntil(() => textsOf(newcomer.frames).length === published.length,
      { what: `the whole history for a newcomer (${textsOf(newcomer.frames).length}/${published.length})`, timeoutMs: 15000 });
    assert.deepEqual(textsOf(newcomer.frames), published);
    assert.equal(newcomer.frames.filter((f) => f.event === 'reset').length, 0, 'a newcomer has nothing to reset');
    assert.ok(newcomer.frames.filter((f) => f.id).every((f) => f.id.startsWith(`${epoch}.`)), 'every id in the restored epoch');
    // Long-poll from the start agrees, and Redis holds the newest entries again.
    const body = expectOk(await c.poll(`/api/events/${ev.id}/poll`, { after: '0' }), 200);
    assert.deepEqual(body.items.filter((i) => i.type === 'message').map((i) => i.data.text), published);
    const kept = Number(await c.redisCli(['XLEN', `palabre:ev:{${ev.id}}:pub`]));
    assert.ok(kept >= RETENTION, `Redis holds the newest ${kept} entries again`);
    // A cursor taken inside the restored stream resumes without a reset.
    const resumeFrom = newcomer.frames.filter((f) => f.event === 'message').slice(-2)[0].id;
    const r = await stream({ lastEventId: resumeFrom });
    await r.waitForCount(1, (f) => f.event === 'message');
    assert.equal(r.frames.filter((f) => f.event === 'reset').length, 0);
    assert.deepEqual(textsOf(r.frames), published.slice(-1));
  });
});

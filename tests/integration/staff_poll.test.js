'use strict';
// The staff long-poll (GET /api/events/{id}/staff/poll), the consoles' way
// in when their network holds SSE back: the same feed as staff/stream (the
// staff feed for a moderator, the guest feed for a guest), followed by
// cursor with nothing missed or doubled; refused with the contract's JSON
// error to anyone the staff stream refuses; a cursor that cannot be
// honoured answers "reset" with no items (staff feeds are not archived);
// and a logout ends a poll parked in the hub, as it closes a staff stream.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, expectOk, expectError, waitUntil } = require('../support/cluster');

const LONGPOLL_TIMEOUT_S = 3;

let c;
let n = 0;

async function newDebate(title) {
  const ev = await c.createEvent({ title });
  const inv = await c.invite(ev.id);
  return { id: ev.id, base: `/api/events/${ev.id}`, inv };
}

// One staff poll as `session`; resolves the response plus elapsedMs.
async function staffPoll(session, base, after) {
  const q = after === undefined ? '' : `?after=${encodeURIComponent(after)}`;
  const t0 = Date.now();
  const res = await session.request('GET', `${base}/staff/poll${q}`, { timeoutMs: 30000 });
  res.elapsedMs = Date.now() - t0;
  return res;
}

// Long-polls waiting in the hubs of both workers (each worker's /metrics).
async function parkedPolls() {
  let sum = 0;
  for (let i = 0; i < 2; i++) {
    const m = await c.fcgi(i, 'GET', '/metrics?scope=process');
    sum += Number((m.text.match(/^palabre_longpolls_waiting (\d+)$/m) || [])[1] || 0);
  }
  return sum;
}

before(async () => {
  c = await startCluster({
    workers: 2, nginxWorkers: 1,
    env: { PALABRE_LONGPOLL_TIMEOUT_S: String(LONGPOLL_TIMEOUT_S), PALABRE_QUESTIONS_PER_WINDOW: '100000' },
  });
});

after(async () => {
  if (c) await c.stop();
});

describe('staff long-poll', () => {
  it('brings a moderator every new pending question once, in order, by following the cursor', async () => {
    const d = await newDebate('Modération par long-poll');
    const mod = await c.exchange(d.inv.moderator_token);
    const queue = expectOk(await mod.get(`${d.base}/queue`), 200, 'queue');
    const N = 25;
    const asked = [];
    const asking = (async () => {
      for (let i = 0; i < N; i++) {
        const v = await c.join(d.id, `Votant ${++n}`);
        asked.push(expectOk(await v.ask(d.id, `Question ${i + 1} / ${N}`, 'fr'), 202, 'ask').id);
      }
    })();
    const cursors = [];
    const got = [];
    let cursor = queue.cursor;
    const deadline = Date.now() + 60000;
    while (got.length < N && Date.now() < deadline) {
      const body = expectOk(await staffPoll(mod, d.base, cursor), 200, 'staff poll');
      assert.equal(body.reset, undefined, 'no reset while following the cursor');
      for (const item of body.items) {
        assert.equal(item.type, 'question');
        assert.equal(item.data.status, 'pending');
        cursors.push(item.cursor);
        got.push(item.data.id);
      }
      if (body.items.length) assert.equal(body.cursor, body.items[body.items.length - 1].cursor);
      else assert.equal(body.cursor, cursor, 'an empty answer keeps the cursor');
      cursor = body.cursor;
    }
    await asking;
    assert.deepEqual(got, asked, 'every question once, in the order asked');
    assert.equal(new Set(cursors).size, cursors.length, 'no cursor twice');
  });

  it('waits while nothing is new and answers within a second of a new question', async () => {
    const d = await newDebate('Attente');
    const mod = c.bearer(d.inv.moderator_token);
    const start = expectOk(await staffPoll(mod, d.base), 200, 'staff poll without after');
    const pending = staffPoll(mod, d.base, start.cursor);
    await waitUntil(async () => (await parkedPolls()) >= 1, { what: 'the staff poll parked in a hub' });
    const t0 = Date.now();
    const v = await c.join(d.id, 'Réveil');
    const q = expectOk(await v.ask(d.id, 'Une question qui réveille', 'fr'), 202);
    const body = expectOk(await pending, 200);
    const lag = Date.now() - t0;
    assert.deepEqual(body.items.map((i) => i.data.id), [q.id]);
    assert.ok(lag < 1500, `answered ${lag} ms after the question`);

    const idle = await staffPoll(mod, d.base, body.cursor);
    assert.deepEqual(expectOk(idle, 200).items, []);
    assert.ok(idle.elapsedMs >= LONGPOLL_TIMEOUT_S * 1000 - 300, `waited ${idle.elapsedMs} ms before answering empty`);
  });

  it('without `after`, answers at once with the latest cursor and the recent entries', async () => {
    const d = await newDebate('Récent');
    const asked = [];
    for (let i = 0; i < 3; i++) {
      const v = await c.join(d.id, `Récent ${++n}`);
      asked.push(expectOk(await v.ask(d.id, `Récente ${i}`, 'fr'), 202).id);
    }
    const res = await staffPoll(c.bearer(d.inv.moderator_token), d.base);
    const body = expectOk(res, 200);
    assert.ok(res.elapsedMs < 2000, `at once (${res.elapsedMs} ms)`);
    assert.deepEqual(body.items.map((i) => i.data.id), asked);
    assert.equal(body.cursor, body.items[2].cursor);
    const queue = expectOk(await c.bearer(d.inv.moderator_token).get(`${d.base}/queue`), 200);
    assert.equal(body.cursor, queue.cursor, 'the same cursor as GET queue');
  });

  it('gives a guest the forwarded questions only', async () => {
    const d = await newDebate('Invitée');
    const guest = await c.exchange(d.inv.guest_token);
    const start = expectOk(await guest.get(`${d.base}/guest-queue`), 200, 'guest-queue');
    const admin = c.asAdmin();
    const ids = [];
    for (let i = 0; i < 4; i++) {
      const v = await c.join(d.id, `Invitée ${++n}`);
      ids.push(expectOk(await v.ask(d.id, `Pour l'invitée ${i}`, 'fr'), 202).id);
    }
    expectOk(await admin.act(d.id, ids[1], 'forward'), 200);
    expectOk(await admin.act(d.id, ids[3], 'forward'), 200);
    const got = [];
    let cursor = start.cursor;
    const deadline = Date.now() + 20000;
    while (got.length < 2 && Date.now() < deadline) {
      const body = expectOk(await staffPoll(guest, d.base, cursor), 200);
      for (const item of body.items) got.push(item.data.id);
      cursor = body.cursor;
    }
    assert.deepEqual(got, [ids[1], ids[3]]);
    const more = expectOk(await staffPoll(guest, d.base, cursor), 200);
    assert.deepEqual(more.items, [], 'nothing else for the guest');
  });

  it('refuses whoever the staff stream refuses, with the JSON error', async () => {
    const d = await newDebate('Refus');
    const other = await newDebate('Un autre débat');
    const visitor = await c.join(d.id, 'Curieux');
    expectError(await staffPoll(visitor, d.base), 401, 'unauthorized');
    expectError(await c.request('GET', `${d.base}/staff/poll`), 401, 'unauthorized');
    expectError(await staffPoll(c.bearer('pas-un-jeton-valide-du-tout-0123456789'), d.base), 401, 'unauthorized');
    expectError(await staffPoll(c.bearer(other.inv.moderator_token), d.base), 403, 'forbidden');
    expectError(await staffPoll(c.bearer(other.inv.guest_token), d.base), 403, 'forbidden');
    expectError(await staffPoll(c.bearer(d.inv.moderator_token), d.base, 'pas un curseur'), 400, 'bad_request');
  });

  it('answers a cursor of another epoch or out of bounds with "reset" and no items', async () => {
    const d = await newDebate('Remise à zéro');
    const mod = c.bearer(d.inv.moderator_token);
    const v = await c.join(d.id, 'Remise');
    expectOk(await v.ask(d.id, 'Avant la remise', 'fr'), 202);
    const latest = expectOk(await staffPoll(mod, d.base), 200);
    const epoch = latest.cursor.split('.')[0];
    for (const stale of ['zz9otherepoch.1-0', `${epoch}.99999999999999-0`]) {
      const res = await staffPoll(mod, d.base, stale);
      const body = expectOk(res, 200, `staff poll after ${stale}`);
      assert.equal(body.reset, true, `${stale}: reset`);
      assert.deepEqual(body.items, [], `${stale}: no items (staff feeds are not archived)`);
      assert.equal(body.cursor, latest.cursor, `${stale}: the latest cursor, to poll on from`);
      assert.ok(res.elapsedMs < 2000, `${stale}: at once (${res.elapsedMs} ms)`);
    }
  });

  it('ends a parked staff poll at the logout of its session', async () => {
    const d = await newDebate('Déconnexion');
    const mod = await c.exchange(d.inv.moderator_token);
    const start = expectOk(await staffPoll(mod, d.base), 200);
    const before = await parkedPolls();
    const pending = staffPoll(mod, d.base, start.cursor);
    await waitUntil(async () => (await parkedPolls()) > before, { what: 'the staff poll parked in a hub' });
    const t0 = Date.now();
    assert.equal((await mod.post('/api/auth/logout', {})).status, 204);
    const res = await pending;
    const took = Date.now() - t0;
    assert.ok(took < 1500, `the parked poll ended ${took} ms after the logout`);
    assert.ok(took < LONGPOLL_TIMEOUT_S * 1000, 'before its deadline');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.items, [], 'ended with the empty answer');
    assert.equal(res.json.cursor, start.cursor, 'at its own cursor');
    expectError(await staffPoll(mod, d.base, start.cursor), 401, 'unauthorized');
  });
});

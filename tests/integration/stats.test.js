'use strict';
// The dashboard's figures (GET /api/events/{id}/stats, docs/API.md): with two
// workers behind nginx, visitors asking, moderators acting and public
// streams open on both workers, every number is exactly what happened;
// staff streams are not watchers; a worker's share lapses when it stops
// renewing it; one timeline point per slot whatever the number of workers;
// only admins and the debate's moderators may read it.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startCluster, expectOk, expectError, waitUntil } = require('../support/cluster');

const clockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plb-clock-'));
const clockFile = path.join(clockDir, 'offset_ms');
fs.writeFileSync(clockFile, '0');
const moveClock = (ms) => fs.writeFileSync(clockFile, String(Math.round(ms)));

describe('the dashboard figures', () => {
  let c;
  let ev;
  let mod;
  let guest;
  let admin;
  const streams = [];

  before(async () => {
    c = await startCluster({
      workers: 2,
      nginxWorkers: 1,
      env: { PALABRE_TEST_CLOCK_FILE: clockFile, PALABRE_QUESTIONS_PER_WINDOW: '1000' },
    });
    admin = c.asAdmin();
    ev = await c.createEvent({ title: 'Budget participatif', languages: ['fr', 'en'], guests: [{ name: 'La maire', role: 'Maire' }] });
    const m = expectOk(await admin.post(`/api/events/${ev.id}/invites`, { role: 'moderator', label: 'Anne' }), 201, 'invite');
    mod = c.bearer(m.token, 'moderator', ev.id);
    const g = expectOk(await admin.post(`/api/events/${ev.id}/invites`, { role: 'guest', label: 'La maire' }), 201, 'invite');
    guest = c.bearer(g.token, 'guest', ev.id);
  });
  after(async () => {
    for (const s of streams) s.close();
    moveClock(0);
    if (c) await c.stop();
    fs.rmSync(clockDir, { recursive: true, force: true });
  });

  const stats = async (who = mod) => expectOk(await who.get(`/api/events/${ev.id}/stats`), 200, 'stats');
  // Until check() passes on a few reads in a row (both workers), within the
  // deadline; its last failure is reported.
  const settled = (check, what, timeoutMs = 15000) => waitUntil(async () => {
    for (let i = 0; i < 3; i++) await check();
    return true;
  }, { timeoutMs, what });

  it('refuses whoever is not an admin or a moderator of this debate', async () => {
    expectError(await c.get(`/api/events/${ev.id}/stats`), 401, 'unauthorized', 'anonymous');
    const visitor = await c.join(ev.id, 'Curieux');
    expectError(await visitor.get(`/api/events/${ev.id}/stats`), 401, 'unauthorized', 'a visitor');
    expectError(await guest.get(`/api/events/${ev.id}/stats`), 403, 'forbidden', 'the guest');
    const other = await c.createEvent({ title: 'Un autre débat' });
    const inv = expectOk(await admin.post(`/api/events/${other.id}/invites`, { role: 'moderator', label: 'Bruno' }), 201);
    expectError(await c.bearer(inv.token).get(`/api/events/${ev.id}/stats`), 403, 'forbidden', 'another debate\'s moderator');
    expectError(await admin.get('/api/events/no-such-debate/stats'), 404, 'not_found', 'unknown debate');
    const forAdmin = await stats(admin);
    assert.equal(forAdmin.questions.received, 0);
    // The moderator's cookie works as their Bearer does.
    const cookie = await c.exchange(mod.token);
    expectOk(await cookie.get(`/api/events/${ev.id}/stats`), 200, 'moderator cookie');
  });

  it('counts questions received, pending, published, answered and set aside, by language and reason', async () => {
    const camille = await c.join(ev.id, 'Camille');
    const denis = await c.join(ev.id, 'Denis');
    const ask = async (v, text, lang) => expectOk(await v.ask(ev.id, text, lang), 202, 'ask').id;
    const q1 = await ask(camille, 'Quand rouvre la piscine ?', 'fr');
    const q2 = await ask(camille, 'Combien pour les pistes cyclables ?', 'fr');
    const q3 = await ask(denis, 'Is the library open on Sundays?', 'en');
    const q4 = await ask(denis, 'Parlons football.', 'fr');
    const q5 = await ask(denis, 'Are the bike lanes funded?', 'en');
    const q6 = await ask(camille, 'Et les pistes cyclables, alors ?', 'fr');
    expectOk(await mod.act(ev.id, q1, 'publish'), 200, 'publish q1');
    expectOk(await mod.act(ev.id, q2, 'publish'), 200, 'publish q2');
    expectOk(await mod.act(ev.id, q3, 'publish'), 200, 'publish q3');
    expectOk(await guest.post(`/api/events/${ev.id}/answers`, { question_id: q2, text: '12 km en 2027.' }), 201, 'answer q2');
    expectOk(await mod.act(ev.id, q4, 'reject', { reason: 'off_topic' }), 200, 'reject q4');
    expectOk(await mod.post(`/api/events/${ev.id}/questions/${q5}/merge`, { into: q6 }), 200, 'merge q5 into q6');

    const expected = {
      received: 6, pending: 1, published: 3, answered: 1, rejected: 2, retracted: 0, hidden: 0,
      by_lang: { fr: 4, en: 2 },
      by_reason: { off_topic: 1, duplicate: 0, already_answered: 0, abusive: 0, personal_data: 0, other: 0, merged: 1 },
    };
    // Figures may be a second old (each worker keeps its reading that long):
    // every check waits for both workers to agree.
    await settled(async () => {
      for (const who of [mod, admin, mod, admin]) assert.deepEqual((await stats(who)).questions, expected);
    }, 'the moderation counted on both workers');

    expectOk(await mod.act(ev.id, q1, 'retract'), 200, 'retract q1');
    await settled(async () => {
      const s = await stats();
      assert.equal(s.questions.retracted, 1);
      assert.equal(s.questions.published, 2);
      assert.equal(s.questions.received, 6);
    }, 'the retraction counted');
  });

  // Per worker: its open public streams and parked long-polls (/metrics).
  async function perWorker() {
    const out = [];
    for (let i = 0; i < 2; i++) {
      const m = await c.fcgi(i, 'GET', '/metrics?scope=process');
      const sse = Number((m.text.match(/^palabre_sse_streams (\d+)$/m) || [])[1] || 0);
      const polls = Number((m.text.match(/^palabre_longpolls_waiting (\d+)$/m) || [])[1] || 0);
      out.push(sse + polls);
    }
    return out;
  }

  it('counts the public watchers of both workers, not the staff, and keeps the peak', async () => {
    // A staff stream is open the whole time: never a watcher.
    const staff = await c.sse(`/api/events/${ev.id}/staff/stream`, { token: mod.token });
    assert.equal(staff.status, 200);
    streams.push(staff);
    // Public streams until both workers hold some (nginx spreads them).
    for (let i = 0; i < 40; i++) {
      const s = await c.sse(`/api/events/${ev.id}/stream`);
      assert.equal(s.status, 200);
      streams.push(s);
      const counts = await perWorker();
      if (streams.length >= 7 && counts[0] >= 2 && counts[1] >= 2) break;
    }
    const open = streams.length - 1;
    const counts = await perWorker();
    assert.ok(counts[0] >= 2 && counts[1] >= 2, `streams on both workers: ${counts}`);
    // Two long-polls parked at the end of the thread are watchers too.
    const cursor = expectOk(await c.poll(`/api/events/${ev.id}/poll`), 200, 'poll').cursor;
    const polls = [c.poll(`/api/events/${ev.id}/poll`, { after: cursor }), c.poll(`/api/events/${ev.id}/poll`, { after: cursor })];
    await waitUntil(async () => (await perWorker()).reduce((a, b) => a + b, 0) === open + 1 + 2, { what: 'two parked polls' });

    const total = open + 2;
    const watching = (now, peak) => settled(async () => {
      const s = await stats();
      assert.equal(s.watchers_now, now);
      assert.equal(s.watchers_peak, peak);
    }, `${now} watchers, ${peak} at the peak`);
    await watching(total, total);

    // Three leave: the count goes down, the peak stays.
    for (const leaving of streams.splice(1, 3)) leaving.close();
    await watching(total - 3, total);

    // An announcement answers the parked polls; they are gone until polled again.
    expectOk(await mod.post(`/api/events/${ev.id}/announcements`, { text: 'Pause de cinq minutes.' }), 201, 'announce');
    await Promise.all(polls);
    await watching(total - 5, total);
  });

  it('a share that stops being renewed lapses; the hubs sweep it away', async () => {
    const key = `palabre:ev:{${ev.id}}:watchers`;
    const before = streams.length - 1;  // the public streams still open (one is staff)
    await settled(async () => assert.equal((await stats()).watchers_now, before), 'the streams still open');
    // A worker killed a while ago left this share; one still renewed would
    // count (a third worker).
    const now = Date.now();
    await c.redisCli(['hset', key, 'gone-worker', `50 ${now - 1000}`]);
    await c.redisCli(['hset', key, 'third-worker', `4 ${now + 6000}`]);
    await settled(async () => assert.equal((await stats()).watchers_now, before + 4), 'the live share counted');
    await waitUntil(async () => (await c.redisCli(['hexists', key, 'gone-worker'])) === '0', { what: 'the lapsed share swept' });
    await settled(async () => assert.equal((await stats()).watchers_now, before), 'the third worker lapsed');
  });

  it('takes one timeline point per slot across workers, with the questions received so far', async () => {
    let s = await waitUntil(async () => {
      const r = await stats();
      return r.timeline.length >= 1 && r;
    }, { what: 'a first point' });
    const first = s.timeline.length;
    // A minute later on every worker's clock: each phase clock asks, one point is kept.
    moveClock(60e3);
    s = await waitUntil(async () => {
      const r = await stats();
      return r.timeline.length > first && r;
    }, { what: 'the next minute\'s point' });
    // Two more ticks of every worker: still one point for that minute.
    await new Promise((r) => setTimeout(r, 2500));
    s = await stats();
    const times = s.timeline.map((p) => p.t);
    assert.equal(new Set(times).size, times.length, 'one point per slot');
    for (const p of s.timeline) {
      assert.match(p.t, /^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/, 'a minute\'s start, RFC 3339');
      assert.equal(typeof p.watchers, 'number');
    }
    const last = s.timeline[s.timeline.length - 1];
    assert.equal(last.questions, 6, 'the questions received by then');
    assert.ok(last.watchers >= 1, `watchers at that minute: ${last.watchers}`);
  });
});

'use strict';
// Staff sign-in, sessions and invites (docs/SECURITY.md, "Staff sign-in,
// sessions and invites"), through nginx and two workers:
// - labelled invites are listed and revoked: a revoked invite's Bearer token
//   and the cookie exchanged from it get 401 and its open staff streams close
//   within about a second; the audit log names the invite's label; expired
//   invites are refused; v1's pair still comes without a body;
// - logout closes the session's open staff streams; "log out everywhere"
//   ends every session of an admin;
// - sign-in is throttled per (login, address) with 429, Retry-After and a
//   growing delay, while the real admin still signs in from elsewhere;
// - a flood of parallel sign-ins is bounded (503 busy) and /healthz stays fast;
// - passwords: 12 to 128 code points, not a common one;
// - idle and absolute expiry of staff sessions, and staff streams ending
//   with their session or invite (second cluster, seconds).
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const {
  startCluster, expectError, expectOk, cookiePair, run, sleep, isoIn, waitUntil, Session,
} = require('../support/cluster');

// Creates an admin account with a chosen password (stdin), or returns the
// failed run.
async function createAdmin(c, login, password, { allowFailure = false } = {}) {
  const r = await run(c.adminBin, ['create-admin', '--login', login, '--password-stdin'], { env: c.baseEnv(), input: `${password}\n` });
  if (!allowFailure && r.code !== 0) throw new Error(`create-admin ${login}: ${r.stderr}`);
  return r;
}

function login(c, who, password, localAddress) {
  return c.request('POST', '/api/auth/login', { body: { login: who, password }, headers: { Origin: c.origin }, localAddress });
}

// Signs in and returns a cookie Session.
async function signIn(c, who, password, localAddress) {
  const res = await login(c, who, password, localAddress);
  expectOk(res, 200, `login ${who}`);
  const pair = cookiePair(res, 'palabre_s');
  assert.ok(pair, 'login sets palabre_s');
  return new Session(c, { cookie: pair.pair, csrf: res.json.csrf_token, role: 'admin' });
}

// Resolves the milliseconds until the stream ended (or fails after ms).
async function endsWithin(stream, ms, what) {
  const t0 = Date.now();
  assert.ok(await stream.waitForEnd(ms), `${what} closes within ${ms} ms`);
  return Date.now() - t0;
}

describe('staff invites, sessions and sign-in', () => {
  let c;
  const open = [];
  before(async () => {
    c = await startCluster({ workers: 2, nginxWorkers: 1 });
  });
  after(async () => {
    for (const s of open) s.close();
    if (c) await c.stop();
  });

  describe('labelled invites', () => {
    let ev;
    before(async () => { ev = await c.createEvent({ guests: [{ name: 'Anne Martin', role: 'Maire' }] }); });

    it('a labelled invite is created, listed and names its person in the audit log', async () => {
      const admin = c.asAdmin();
      const inv = expectOk(await admin.post(`/api/events/${ev.id}/invites`, { role: 'moderator', label: 'Anne (communication)' }), 201, 'labelled invite');
      assert.match(inv.id, /^inv_[a-z0-9]{12}$/);
      assert.equal(inv.role, 'moderator');
      assert.equal(inv.label, 'Anne (communication)');
      assert.ok(inv.url.endsWith(`/e/${ev.id}/moderate#t=${inv.token}`), inv.url);

      let list = expectOk(await admin.get(`/api/events/${ev.id}/invites`), 200, 'list');
      let item = list.items.find((i) => i.id === inv.id);
      assert.deepEqual(Object.keys(item).sort(), ['created_at', 'expires_at', 'id', 'label', 'last_used_at', 'revoked', 'role']);
      assert.equal(item.last_used_at, null);
      assert.equal(item.revoked, false);

      const mod = c.bearer(inv.token);
      expectOk(await mod.post(`/api/events/${ev.id}/announcements`, { text: 'Bienvenue à toutes et à tous', lang: 'fr' }), 201, 'announce');
      const audit = expectOk(await mod.get(`/api/events/${ev.id}/audit`), 200, 'audit');
      const entry = audit.entries.find((e) => e.action === 'announce');
      assert.equal(entry.actor, 'moderator:Anne (communication)');
      list = expectOk(await admin.get(`/api/events/${ev.id}/invites`), 200, 'list');
      item = list.items.find((i) => i.id === inv.id);
      assert.ok(item.last_used_at, 'last_used_at is set once used');
      const me = expectOk(await mod.get('/api/auth/me'), 200, 'me');
      assert.equal(me.label, 'Anne (communication)');
    });

    it('a guest invite must name one of the debate\'s guests', async () => {
      const admin = c.asAdmin();
      expectError(await admin.post(`/api/events/${ev.id}/invites`, { role: 'guest', label: 'Quelqu\'un d\'autre' }), 422, 'unknown_guest');
      expectError(await admin.post(`/api/events/${ev.id}/invites`, { role: 'chef', label: 'Anne Martin' }), 400, 'invalid_field');
      expectError(await admin.post(`/api/events/${ev.id}/invites`, { role: 'moderator', label: '  ' }), 400, 'text_empty');
      // A label is shown to others (audit log, consoles): the rules of names.
      expectError(await admin.post(`/api/events/${ev.id}/invites`, { role: 'moderator', label: '\u202enimda' }), 400, 'text_control_chars');
      const inv = expectOk(await admin.post(`/api/events/${ev.id}/invites`, { role: 'guest', label: 'Anne Martin' }), 201, 'guest invite');
      assert.ok(inv.url.endsWith(`/e/${ev.id}/guest#t=${inv.token}`));
      const session = await c.exchange(inv.token);
      assert.equal(session.role, 'guest');
    });

    it('without a body the invite route still answers v1\'s pair', async () => {
      const pair = await c.invite(ev.id);
      for (const k of ['moderator_url', 'guest_url', 'moderator_token', 'guest_token']) assert.equal(typeof pair[k], 'string', k);
      expectOk(await c.bearer(pair.moderator_token).get(`/api/events/${ev.id}/queue`), 200, 'v1 moderator token works');
    });

    it('only admins list and revoke invites', async () => {
      const pair = await c.invite(ev.id);
      const mod = c.bearer(pair.moderator_token);
      expectError(await mod.get(`/api/events/${ev.id}/invites`), 403, 'forbidden');
      const list = expectOk(await c.asAdmin().get(`/api/events/${ev.id}/invites`), 200, 'list');
      expectError(await mod.del(`/api/events/${ev.id}/invites/${list.items[0].id}`), 403, 'forbidden');
      expectError(await c.asAdmin().del(`/api/events/${ev.id}/invites/inv_doesnotexist`), 404, 'not_found');
    });

    it('a revoked invite stops at once: Bearer and cookie get 401 and its staff streams close within a second', async () => {
      const admin = c.asAdmin();
      const inv = expectOk(await admin.post(`/api/events/${ev.id}/invites`, { role: 'moderator', label: 'Paul (service jeunesse)' }), 201, 'invite');
      const other = expectOk(await admin.post(`/api/events/${ev.id}/invites`, { role: 'moderator', label: 'Lina' }), 201, 'other invite');
      const cookie = await c.exchange(inv.token);
      const viaBearer = await c.sse(`/api/events/${ev.id}/staff/stream`, { token: inv.token });
      const viaCookie = await c.sse(`/api/events/${ev.id}/staff/stream`, { cookie: cookie.cookie });
      const bystander = await c.sse(`/api/events/${ev.id}/staff/stream`, { token: other.token });
      open.push(viaBearer, viaCookie, bystander);
      for (const s of [viaBearer, viaCookie, bystander]) assert.equal(s.status, 200);
      // The streams are parked in a hub once their first ping or frame can come.
      await sleep(300);

      const t0 = Date.now();
      const del = await admin.del(`/api/events/${ev.id}/invites/${inv.id}`);
      assert.equal(del.status, 204, del.text);
      const [a, b] = await Promise.all([endsWithin(viaBearer, 1500, 'the Bearer stream'), endsWithin(viaCookie, 1500, 'the cookie stream')]);
      const closedMs = Date.now() - t0;  // from the DELETE being sent
      assert.ok(closedMs <= 1500, `closed ${closedMs} ms after the revocation (${a}, ${b})`);
      console.log(`# staff streams of the revoked invite closed ${a} and ${b} ms after the 204`);
      assert.equal(bystander.ended, false, 'another invite\'s stream stays open');

      expectError(await c.bearer(inv.token).get(`/api/events/${ev.id}/queue`), 401, 'unauthorized');
      expectError(await cookie.get(`/api/events/${ev.id}/queue`), 401, 'unauthorized');
      expectError(await c.request('POST', '/api/auth/exchange', { body: { token: inv.token }, headers: { Origin: c.origin } }), 401, 'unauthorized');
      expectOk(await c.bearer(other.token).get(`/api/events/${ev.id}/queue`), 200, 'the other invite still works');

      const list = expectOk(await admin.get(`/api/events/${ev.id}/invites`), 200, 'list');
      assert.equal(list.items.find((i) => i.id === inv.id).revoked, true);
      const audit = expectOk(await admin.get(`/api/events/${ev.id}/audit`), 200, 'audit');
      const entry = audit.entries.find((e) => e.action === 'revoke_invite' && e.target === inv.id);
      assert.ok(entry, 'the revocation is audited');
      assert.match(JSON.stringify(entry), /Paul \(service jeunesse\)/);
    });

    it('an expired invite is refused', async () => {
      const admin = c.asAdmin();
      const soon = expectOk(await admin.post(`/api/events/${ev.id}/invites`, { role: 'moderator', label: 'Temporaire', expires_at: isoIn(2000) }), 201, 'short invite');
      expectOk(await c.bearer(soon.token).get(`/api/events/${ev.id}/queue`), 200, 'before expiry');
      const cookie = await c.exchange(soon.token);
      const stream = await c.sse(`/api/events/${ev.id}/staff/stream`, { token: soon.token });
      open.push(stream);
      assert.equal(stream.status, 200);
      await waitUntil(async () => (await c.bearer(soon.token).get(`/api/events/${ev.id}/queue`)).status === 401, { timeoutMs: 6000 });
      expectError(await cookie.get(`/api/events/${ev.id}/queue`), 401, 'unauthorized');
      // Its open staff stream ends by itself within the hub's one-second tick.
      await endsWithin(stream, 2500, 'the stream of the expired invite');

      // By default an invite ends with its debate's late-question window.
      const past = await c.createEvent({ starts_at: isoIn(-3 * 3600e3), ends_at: isoIn(-2 * 3600e3), late_questions_days: 0 });
      const old = expectOk(await admin.post(`/api/events/${past.id}/invites`, { role: 'moderator', label: 'Trop tard' }), 201, 'invite of a closed debate');
      const item = expectOk(await admin.get(`/api/events/${past.id}/invites`), 200).items.find((i) => i.id === old.id);
      assert.ok(Date.parse(item.expires_at) < Date.now(), item.expires_at);
      expectError(await c.bearer(old.token).get(`/api/events/${past.id}/queue`), 401, 'unauthorized');
    });
  });

  describe('sessions', () => {
    let ev;
    before(async () => {
      ev = await c.createEvent();
      await createAdmin(c, 'ops-logout', 'déconnexion-sûre-2026');
    });

    it('logout ends the session and closes its open staff stream', async () => {
      const s = await signIn(c, 'ops-logout', 'déconnexion-sûre-2026', '127.0.0.10');
      const stream = await s.sse(`/api/events/${ev.id}/staff/stream`);
      open.push(stream);
      assert.equal(stream.status, 200);
      await sleep(300);
      const res = await s.post('/api/auth/logout', {});
      assert.equal(res.status, 204, res.text);
      await endsWithin(stream, 1500, 'the staff stream of the session');
      expectError(await s.get('/api/auth/me'), 401, 'unauthorized');

      // An invite's exchanged cookie too.
      const inv = expectOk(await c.asAdmin().post(`/api/events/${ev.id}/invites`, { role: 'moderator', label: 'Nora' }), 201);
      const mod = await c.exchange(inv.token);
      const modStream = await mod.sse(`/api/events/${ev.id}/staff/stream`);
      open.push(modStream);
      await sleep(300);
      assert.equal((await mod.post('/api/auth/logout', {})).status, 204);
      await endsWithin(modStream, 1500, 'the moderator\'s stream');
      expectOk(await c.bearer(inv.token).get(`/api/events/${ev.id}/queue`), 200, 'the invite itself stays valid');
    });

    it('"log out everywhere" ends every session of the admin and their streams', async () => {
      const a = await signIn(c, 'ops-logout', 'déconnexion-sûre-2026', '127.0.0.10');
      const b = await signIn(c, 'ops-logout', 'déconnexion-sûre-2026', '127.0.0.11');
      const listed = expectOk(await b.get('/api/auth/sessions'), 200, 'sessions');
      assert.ok(listed.items.length >= 2, JSON.stringify(listed));
      assert.equal(listed.items.filter((i) => i.current).length, 1, 'one is the caller\'s');
      for (const i of listed.items) for (const k of ['id', 'created_at', 'last_seen_at', 'expires_at']) assert.equal(typeof i[k], 'string', k);
      const stream = await a.sse(`/api/events/${ev.id}/staff/stream`);
      open.push(stream);
      await sleep(300);
      const res = expectOk(await b.post('/api/auth/logout-all', {}), 200, 'logout-all');
      assert.ok(res.sessions_ended >= 2, JSON.stringify(res));
      await endsWithin(stream, 1500, 'the other session\'s stream');
      expectError(await a.get('/api/auth/me'), 401, 'unauthorized');
      expectError(await b.get('/api/auth/me'), 401, 'unauthorized');
      expectOk(await c.asAdmin().get('/api/auth/me'), 200, 'API tokens are not sessions');
      assert.deepEqual(expectOk(await c.asAdmin().get('/api/auth/sessions'), 200).items, [], 'the admin login has no session left');
    });
  });

  describe('sign-in throttling', () => {
    before(async () => { await createAdmin(c, 'ops-throttle', 'un-mot-de-passe-solide'); });

    it('failed sign-ins get 429 with Retry-After and a growing delay; the real admin still signs in from elsewhere', async () => {
      const attacker = '127.0.0.3';
      for (let i = 1; i <= 6; i++) expectError(await login(c, 'ops-throttle', `faux-${i}-mot-de-passe`, attacker), 401, 'unauthorized', `failure ${i}`);
      const delays = [];
      for (let round = 0; round < 3; round++) {
        const res = await login(c, 'ops-throttle', 'encore-faux-encore', attacker);
        expectError(res, 429, 'login_throttled', `round ${round}`);
        const wait = Number(res.headers['retry-after']);
        assert.ok(wait >= 1, `Retry-After ${res.headers['retry-after']}`);
        delays.push(wait);
        // Even the right password is refused from there while blocked.
        expectError(await login(c, 'ops-throttle', 'un-mot-de-passe-solide', attacker), 429, 'login_throttled');
        await sleep(wait * 1000 + 100);
        expectError(await login(c, 'ops-throttle', 'toujours-faux-toujours', attacker), 401, 'unauthorized', `after waiting ${wait} s`);
      }
      assert.deepEqual(delays, [1, 2, 4], `the delay doubles: ${delays}`);

      // Meanwhile the real admin signs in from another address, at once.
      const res = await login(c, 'ops-throttle', 'un-mot-de-passe-solide', '127.0.0.4');
      expectOk(res, 200, 'the real admin from another address');
      expectError(await login(c, 'ops-throttle', 'un-mot-de-passe-solide', attacker), 429, 'login_throttled', 'the attacker\'s address stays blocked');
    });

    it('an unknown login is throttled the same way, so a 429 reveals nothing', async () => {
      const from = '127.0.0.5';
      for (let i = 1; i <= 6; i++) expectError(await login(c, 'personne-de-connu', `essai-${i}-faux-faux`, from), 401, 'unauthorized');
      const res = await login(c, 'personne-de-connu', 'essai-7-faux-faux', from);
      expectError(res, 429, 'login_throttled');
      assert.equal(res.headers['retry-after'], '1');
    });
  });

  describe('password hashing under a flood', () => {
    before(async () => { await createAdmin(c, 'ops-flood', 'inondation-de-connexions'); });

    it('32 parallel sign-ins are bounded (503 busy) and /healthz stays fast', async () => {
      let flooding = true;
      const latencies = [];
      const probe = (async () => {
        while (flooding) {
          const t0 = process.hrtime.bigint();
          const h = await c.get('/healthz');
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          assert.equal(h.status, 200);
          await sleep(10);
        }
      })();
      const results = [];
      for (let round = 0; round < 3; round++) {
        const batch = await Promise.all(Array.from({ length: 32 }, (_, i) => login(c, 'ops-flood', 'inondation-de-connexions', `127.0.1.${1 + (i % 8)}`)));
        results.push(...batch);
      }
      flooding = false;
      await probe;
      const statuses = {};
      for (const r of results) statuses[r.status] = (statuses[r.status] || 0) + 1;
      for (const r of results) {
        assert.ok([200, 503].includes(r.status), `200 or 503, got ${r.status} ${r.text}`);
        if (r.status === 503) {
          expectError(r, 503, 'busy');
          assert.equal(r.headers['retry-after'], '1');
        }
      }
      assert.ok(statuses[503] > 0, `some sign-ins were told to come back (${JSON.stringify(statuses)})`);
      assert.ok(statuses[200] > 0, `some went through (${JSON.stringify(statuses)})`);
      latencies.sort((x, y) => x - y);
      const max = latencies[latencies.length - 1];
      const p50 = latencies[Math.floor(latencies.length / 2)];
      console.log(`# /healthz during 3×32 parallel sign-ins: ${latencies.length} probes, p50 ${p50.toFixed(1)} ms, max ${max.toFixed(1)} ms; ${JSON.stringify(statuses)}`);
      assert.ok(max < 300, `/healthz max ${max.toFixed(1)} ms`);
    });
  });

  describe('password policy', () => {
    it('too short, too long and common passwords are refused; 12 characters of any script are enough', async () => {
      const refused = async (login, password, why) => {
        const r = await createAdmin(c, login, password, { allowFailure: true });
        assert.equal(r.code, 1, `${why}: exit ${r.code} ${r.stderr}`);
        assert.match(r.stderr, /password/i, why);
      };
      await refused('pw-short', 'court-11car', 'eleven characters');
      // 11 code points but 33 bytes: counted in characters, not bytes.
      await refused('pw-short-utf8', '日本語のパスワードです', 'eleven code points');
      await refused('pw-long', 'x'.repeat(129), '129 characters');
      await refused('pw-common', 'motdepasse123456', 'a common password');
      await refused('pw-common-case', 'AZERTY123456', 'a common password in capitals');

      await createAdmin(c, 'pw-unicode', '日本語のパスワードです!');
      expectOk(await login(c, 'pw-unicode', '日本語のパスワードです!', '127.0.0.12'), 200, 'a 12-code-point Unicode password');
      await createAdmin(c, 'pw-128', 'é'.repeat(128));
      expectOk(await login(c, 'pw-128', 'é'.repeat(128), '127.0.0.12'), 200, '128 characters');

      const r = await run(c.adminBin, ['set-password', '--login', 'pw-unicode', '--password-stdin'], { env: c.baseEnv(), input: 'soleil\n' });
      assert.equal(r.code, 1, 'set-password applies the same rules');
    });
  });
});

describe('staff session expiry', () => {
  let c;
  before(async () => {
    c = await startCluster({ workers: 2, nginxWorkers: 1, env: { PALABRE_STAFF_IDLE_S: '2', PALABRE_STAFF_ABSOLUTE_S: '5' } });
    await createAdmin(c, 'ops-expiry', 'expiration-des-sessions');
  });
  after(async () => { if (c) await c.stop(); });

  it('a session unused for the idle limit is refused with session_expired', async () => {
    const s = await signIn(c, 'ops-expiry', 'expiration-des-sessions', '127.0.0.20');
    expectOk(await s.get('/api/auth/me'), 200);
    await sleep(2300);
    expectError(await s.get('/api/auth/me'), 401, 'session_expired');
  });

  it('a session in use still ends at the absolute limit', async () => {
    const s = await signIn(c, 'ops-expiry', 'expiration-des-sessions', '127.0.0.20');
    const t0 = Date.now();
    // Used every 0.7 s: never idle for 2 s, yet over after 5 s.
    while (Date.now() - t0 < 4300) {
      expectOk(await s.get('/api/auth/me'), 200, `used after ${Date.now() - t0} ms`);
      await sleep(700);
    }
    await sleep(Math.max(0, 5200 - (Date.now() - t0)));
    expectError(await s.get('/api/auth/me'), 401, 'session_expired');
  });

  it('a staff stream ends with its session\'s absolute limit', async () => {
    const ev = await c.createEvent();
    const s = await signIn(c, 'ops-expiry', 'expiration-des-sessions', '127.0.0.21');
    const t0 = Date.now();
    const stream = await s.sse(`/api/events/${ev.id}/staff/stream`);
    assert.equal(stream.status, 200);
    try {
      assert.ok(await stream.waitForEnd(8000), 'the stream ends');
      const ms = Date.now() - t0;
      assert.ok(ms >= 3500 && ms <= 7000, `ended ${ms} ms after opening, the session lasting 5 s`);
    } finally {
      stream.close();
    }
  });
});

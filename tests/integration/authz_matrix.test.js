'use strict';
// The authorization matrix. The routes come from the worker's own table
// (`palabre-admin routes`), so a route added later is in the matrix at once
// and fails it until the matrix knows its rule, its path parameters and a
// body. Every route is called through nginx by every kind of caller:
// anonymous (also from another address), visitors of this debate and of
// another, guests and moderators of this debate (Bearer token, and the
// exchanged cookie with its CSRF token) and of another, admin (API token and
// login cookie), and credentials that are no longer good: forged, expired,
// revoked. A caller the rule refuses gets the contract's 401/403 JSON error
// and changes nothing: the moderation queues, the bans, the public stream
// (long-poll), the SQL tables and the set of Redis keys are compared after
// each refusal. A caller the rule admits gets a 2xx (each mutating call acts
// on a fresh object: its own question, ban or invite). The table itself is
// checked against docs/API.md ("Who may call what"), which is how a wrong
// rule in the code fails this file.
//
// Also here: a visitor cookie belongs to the debate it joined.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { startCluster, expectError, expectOk, liveEventBody, cookiePair, run, Session, SOURCE_DIR, waitUntil } =
  require('../support/cluster');

let c;
let E;          // "this debate": every {id} of the matrix
let F;          // "another debate"
let routes;     // [{method, path, access}] from palabre-admin routes
let sqlQuery;   // one SELECT that dumps the tables that matter (see sqlSnapshot)
let n = 0;      // a counter for fresh names and texts
const fresh = (what) => `${what} ${++n}`;
const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');

// ---------------------------------------------------------------------------
// What each rule admits, written from docs/API.md. `who` describes a caller:
// staff: {role, event: 'here'|'other'|null} for a credential that is good,
// visitorOf: 'here'|'other'|null for a visitor session that is good, remote.

const ALLOW = { allow: true };
const refuse = (status, code) => ({ allow: false, status, code });

const RULES = {
  public: () => ALLOW,
  // nginx admits 127.0.0.1 and ::1 only (nginx/palabre.conf.in).
  local: (who) => (who.remote ? refuse(403, 'forbidden') : ALLOW),
  visitor: (who) => (who.visitorOf === 'here' ? ALLOW : refuse(401, 'not_joined')),
  staff: (who) => (who.staff ? ALLOW : refuse(401, 'unauthorized')),
  admin: (who) => {
    if (!who.staff) return refuse(401, 'unauthorized');
    return who.staff.role === 'admin' ? ALLOW : refuse(403, 'forbidden');
  },
  moderator: (who, route) => staffRule(who, route, ['moderator']),
  guest_or_moderator: (who, route) => staffRule(who, route, ['moderator', 'guest']),
};

function staffRule(who, route, roles) {
  if (!who.staff) return refuse(401, 'unauthorized');
  if (who.staff.role === 'admin') return ALLOW;
  const ofThisDebate = route.path.includes('{id}') && who.staff.event === 'here';
  return roles.includes(who.staff.role) && ofThisDebate ? ALLOW : refuse(403, 'forbidden');
}

// Mutations anyone may call. Any other public mutation is a finding.
const PUBLIC_MUTATIONS = new Set([
  'POST /api/events/{id}/join', 'POST /api/auth/exchange', 'POST /api/auth/login', 'POST /api/auth/logout',
  // E-mail reminders need no account (docs/API.md "Reminders"): asking
  // stores an address that gets one confirmation mail and nothing more
  // until confirmed (limited per network address); the token in the
  // mail's link is the only credential of confirm and unsubscribe, which a
  // mail client posts without cookies (RFC 8058).
  'POST /api/events/{id}/reminders', 'POST /api/reminders/{token}/confirm', 'POST /api/reminders/{token}/unsubscribe',
]);

// ---------------------------------------------------------------------------
// The callers. Each entry is one line; `build` returns a Session (or what the
// request needs) and may be called again when an allowed logout ended it.

let inviteE;    // {moderator_token, guest_token} of E
let inviteF;    // of F

async function staffCookie(token) {
  return c.exchange(token);
}

async function adminCookie() {
  const res = await c.request('POST', '/api/auth/login', {
    body: { login: 'admin', password: c.adminPassword }, headers: { Origin: c.origin },
  });
  expectOk(res, 200, 'admin login');
  const pair = cookiePair(res, 'palabre_s');
  assert.ok(pair, 'login sets palabre_s');
  return new Session(c, { cookie: pair.pair, csrf: res.json.csrf_token, role: 'admin' });
}

// A staff cookie whose Redis session is gone, as when its TTL ran out.
async function expiredStaffCookie() {
  const s = await c.exchange(inviteE.moderator_token);
  await deleteSessionOf(s.cookie);
  return s;
}

async function expiredVisitorCookie() {
  const v = await c.join(E, fresh('Expiré'));
  await deleteSessionOf(v.cookie);
  return v;
}

async function deleteSessionOf(cookiePairText) {
  const value = cookiePairText.slice(cookiePairText.indexOf('=') + 1);
  const keys = (await c.redisCli(['--scan', '--pattern', `*${sha256(value)}*`])).split('\n').filter(Boolean);
  assert.ok(keys.length >= 1, 'the session is in Redis before it is made to expire');
  await c.redisCli(['DEL', ...keys]);
}

// An invite revoked by an admin (DELETE …/invites/{invite_id}), as Bearer
// and as the cookie exchanged before the revocation.
async function revokedInvite() {
  const inv = expectOk(await c.asAdmin().post(`/api/events/${E}/invites`, { role: 'moderator', label: fresh('Révoqué') }), 201);
  const cookie = await c.exchange(inv.token);
  expectOk(await c.asAdmin().del(`/api/events/${E}/invites/${inv.id}`), 204);
  return { bearer: c.bearer(inv.token), cookie };
}
let revoked = null;

const IDENTITIES = [
  { name: 'anonymous', who: {}, build: async () => new Session(c) },
  { name: 'anonymous, from another address', who: { remote: true }, localAddress: '127.0.0.2', build: async () => new Session(c) },
  { name: 'visitor of this debate', who: { visitorOf: 'here' }, build: () => c.join(E, fresh('Camille')) },
  { name: 'visitor of another debate', who: { visitorOf: 'other' }, build: () => c.join(F, fresh('Dominique')) },
  { name: 'guest of this debate (Bearer)', who: { staff: { role: 'guest', event: 'here' } }, build: async () => c.bearer(inviteE.guest_token) },
  { name: 'guest of this debate (cookie)', who: { staff: { role: 'guest', event: 'here' } }, cookie: true, build: () => staffCookie(inviteE.guest_token) },
  { name: 'moderator of this debate (Bearer)', who: { staff: { role: 'moderator', event: 'here' } }, build: async () => c.bearer(inviteE.moderator_token) },
  { name: 'moderator of this debate (cookie)', who: { staff: { role: 'moderator', event: 'here' } }, cookie: true, build: () => staffCookie(inviteE.moderator_token) },
  { name: 'guest of another debate (Bearer)', who: { staff: { role: 'guest', event: 'other' } }, build: async () => c.bearer(inviteF.guest_token) },
  { name: 'moderator of another debate (Bearer)', who: { staff: { role: 'moderator', event: 'other' } }, build: async () => c.bearer(inviteF.moderator_token) },
  { name: 'moderator of another debate (cookie)', who: { staff: { role: 'moderator', event: 'other' } }, cookie: true, build: () => staffCookie(inviteF.moderator_token) },
  { name: 'admin (API token)', who: { staff: { role: 'admin', event: null } }, build: async () => c.asAdmin() },
  { name: 'admin (login cookie)', who: { staff: { role: 'admin', event: null } }, cookie: true, build: adminCookie },
  { name: 'forged Bearer token', who: {}, build: async () => c.bearer(crypto.randomBytes(32).toString('base64url')) },
  { name: 'forged staff cookie', who: {}, build: async () => new Session(c, { cookie: `palabre_s=${crypto.randomBytes(32).toString('base64url')}`, csrf: 'forged' }) },
  { name: 'forged visitor cookie', who: {}, build: async () => new Session(c, { cookie: `palabre_v=${crypto.randomBytes(32).toString('base64url')}`, csrf: 'forged' }) },
  { name: 'expired staff session (cookie)', who: {}, build: expiredStaffCookie },
  { name: 'expired visitor session (cookie)', who: {}, build: expiredVisitorCookie },
  { name: 'revoked invite (Bearer)', who: {}, needs: 'DELETE /api/events/{id}/invites/{invite_id}', build: async () => revoked.bearer },
  { name: 'revoked invite (exchanged cookie)', who: {}, needs: 'DELETE /api/events/{id}/invites/{invite_id}', build: async () => revoked.cookie },
];

// ---------------------------------------------------------------------------
// Path parameters and bodies. `allowed` says whether the caller is admitted:
// a refused call targets standing objects that a wrongly admitted call would
// visibly change; an admitted call gets a fresh object of its own.

let standing;   // {question, forwarded, bannedVisitor, invite} of E, set up once
// The clear token of a reminder of E's, written straight into SQL in
// before() (this cluster sends no mail, so no mail could carry one).
let reminderToken;

async function freshQuestion({ forward = false } = {}) {
  const v = await c.join(E, fresh('Auteur'));
  const q = expectOk(await v.ask(E, fresh('Question'), 'fr'), 202, 'a fresh question');
  if (forward) expectOk(await c.asAdmin().act(E, q.id, 'forward'), 200, 'forward it');
  return q.id;
}

async function freshBan() {
  const visitorId = `v_matrix${++n}`;
  expectOk(await c.asAdmin().post(`/api/events/${E}/bans`, { visitor_id: visitorId, reason: 'matrice' }), 201);
  return visitorId;
}

async function freshPreparedAnswer() {
  const a = expectOk(await c.asAdmin().post(`/api/events/${E}/prepared-answers`, { title: fresh('Réponse prête'), text: 'Le budget est voté en mars.', lang: 'fr' }), 201);
  return a.id;
}

async function freshInvite() {
  const inv = expectOk(await c.asAdmin().post(`/api/events/${E}/invites`, { role: 'moderator', label: fresh('Invité') }), 201);
  return inv.id;
}

const PARAMS = {
  id: async () => E,
  qid: async (allowed) => (allowed ? freshQuestion() : standing.question),
  action: async () => 'publish',
  visitor_id: async (allowed) => (allowed ? freshBan() : standing.bannedVisitor),
  invite_id: async (allowed) => (allowed ? freshInvite() : standing.invite),
  aid: async (allowed) => (allowed ? freshPreparedAnswer() : standing.preparedAnswer),
  pid: async (allowed) => (allowed ? freshPoll() : standing.poll),
  // A guest's index; the matrix's debate has no photos (privacy.test.js has them).
  n: async () => '0',
};

async function freshPoll() {
  const p = expectOk(await c.asAdmin().post(`/api/events/${E}/polls`, { question: fresh('Sondage'), options: ['Oui', 'Non'] }), 201);
  return p.id;
}

async function freshPublishedQuestion() {
  const id = await freshQuestion();
  expectOk(await c.asAdmin().act(E, id, 'publish'), 200, 'publish it');
  return id;
}

async function freshTimeout() {
  const visitorId = `v_matrix${++n}`;
  expectOk(await c.asAdmin().post(`/api/events/${E}/timeouts`, { visitor_id: visitorId, seconds: 600 }), 201);
  return visitorId;
}

// Where a route needs another object than PARAMS gives.
const ROUTE_PARAMS = {
  'DELETE /api/events/{id}/timeouts/{visitor_id}': {
    visitor_id: async (allowed) => (allowed ? freshTimeout() : standing.timedOut),
  },
  'POST /api/events/{id}/questions/{qid}/support': {
    qid: async (allowed) => (allowed ? freshPublishedQuestion() : standing.published),
  },
  // A reminder's token, from a row written before the matrix (see
  // reminderToken): GET and confirm answer 200 to everyone; the first
  // unsubscribe deletes it and the others answer 200 all the same.
  'GET /api/reminders/{token}': { token: async () => reminderToken },
  'POST /api/reminders/{token}/confirm': { token: async () => reminderToken },
  'GET /api/reminders/{token}/unsubscribe': { token: async () => reminderToken },
  'POST /api/reminders/{token}/unsubscribe': { token: async () => reminderToken },
  // An admitted deletion deletes a debate of its own, not the matrix's.
  'DELETE /api/events/{id}': {
    id: async (allowed) => (allowed ? (await c.createEvent({ title: fresh('Débat à supprimer') })).id : E),
  },
};

let endsAt;     // E's ends_at in ms, moved one minute per PATCH
const BODIES = {
  'POST /api/events': async () => liveEventBody({ title: fresh('Débat de la matrice') }),
  'PATCH /api/events/{id}': async () => {
    endsAt += 60e3;
    return { ends_at: new Date(endsAt).toISOString().replace(/\.\d{3}Z$/, 'Z') };
  },
  'POST /api/events/{id}/invites': async () => ({ role: 'moderator', label: fresh('Modération') }),
  'POST /api/auth/exchange': async () => ({ token: inviteF.guest_token }),
  'POST /api/auth/login': async () => ({ login: 'admin', password: c.adminPassword }),
  'POST /api/auth/logout': async () => null,
  'POST /api/auth/logout-all': async () => null,
  'POST /api/events/{id}/join': async () => ({ name: fresh('Participant'), lang: 'fr' }),
  'POST /api/events/{id}/reminders': async () => ({ email: `matrice${++n}@example.org`, lang: 'fr' }),
  'POST /api/reminders/{token}/confirm': async () => ({}),
  'POST /api/reminders/{token}/unsubscribe': async () => null,
  'POST /api/events/{id}/questions': async () => ({ text: fresh('Une question de la matrice'), lang: 'fr' }),
  'PUT /api/events/{id}/guest-queue': async (allowed) => ({
    order: [allowed ? await freshQuestion({ forward: true }) : standing.forwarded], now: null,
  }),
  'POST /api/events/{id}/prepared-answers': async () => ({ title: fresh('Réponse prête'), text: 'Le budget est voté en mars.', lang: 'fr' }),
  'PATCH /api/events/{id}/prepared-answers/{aid}': async () => ({ text: fresh('Texte revu') }),
  'POST /api/events/{id}/questions/{qid}/merge': async (allowed) => ({ into: allowed ? await freshQuestion() : standing.question }),
  'POST /api/events/{id}/questions/{qid}/claim': async () => ({}),
  'POST /api/events/{id}/questions/{qid}/support': async () => ({}),
  'POST /api/events/{id}/polls': async () => ({ question: fresh('Sondage de la matrice'), options: ['Oui', 'Non'] }),
  'POST /api/events/{id}/polls/{pid}/close': async () => ({}),
  'POST /api/events/{id}/polls/{pid}/votes': async () => ({ options: [0] }),
  'POST /api/events/{id}/timeouts': async () => ({ visitor_id: `v_matrix${++n}`, seconds: 60 }),
  'PUT /api/events/{id}/word-filters': async () => ({ items: [{ pattern: fresh('mot'), lang: '' }] }),
  'PUT /api/word-filters': async () => ({ items: [] }),
  'PUT /api/site': async () => ({ organiser: fresh('Ville de la matrice') }),
  'POST /api/events/{id}/duplicate': async () => null,
  'POST /api/events/{id}/questions/{qid}/release': async () => ({}),
  'POST /api/events/{id}/questions/{qid}/{action}': async () => ({}),
  'POST /api/events/{id}/bans': async () => ({ visitor_id: `v_matrix${++n}`, reason: 'matrice' }),
  'POST /api/events/{id}/announcements': async () => ({ text: fresh('Annonce de la matrice'), lang: 'fr' }),
  'POST /api/events/{id}/answers': async (allowed) => ({
    question_id: allowed ? await freshQuestion({ forward: true }) : standing.forwarded,
    text: fresh('Réponse de la matrice'),
  }),
};

// Routes after which a caller's own staff session may be gone (checked with
// GET /api/auth/me and rebuilt).
const ENDS_SESSIONS = new Set(['POST /api/auth/logout', 'POST /api/auth/logout-all']);
// Routes that end the calling visitor's session (erasure): that visitor
// joins again afterwards.
const ENDS_VISITOR_SESSIONS = new Set(['DELETE /api/events/{id}/me']);
// Routes whose object may not exist for the matrix's debate: a 404
// not_found after the rule admitted the caller counts as admitted (E has no
// logo: fetching one needs an https server, privacy.test.js has it).
const MAY_BE_ABSENT = new Set(['GET /api/events/{id}/logo', 'GET /api/site/logo', 'GET /api/events/{id}/guests/{n}/photo']);
// Admitted, then answered 503 mail_unavailable: this cluster sends no mail
// (no PALABRE_SMTP_URL), which the handler checks after the rule and the
// body, storing nothing. reminders.test.js has the 202 with a real server.
const NO_MAIL_HERE = new Set(['POST /api/events/{id}/reminders']);

const isMutation = (method) => !['GET', 'HEAD', 'OPTIONS'].includes(method);
const routeKey = (r) => `${r.method} ${r.path}`;
const isStream = (r) => r.method === 'GET' && /\/stream$/.test(r.path);

// ---------------------------------------------------------------------------
// What must not change when a call is refused.

async function sqlSnapshot() {
  const r = await run('sqlite3', ['-readonly', path.join(c.runDir, 'palabre.db'), sqlQuery]);
  assert.equal(r.code, 0, `sqlite3: ${r.stderr}`);
  return r.stdout;
}

async function redisKeys() {
  const out = await c.redisCli(['--scan']);
  return new Set(out.split('\n').filter(Boolean));
}

async function snapshot() {
  const admin = c.asAdmin();
  // Count frames (supports, poll results) held back to one a second go out
  // from the workers' phase clocks a moment later: let them go first, so
  // that the public stream does not change under the comparison.
  await waitUntil(async () => (await c.redisCli(['SCARD', 'palabre:frames:debates'])) === '0',
    { what: 'the due count frames to go out', timeoutMs: 5000 });
  const [qE, qF, bans, poll] = await Promise.all([
    admin.get(`/api/events/${E}/queue`), admin.get(`/api/events/${F}/queue`), admin.get(`/api/events/${E}/bans`),
    c.poll(`/api/events/${E}/poll`),
    // Reading the audit log moves what actions wrote to Redis into SQL, so
    // that the SQL picture below does not depend on when that happens.
    admin.get(`/api/events/${E}/audit`), admin.get(`/api/events/${F}/audit`),
  ]);
  // After the reads: what they create themselves (a debate's epoch, on the
  // first read of its stream) is in the picture.
  const [sql, keys] = await Promise.all([sqlSnapshot(), redisKeys()]);
  const view = (q) => {
    const j = expectOk(q, 200, 'snapshot queue');
    const one = (x) => `${x.id}|${x.status}|${x.text}|${x.forwarded}|${x.answered}`;
    return { pending: j.pending.map(one), forwarded: j.forwarded.map(one), recent: j.recent.map(one) };
  };
  return {
    state: {
      queueE: view(qE), queueF: view(qF),
      bans: expectOk(bans, 200, 'snapshot bans').bans.map((b) => b.visitor_id).sort(),
      poll: expectOk(poll, 200, 'snapshot poll').items.map((i) => i.cursor),
      sql,
    },
    keys,
  };
}

// The rows each table gained or lost, rather than the whole dump.
function sqlDiff(a, b) {
  const tables = (dump) => new Map(dump.split('\n').filter(Boolean).map((line) => {
    const [table, , ...rest] = line.split('|');
    let rows = [];
    try {
      rows = JSON.parse(rest.join('|')).map((r) => JSON.stringify(r));
    } catch (_) {
      rows = [rest.join('|')];
    }
    return [table, rows];
  }));
  const ta = tables(a);
  const tb = tables(b);
  const out = [];
  for (const [table, rowsB] of tb) {
    const rowsA = ta.get(table) || [];
    const gone = rowsA.filter((r) => !rowsB.includes(r));
    const added = rowsB.filter((r) => !rowsA.includes(r));
    if (gone.length || added.length) out.push(`${table}: -${JSON.stringify(gone)} +${JSON.stringify(added)}`);
  }
  return out.join('; ').slice(0, 3000);
}

function assertUnchanged(before, afterSnap, what) {
  assert.deepEqual(afterSnap.state.queueE, before.state.queueE, `${what}: this debate's queue changed`);
  assert.deepEqual(afterSnap.state.queueF, before.state.queueF, `${what}: the other debate's queue changed`);
  assert.deepEqual(afterSnap.state.bans, before.state.bans, `${what}: the bans changed`);
  assert.deepEqual(afterSnap.state.poll, before.state.poll, `${what}: the public stream changed`);
  if (afterSnap.state.sql !== before.state.sql) assert.fail(`${what}: the SQL tables changed: ${sqlDiff(before.state.sql, afterSnap.state.sql)}`);
  // Keys that appeared (a question, a session, a rate counter, an
  // idempotency record…); keys may vanish on their own (TTLs). Two keys are
  // written by the clock, whoever calls: a debate's dashboard timeline,
  // sampled by the phase clocks each minute, and its watcher count, which the
  // hubs rewrite every few seconds while a stream is open (and which expires
  // between): either may appear during any request.
  const byTheClock = /:(timeline|watchers)$/;
  const added = [...afterSnap.keys].filter((k) => !before.keys.has(k) && !byTheClock.test(k));
  assert.deepEqual(added, [], `${what}: Redis keys appeared`);
}

// ---------------------------------------------------------------------------
// One call.

async function call(route, identity, session, allowed) {
  let p = route.path;
  for (const [, name] of route.path.matchAll(/\{([^}]+)\}/g)) {
    const fill = (ROUTE_PARAMS[routeKey(route)] || {})[name] || PARAMS[name];
    assert.ok(fill, `route ${routeKey(route)} has a path parameter {${name}} the matrix cannot fill`);
    p = p.replace(`{${name}}`, encodeURIComponent(await fill(allowed)));
  }
  const opts = { localAddress: identity.localAddress, headers: { 'Idempotency-Key': crypto.randomUUID() } };
  if (isStream(route)) {
    const s = await session.sse(p, { localAddress: identity.localAddress });
    s.close();
    return { status: s.status, headers: s.headers, text: s.text || '', json: s.json };
  }
  if (isMutation(route.method) && route.method !== 'DELETE') {
    const makeBody = BODIES[routeKey(route)];
    assert.ok(makeBody, `route ${routeKey(route)} has no body the matrix knows`);
    const body = await makeBody(allowed);
    if (body !== null) opts.body = body;
  }
  return session.request(route.method, p, opts);
}

// ---------------------------------------------------------------------------

before(async () => {
  c = await startCluster({ workers: 2, nginxWorkers: 1, env: { PALABRE_QUESTIONS_PER_WINDOW: '100000' } });
  routes = JSON.parse(await c.admin(['routes']));
  const e = await c.createEvent({ title: 'La matrice' });
  E = e.id;
  endsAt = Date.parse(e.ends_at);
  F = (await c.createEvent({ title: 'Un autre débat' })).id;
  inviteE = await c.invite(E);
  inviteF = await c.invite(F);
  const table = routes.map(routeKey);
  const hasRevocation = table.includes('DELETE /api/events/{id}/invites/{invite_id}');
  if (hasRevocation) revoked = await revokedInvite();
  for (const identity of IDENTITIES) {
    if (identity.needs && !table.includes(identity.needs)) continue;
    identity.session = await identity.build();
  }
  standing = {
    question: await freshQuestion(),
    forwarded: await freshQuestion({ forward: true }),
    bannedVisitor: await freshBan(),
    invite: hasRevocation ? await freshInvite() : 'inv_none',
    preparedAnswer: await freshPreparedAnswer(),
    poll: await freshPoll(),
    published: await freshPublishedQuestion(),
    timedOut: await freshTimeout(),
  };
  reminderToken = crypto.randomBytes(32).toString('base64url');
  if (routes.some((r) => r.path === '/api/reminders/{token}')) {
    const now = Date.now();
    const w = await run('sqlite3', [path.join(c.runDir, 'palabre.db'),
      'INSERT INTO reminders (event_id, email, lang, base_url, created_ms, confirm_hash, unsubscribe_hash, confirm_due,'
      + ` confirm_sent_ms) VALUES ('${E}', 'matrice@example.org', 'fr', '${c.origin}/', ${now}, '${sha256(reminderToken)}',`
      + ` '${sha256(`${reminderToken}-u`)}', 0, ${now})`]);
    assert.equal(w.code, 0, `sqlite3: ${w.stderr}`);
  }
  // Every table but the migrations' own, without the columns that note a
  // credential's last use (a refused caller's own token may be noted).
  const tables = (await run('sqlite3', ['-readonly', path.join(c.runDir, 'palabre.db'),
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name"]))
    .stdout.split('\n').filter(Boolean);
  const parts = [];
  for (const t of tables) {
    const cols = (await run('sqlite3', ['-readonly', path.join(c.runDir, 'palabre.db'), `SELECT name FROM pragma_table_info('${t}')`]))
      .stdout.split('\n').filter((x) => x && !/^last_used/.test(x));
    parts.push(`SELECT '${t}', count(*), json_group_array(json_array(${cols.map((x) => `"${x}"`).join(', ')})) FROM (SELECT * FROM "${t}" ORDER BY rowid)`);
  }
  sqlQuery = parts.join(' UNION ALL ');
});

after(async () => {
  if (c) await c.stop();
});

describe('the route table', () => {
  it('gives every route a rule the matrix knows', () => {
    assert.ok(routes.length >= 30, `palabre-admin routes printed ${routes.length} routes`);
    for (const r of routes) {
      assert.ok(RULES[r.access], `route ${routeKey(r)} has no rule the matrix knows: "${r.access}"`);
    }
  });

  it('opens no mutation to anonymous callers but join and sign-in', () => {
    for (const r of routes) {
      if (isMutation(r.method) && r.access === 'public') {
        assert.ok(PUBLIC_MUTATIONS.has(routeKey(r)), `route ${routeKey(r)} is a mutation anyone may call`);
      }
    }
  });

  it('gives each long-poll the rule of the stream it stands in for', () => {
    // A page whose network holds SSE back falls back to the long-poll
    // (static/assets/js/stream.js): it must admit and refuse the same callers.
    const access = new Map(routes.map((r) => [routeKey(r), r.access]));
    for (const [stream, poll] of [['/api/events/{id}/stream', '/api/events/{id}/poll'],
      ['/api/events/{id}/staff/stream', '/api/events/{id}/staff/poll']]) {
      assert.ok(access.has(`GET ${poll}`), `GET ${poll} is routed`);
      assert.equal(access.get(`GET ${poll}`), access.get(`GET ${stream}`), `GET ${poll} has the rule of GET ${stream}`);
    }
  });

  it('says what docs/API.md says, route by route', () => {
    const doc = fs.readFileSync(path.join(SOURCE_DIR, 'docs', 'API.md'), 'utf8');
    const section = doc.split(/^## /m).find((s) => s.startsWith('Who may call what'));
    assert.ok(section, 'docs/API.md has a "Who may call what" section');
    const documented = new Map();
    for (const m of section.matchAll(/^\| `([A-Z]+)` \| `([^`]+)` \| `([a-z_]+)` \|/gm)) documented.set(`${m[1]} ${m[2]}`, m[3]);
    const inTable = new Map(routes.map((r) => [routeKey(r), r.access]));
    for (const [key, access] of inTable) {
      assert.ok(documented.has(key), `route ${key} (${access}) is not in docs/API.md "Who may call what"`);
      assert.equal(access, documented.get(key), `route ${key}: the code says ${access}, docs/API.md says ${documented.get(key)}`);
    }
    for (const key of documented.keys()) assert.ok(inTable.has(key), `docs/API.md lists ${key}, which the worker does not route`);
  });
});

describe('the authorization matrix', () => {
  it('refuses every caller the rule refuses, with the contract error and no change; admits the others', async () => {
    const t0 = Date.now();
    const identities = IDENTITIES.filter((i) => i.session);
    let refusedCalls = 0;
    let allowedCalls = 0;
    // Known routes in the table's order; the refused callers of a route
    // first (against one snapshot), then the admitted ones.
    for (const route of routes) {
      const rule = RULES[route.access];
      assert.ok(rule, `route ${routeKey(route)} has no rule the matrix knows: "${route.access}"`);
      const plan = identities.map((identity) => ({ identity, expect: rule(identity.who, route) }));
      let base = await snapshot();
      for (const { identity, expect } of plan.filter((x) => !x.expect.allow)) {
        const what = `${routeKey(route)} as ${identity.name}`;
        const res = await call(route, identity, identity.session, false);
        expectError(res, expect.status, expect.code, what);
        assert.doesNotMatch(res.text, /<html|<body|stack|\.cpp:\d+/i, `${what}: no HTML, no internals`);
        const now = await snapshot();
        assertUnchanged(base, now, what);
        base = now;
        refusedCalls++;
      }
      for (const { identity } of plan.filter((x) => x.expect.allow)) {
        const what = `${routeKey(route)} as ${identity.name}`;
        const res = await call(route, identity, identity.session, true);
        if (MAY_BE_ABSENT.has(routeKey(route)) && res.status === 404) expectError(res, 404, 'not_found', what);
        else if (NO_MAIL_HERE.has(routeKey(route))) expectError(res, 503, 'mail_unavailable', what);
        else assert.ok(res.status >= 200 && res.status < 300, `${what} is allowed: got ${res.status} ${res.text.slice(0, 300)}`);
        allowedCalls++;
        if (ENDS_SESSIONS.has(routeKey(route))) await reviveSessions(identities);
        if (ENDS_VISITOR_SESSIONS.has(routeKey(route))) identity.session = await identity.build();
      }
    }
    const cells = routes.length * identities.length;
    assert.equal(refusedCalls + allowedCalls, cells);
    // For the report: the size of the matrix and its time.
    console.log(`# matrix: ${routes.length} routes x ${identities.length} callers = ${cells} calls ` +
      `(${refusedCalls} refused, ${allowedCalls} admitted) in ${Date.now() - t0} ms`);
  });
});

// Cookie callers whose session an admitted logout ended get a new one.
async function reviveSessions(identities) {
  for (const identity of identities) {
    if (!identity.cookie) continue;
    const me = await identity.session.get('/api/auth/me');
    if (me.status === 401) identity.session = await identity.build();
  }
}

describe('visitor cookies', () => {
  it('belong to the debate joined: Path is that debate, and another debate counts them as not joined', async () => {
    const inF = await c.join(F, fresh('Lou'));
    assert.match(inF.cookieAttributes, new RegExp(`Path=/api/events/${F}(;|$)`), inF.cookieAttributes);
    const mineF = expectOk(await inF.get(`/api/events/${F}/my-questions`), 200);
    expectOk(await inF.ask(F, 'Une question pour F', 'fr'), 202);

    const before = await snapshot();
    expectError(await inF.ask(E, 'Dans E avec le cookie de F', 'fr'), 401, 'not_joined', 'a question in E with F\'s cookie');
    expectError(await inF.get(`/api/events/${E}/my-questions`), 401, 'not_joined', 'my-questions of E with F\'s cookie');
    assertUnchanged(before, await snapshot(), 'F\'s visitor in E');

    // Joining E with F's cookie starts a visitor of E; F's stays as it was.
    const joined = await inF.post(`/api/events/${E}/join`, { name: 'Lou dans E', lang: 'fr' });
    const j = expectOk(joined, 200);
    assert.notEqual(j.visitor_id, inF.visitorId, 'a new visitor id for E');
    const again = expectOk(await inF.get(`/api/events/${F}/my-questions`), 200);
    assert.equal(again.questions.length, mineF.questions.length + 1, 'F\'s session is untouched');
  });

  it('let one browser take part in two debates: one cookie each, sent to its own debate', async () => {
    const jar = new Map();  // path -> "palabre_v=…", as a browser keeps them
    const keep = (res) => {
      for (const line of res.headers['set-cookie'] || []) {
        const pathAttr = /;\s*Path=([^;]+)/i.exec(line);
        if (line.startsWith('palabre_v=')) jar.set(pathAttr ? pathAttr[1] : '/', line.split(';')[0]);
      }
    };
    // RFC 6265 path-match, longest path first.
    const cookieFor = (p) => [...jar.entries()]
      .filter(([cp]) => p === cp || p.startsWith(cp.endsWith('/') ? cp : `${cp}/`))
      .sort((a, b) => b[0].length - a[0].length).map(([, v]) => v).join('; ');
    const browser = (method, p, body) => c.request(method, p, { body, cookie: cookieFor(p), headers: { Origin: c.origin } });

    const jE = await browser('POST', `/api/events/${E}/join`, { name: 'Sacha', lang: 'fr' });
    keep(jE);
    const jF = await browser('POST', `/api/events/${F}/join`, { name: 'Sacha', lang: 'fr' });
    keep(jF);
    assert.equal(jar.size, 2, `two cookies, one per debate: ${[...jar.keys()].join(', ')}`);
    assert.notEqual(jE.json.visitor_id, jF.json.visitor_id, 'one visitor id per debate');
    const qE = expectOk(await browser('POST', `/api/events/${E}/questions`, { text: 'Sacha dans E', lang: 'fr' }), 202);
    const qF = expectOk(await browser('POST', `/api/events/${F}/questions`, { text: 'Sacha dans F', lang: 'fr' }), 202);
    const mineE = expectOk(await browser('GET', `/api/events/${E}/my-questions`), 200).questions.map((q) => q.id);
    const mineF = expectOk(await browser('GET', `/api/events/${F}/my-questions`), 200).questions.map((q) => q.id);
    assert.deepEqual(mineE, [qE.id]);
    assert.deepEqual(mineF, [qF.id]);
    // Both cookies sent at once (a browser that still holds an older one
    // does that): each debate finds its own.
    const both = [...jar.values()].join('; ');
    const withBoth = expectOk(await c.request('GET', `/api/events/${F}/my-questions`, { cookie: both }), 200);
    assert.deepEqual(withBoth.questions.map((q) => q.id), [qF.id]);
  });
});

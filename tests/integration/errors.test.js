'use strict';
// Every bad request gets the JSON error docs/API.md lists for it — never
// HTML, never a stack trace — and changes nothing: after each refused
// mutation the moderation queue, the public history and the open public
// stream are exactly as they were.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, expectError, expectOk, isoIn, waitUntil } = require('../support/cluster');

let c;            // the cluster
let E;            // the live debate most cases use
let mod;          // its moderator (Bearer)
let guest;        // its guest (Bearer)
let pub;          // a public stream open for the whole file
let names = 0;
const expectedOnStream = [];  // ids of the messages this file publishes on purpose

const visitor = (eventId = E) => c.join(eventId, `Visiteur ${++names}`, { lang: 'fr' });

async function snapshot(eventId = E, moderator = mod) {
  const q = expectOk(await moderator.get(`/api/events/${eventId}/queue`), 200, 'snapshot queue');
  const p = expectOk(await c.poll(`/api/events/${eventId}/poll`), 200, 'snapshot poll');
  const view = (list) => list.map((x) => `${x.id}|${x.status}|${x.text}|${x.forwarded}`);
  return {
    pending: view(q.pending), forwarded: view(q.forwarded), recent: view(q.recent),
    cursor: p.cursor, items: p.items.map((i) => i.cursor),
  };
}

// Runs a mutation that must be refused with (status, code), and checks that
// it changed nothing.
async function refused(what, status, code, fn, { eventId = E, moderator = mod } = {}) {
  const before = await snapshot(eventId, moderator);
  const framesBefore = pub.frames.length;
  const res = await fn();
  expectError(res, status, code, what);
  assert.doesNotMatch(res.text, /<html|<body|stack|\.cpp:\d+/i, `${what}: no HTML, no internals`);
  const afterSnap = await snapshot(eventId, moderator);
  assert.deepEqual(afterSnap, before, `${what} changed nothing`);
  assert.equal(pub.frames.length, framesBefore, `${what}: nothing new on the public stream`);
  return res;
}

before(async () => {
  c = await startCluster({ workers: 2, nginxWorkers: 1 });
  E = (await c.createEvent({ title: 'Erreurs' })).id;
  const inv = await c.invite(E);
  mod = c.bearer(inv.moderator_token, 'moderator', E);
  guest = c.bearer(inv.guest_token, 'guest', E);
  pub = await c.sse(`/api/events/${E}/stream`);
  assert.equal(pub.status, 200);
  // Its opening frames (hello, then the history) are in before anything is counted.
  await pub.waitFor((f) => f.event === 'phase', 10000, 'the history on the public stream');
});

after(async () => {
  if (pub) pub.close();
  if (c) await c.stop();
});

describe('malformed bodies', () => {
  it('refuses malformed JSON with invalid_json', async () => {
    const v = await visitor();
    await refused('malformed JSON', 400, 'invalid_json', () => v.post(`/api/events/${E}/questions`, '{"text": "Bonjour"'));
    await refused('empty body', 400, 'invalid_json', () => v.post(`/api/events/${E}/questions`, ''));
    await refused('malformed JSON on join', 400, 'invalid_json', () => c.request('POST', `/api/events/${E}/join`, { body: '{name:', headers: { Origin: c.origin } }));
    await refused('malformed JSON on create', 400, 'invalid_json', () => c.asAdmin().post('/api/events', '{"title":'));
  });

  it('refuses JSON that is not an object with invalid_json', async () => {
    const v = await visitor();
    for (const body of ['[1,2]', '"Bonjour"', '42', 'null', 'true']) {
      await refused(`body ${body}`, 400, 'invalid_json', () => v.post(`/api/events/${E}/questions`, body));
    }
  });

  it('refuses bytes that are not UTF-8 with invalid_utf8', async () => {
    const v = await visitor();
    const wrap = (bytes) => Buffer.concat([Buffer.from('{"text":"Bonjour '), Buffer.from(bytes), Buffer.from('","lang":"fr"}')]);
    const cases = {
      'a lone continuation byte': [0x80],
      'invalid bytes': [0xff, 0xfe],
      'an overlong slash': [0xc0, 0xaf],
      'an encoded surrogate': [0xed, 0xa0, 0x80],
      'a truncated sequence': [0xe2, 0x82],
      'a code point above U+10FFFF': [0xf4, 0x90, 0x80, 0x80],
    };
    for (const [what, bytes] of Object.entries(cases)) {
      await refused(what, 400, 'invalid_utf8', () => v.post(`/api/events/${E}/questions`, wrap(bytes)));
    }
    await refused('a name that is not UTF-8', 400, 'invalid_utf8', () => c.request('POST', `/api/events/${E}/join`, {
      body: Buffer.concat([Buffer.from('{"name":"Cam'), Buffer.from([0xff]), Buffer.from('"}')]), headers: { Origin: c.origin },
    }));
  });

  it('refuses empty, blank, missing and mistyped text', async () => {
    const v = await visitor();
    await refused('empty text', 400, 'text_empty', () => v.ask(E, '', 'fr'));
    await refused('white space only', 400, 'text_empty', () => v.ask(E, ' \t\r\n ', 'fr'));
    await refused('missing text', 400, 'invalid_field', () => v.post(`/api/events/${E}/questions`, { lang: 'fr' }));
    await refused('text as a number', 400, 'invalid_field', () => v.post(`/api/events/${E}/questions`, { text: 42 }));
    await refused('empty announcement', 400, 'text_empty', () => mod.post(`/api/events/${E}/announcements`, { text: '  ' }));
  });

  it('refuses a question in a language the debate does not offer (unsupported_language); join only falls back', async () => {
    // E offers fr and en (the cluster's default).
    const v = await visitor();
    const res = await refused('a question in German', 422, 'unsupported_language', () => v.ask(E, 'Wann beginnen die Arbeiten?', 'de'));
    assert.match(res.json.error.message, /fr, en/, 'the message names the languages the debate takes');
    await refused('a lang that is no language tag', 400, 'invalid_field', () => v.ask(E, 'Question ?', 'not a tag!'));
    // Joining records a preference: an unknown one becomes the debate's first.
    await c.join(E, `Visiteur ${++names}`, { lang: 'de' });  // asserts 200
    // A question without lang, or in one of the debate's languages, goes in.
    expectOk(await v.post(`/api/events/${E}/questions`, { text: 'Sans langue précisée ?' }), 202, 'no lang');
    expectOk(await v.ask(E, 'When will the works start?', 'en'), 202, 'a question in English');
  });

  it('refuses text made only of Unicode spaces (no-break, ideographic, em) with text_empty', async () => {
    const v = await visitor();
    await refused('Unicode spaces only', 400, 'text_empty', () => v.ask(E, '\u00a0\u3000\u2003', 'fr'));
    await refused('a name of Unicode spaces only', 400, ['text_empty', 'invalid_field'], () => c.request('POST', `/api/events/${E}/join`, {
      body: { name: '\u00a0\u00a0' }, headers: { Origin: c.origin },
    }));
  });

  it('accepts exactly 2,000 characters and refuses 2,001', async () => {
    await refused('2,001 characters', 400, 'text_too_long', async () => (await visitor()).ask(E, 'a'.repeat(2001), 'fr'));
    await refused('2,001 accented characters', 400, 'text_too_long', async () => (await visitor()).ask(E, 'é'.repeat(2001), 'fr'));
    await refused('an announcement of 2,001 characters', 400, 'text_too_long', () => mod.post(`/api/events/${E}/announcements`, { text: 'x'.repeat(2001) }));
    // Characters are code points, not bytes or UTF-16 units.
    for (const ch of ['a', 'é', '😀']) {
      const res = await (await visitor()).ask(E, ch.repeat(2000), 'fr');
      expectOk(res, 202, `2,000 × ${ch}`);
    }
  });

  it('refuses a 100 KB body in the worker and a 2 MB body in nginx, both as JSON 413', async () => {
    const v = await visitor();
    const mid = await refused('100 KB body', 413, 'payload_too_large', () => v.ask(E, 'a'.repeat(100 * 1024), 'fr'));
    const big = await refused('2 MB body', 413, 'payload_too_large', () => v.ask(E, 'a'.repeat(2 * 1024 * 1024), 'fr'));
    // Who answered: the access log has the request id nginx returned.
    // nginx writes the line once it has finished with the request, which
    // may be just after the client read the answer.
    const line = (res) => c.accessLog().find((l) => l.request_id === res.headers['x-request-id']);
    await waitUntil(() => line(mid) && line(big), { timeoutMs: 10000, what: 'both requests in the access log' });
    assert.equal(line(mid).upstream_status, '413', 'the worker refused the 100 KB body');
    assert.equal(line(big).upstream_addr, '', 'nginx refused the 2 MB body without bothering a worker');
  });
});

describe('unknown things', () => {
  it('answers 404 not_found for an unknown debate', async () => {
    expectError(await c.get('/api/events/no-such-debate'), 404, 'not_found');
    expectError(await c.get('/api/events/no-such-debate/transcript.json'), 404, 'not_found');
    const s = await c.sse('/api/events/no-such-debate/stream');
    assert.equal(s.status, 404);
    assert.equal(s.json && s.json.error.code, 'not_found');
    expectError(await c.poll('/api/events/no-such-debate/poll'), 404, 'not_found');
    await refused('join an unknown debate', 404, 'not_found', () => c.request('POST', '/api/events/no-such-debate/join', { body: { name: 'X' }, headers: { Origin: c.origin } }));
  });

  it('answers 404 not_found for an unknown question', async () => {
    await refused('publish an unknown question', 404, 'not_found', () => mod.act(E, 'q_doesnotexist', 'publish'));
    await refused('answer an unknown question', 404, 'not_found', () => guest.post(`/api/events/${E}/answers`, { question_id: 'q_doesnotexist', text: 'Oui.' }));
  });

  it('answers 404 not_found as JSON for an unknown route', async () => {
    expectError(await c.get('/api/nothing-here'), 404, 'not_found');
    expectError(await c.get(`/api/events/${E}/nothing-here`), 404, 'not_found');
    await refused('unknown action', 404, 'not_found', () => mod.act(E, 'q_doesnotexist', 'dance'));
  });

  it('answers 405 method_not_allowed for a known path and a wrong method', async () => {
    await refused('DELETE /api/events', 405, 'method_not_allowed', () => c.asAdmin().del('/api/events'));
    await refused('PUT questions', 405, 'method_not_allowed', async () => (await visitor()).put(`/api/events/${E}/questions`, { text: 'x' }));
    expectError(await c.get(`/api/events/${E}/join`), 405, 'method_not_allowed');
    await refused('POST on the stream', 405, 'method_not_allowed', () => c.request('POST', `/api/events/${E}/stream`, { body: {} }));
  });
});

describe('who may do what', () => {
  let q;        // a pending question of E
  before(async () => {
    q = expectOk(await (await visitor()).ask(E, 'Une question en attente.', 'fr'), 202).id;
  });

  it('refuses a guest moderating with 403 forbidden', async () => {
    await refused('guest publishes', 403, 'forbidden', () => guest.act(E, q, 'publish'));
    await refused('guest rejects', 403, 'forbidden', () => guest.act(E, q, 'reject', {}));
    await refused('guest bans', 403, 'forbidden', async () => guest.post(`/api/events/${E}/bans`, { visitor_id: (await visitor()).visitorId, reason: 'x' }));
    await refused('guest announces', 403, 'forbidden', () => guest.post(`/api/events/${E}/announcements`, { text: 'x' }));
    expectError(await guest.get(`/api/events/${E}/queue`), 403, 'forbidden');
  });

  it('refuses a visitor on staff routes', async () => {
    const v = await visitor();
    // A visitor cookie is not a staff credential: 401 (no staff credentials)
    // or 403 (known, but not staff) are both what docs/API.md allows.
    const check = (res, what) => {
      assert.ok([401, 403].includes(res.status), `${what}: ${res.status} ${res.text}`);
      expectError(res, res.status, res.status === 401 ? 'unauthorized' : 'forbidden', what);
      return res;
    };
    check(await v.get(`/api/events/${E}/queue`), 'visitor reads the queue');
    const before = await snapshot();
    check(await v.act(E, q, 'publish'), 'visitor publishes');
    check(await v.post(`/api/events/${E}/announcements`, { text: 'x' }), 'visitor announces');
    check(await v.post(`/api/events/${E}/answers`, { question_id: q, text: 'x' }), 'visitor answers');
    assert.deepEqual(await snapshot(), before, 'nothing changed');
  });

  it('refuses a moderator of one debate acting on another with 403 forbidden', async () => {
    const B = (await c.createEvent({ title: 'Autre débat' })).id;
    const invB = await c.invite(B);
    const modB = c.bearer(invB.moderator_token, 'moderator', B);
    const qB = expectOk(await (await visitor(B)).ask(B, 'Question sur B.', 'fr'), 202).id;
    const opts = { eventId: B, moderator: modB };
    await refused('moderator of A publishes on B', 403, 'forbidden', () => mod.act(B, qB, 'publish'), opts);
    await refused('moderator of A announces on B', 403, 'forbidden', () => mod.post(`/api/events/${B}/announcements`, { text: 'x' }), opts);
    await refused('moderator of A extends B', 403, 'forbidden', () => mod.patch(`/api/events/${B}`, { ends_at: isoIn(5 * 3600 * 1000) }), opts);
    expectError(await mod.get(`/api/events/${B}/queue`), 403, 'forbidden');
    await refused('guest of A answers on B', 403, 'forbidden', () => guest.post(`/api/events/${B}/answers`, { question_id: qB, text: 'x' }), opts);
  });

  it('refuses admin-only actions to a moderator with 403 forbidden', async () => {
    await refused('moderator creates a debate', 403, 'forbidden', () => mod.post('/api/events', { title: 'x', starts_at: isoIn(0), ends_at: isoIn(3600e3) }));
    await refused('moderator invites', 403, 'forbidden', () => mod.post(`/api/events/${E}/invites`, {}));
    await refused('moderator renames the debate', 403, 'forbidden', () => mod.patch(`/api/events/${E}`, { title: 'Renommé' }));
  });

  it('refuses a forged or missing token with 401 unauthorized', async () => {
    const forged = c.bearer('pT0k3n-forged-' + 'x'.repeat(30));
    await refused('forged token publishes', 401, 'unauthorized', () => forged.act(E, q, 'publish'));
    await refused('forged token creates', 401, 'unauthorized', () => forged.post('/api/events', { title: 'x' }));
    expectError(await forged.get(`/api/events/${E}/queue`), 401, 'unauthorized');
    expectError(await c.get(`/api/events/${E}/queue`), 401, 'unauthorized');
    await refused('no credentials publish', 401, 'unauthorized', () => c.request('POST', `/api/events/${E}/questions/${q}/publish`, { body: {} }));
    expectError(await c.request('POST', '/api/auth/exchange', { body: { token: 'not-a-token' }, headers: { Origin: c.origin } }), 401, 'unauthorized');
    expectError(await c.request('POST', '/api/auth/login', { body: { login: 'admin', password: 'wrong' }, headers: { Origin: c.origin } }), 401, 'unauthorized');
    expectError(await c.get('/api/auth/me'), 401, 'unauthorized');
  });

  it('refuses a question without the visitor cookie with 401 not_joined', async () => {
    await refused('no cookie', 401, 'not_joined', () => c.request('POST', `/api/events/${E}/questions`, { body: { text: 'Bonjour' }, headers: { Origin: c.origin } }));
    await refused('an unknown cookie', 401, 'not_joined', () => c.request('POST', `/api/events/${E}/questions`, {
      body: { text: 'Bonjour' }, cookie: 'palabre_v=forged-cookie-value', headers: { Origin: c.origin },
    }));
    expectError(await c.get(`/api/events/${E}/my-questions`), 401, 'not_joined');
  });

  it('refuses cross-origin cookie mutations with 403 csrf_failed', async () => {
    const v = await visitor();
    const ask = (opts) => v.post(`/api/events/${E}/questions`, { text: 'Question CSRF', lang: 'fr' }, opts);
    await refused('another Origin', 403, 'csrf_failed', () => ask({ origin: 'https://evil.example' }));
    await refused('Origin: null', 403, 'csrf_failed', () => ask({ origin: 'null' }));
    await refused('Sec-Fetch-Site: cross-site', 403, 'csrf_failed', () => ask({ origin: null, headers: { 'Sec-Fetch-Site': 'cross-site' } }));
    await refused('a wrong X-CSRF-Token', 403, 'csrf_failed', () => ask({ csrf: 'not-the-token' }));
    await refused('another port of the same host', 403, 'csrf_failed', () => ask({ origin: `http://127.0.0.1:${c.port === 1 ? 2 : c.port - 1}` }));
    const inv = await c.invite(E);
    const staff = await c.exchange(inv.moderator_token);
    await refused('staff cookie from another Origin', 403, 'csrf_failed', () => staff.act(E, q, 'publish', {}, { origin: 'https://evil.example' }));
    // The same visitor, same origin, is accepted: the refusals were about origin only.
    expectOk(await ask({}), 202, 'same-origin question');
  });
});

describe('the state of the debate', () => {
  it('refuses questions when the debate is closed or not open yet with 409 event_closed', async () => {
    const ev = await c.createEvent({ title: 'Bientôt fermé' });
    const inv = await c.invite(ev.id);
    const m = c.bearer(inv.moderator_token);
    const v = await visitor(ev.id);
    expectOk(await m.patch(`/api/events/${ev.id}`, { closed: true }), 200, 'close the debate');
    assert.equal(expectOk(await c.get(`/api/events/${ev.id}`)).phase, 'closed');
    await refused('question in a closed debate', 409, 'event_closed', () => v.ask(ev.id, 'Trop tard ?', 'fr'), { eventId: ev.id, moderator: m });

    const past = await c.createEvent({ title: 'Passé', starts_at: isoIn(-3 * 3600e3), ends_at: isoIn(-2 * 3600e3), late_questions_days: 0 });
    assert.equal(past.phase, 'closed');
    const vp = await visitor(past.id);
    // Invites end with the debate's late-question window: an admin looks at this one's queue.
    const mp = c.asAdmin();
    await refused('question after the end', 409, 'event_closed', () => vp.ask(past.id, 'Trop tard ?', 'fr'), { eventId: past.id, moderator: mp });

    const future = await c.createEvent({ title: 'Futur', starts_at: isoIn(24 * 3600e3), ends_at: isoIn(25 * 3600e3), questions_before: false });
    assert.equal(future.phase, 'scheduled');
    const vf = await visitor(future.id);
    const mf = c.bearer((await c.invite(future.id)).moderator_token);
    await refused('question before questions open', 409, 'event_closed', () => vf.ask(future.id, 'Trop tôt ?', 'fr'), { eventId: future.id, moderator: mf });
  });

  it('accepts questions before the start and in the late-questions days', async () => {
    const early = await c.createEvent({ title: 'Questions avant', starts_at: isoIn(24 * 3600e3), ends_at: isoIn(25 * 3600e3), questions_before: true });
    assert.equal(early.phase, 'pre_questions');
    expectOk(await (await visitor(early.id)).ask(early.id, 'Question en avance.', 'fr'), 202);
    const late = await c.createEvent({ title: 'Questions après', starts_at: isoIn(-3 * 3600e3), ends_at: isoIn(-2 * 3600e3), late_questions_days: 3 });
    assert.equal(late.phase, 'late_questions');
    expectOk(await (await visitor(late.id)).ask(late.id, 'Question tardive.', 'fr'), 202);
  });

  it('refuses actions that do not fit a question\'s state with 409 conflict', async () => {
    const v = await visitor();
    const q = expectOk(await v.ask(E, 'À rejeter.', 'fr'), 202).id;
    await refused('retract a pending question', 409, 'conflict', () => mod.act(E, q, 'retract'));
    expectOk(await mod.act(E, q, 'reject', { reason: 'test' }), 200);
    await refused('publish a rejected question', 409, 'conflict', () => mod.act(E, q, 'publish'));
    await refused('forward a rejected question', 409, 'conflict', () => mod.act(E, q, 'forward'));
    await refused('edit a rejected question', 409, 'conflict', () => mod.act(E, q, 'edit', { text: 'Nouveau' }));
  });

  it('rate-limits a visitor with 429 and Retry-After', async () => {
    const v = await visitor();
    for (let i = 1; i <= 10; i++) expectOk(await v.ask(E, `Question rapide ${i}`, 'fr'), 202, `question ${i}`);
    const res = await refused('the 11th question in a minute', 429, 'rate_limited', () => v.ask(E, 'Question rapide 11', 'fr'));
    const retry = Number(res.headers['retry-after']);
    assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After is 1-60 s: ${res.headers['retry-after']}`);
    // Another visitor is not affected.
    expectOk(await (await visitor()).ask(E, 'Une autre personne', 'fr'), 202);
  });

  it('refuses a banned visitor with 403 banned', async () => {
    // From an address of its own: a ban covers the address for newcomers.
    const v = await c.join(E, `Visiteur ${++names}`, { lang: 'fr', from: '127.0.0.66' });
    expectOk(await mod.post(`/api/events/${E}/bans`, { visitor_id: v.visitorId, reason: 'test' }), 201);
    await refused('banned visitor asks', 403, 'banned', () => v.ask(E, 'Encore moi', 'fr'));
    await refused('banned visitor joins again', 403, 'banned', () => v.post(`/api/events/${E}/join`, { name: 'Nouveau nom' }));
  });
});

describe('invalid fields', () => {
  it('refuses a debate with missing or out-of-range fields with invalid_field', async () => {
    const admin = c.asAdmin();
    const base = { title: 'Débat', starts_at: isoIn(3600e3), ends_at: isoIn(7200e3) };
    // A string of the wrong length may be reported with the text codes:
    // every code here is a 400 of docs/API.md naming what is wrong.
    const LENGTH = ['invalid_field', 'text_empty', 'text_too_long'];
    const cases = [
      ['no title', { ...base, title: undefined }, 'invalid_field'],
      ['an empty title', { ...base, title: '' }, LENGTH],
      ['a 201-character title', { ...base, title: 't'.repeat(201) }, LENGTH],
      ['a 5,001-character description', { ...base, description: 'd'.repeat(5001) }, LENGTH],
      ['a title that is a number', { ...base, title: 12 }, 'invalid_field'],
      ['no ends_at', { ...base, ends_at: undefined }, 'invalid_field'],
      ['ends_at before starts_at', { ...base, ends_at: isoIn(1800e3) }, 'invalid_field'],
      ['a date that is not RFC 3339', { ...base, starts_at: 'demain 18h' }, 'invalid_field'],
      ['no language', { ...base, languages: [] }, 'invalid_field'],
      ['a bad id', { ...base, id: 'Pas Un Slug' }, 'invalid_field'],
      ['late_questions_days 366', { ...base, late_questions_days: 366 }, 'invalid_field'],
      ['moderation "post"', { ...base, moderation: 'post' }, 'invalid_field'],
      ['a bad colour', { ...base, branding: { color: 'red' } }, 'invalid_field'],
    ];
    const before = expectOk(await c.get('/api/events'), 200).events.length;
    for (const [what, body, codes] of cases) {
      expectError(await admin.post('/api/events', JSON.parse(JSON.stringify(body))), 400, codes, what);
    }
    assert.equal(expectOk(await c.get('/api/events'), 200).events.length, before, 'no debate was created');
  });

  it('refuses a taken debate id with 409 conflict', async () => {
    const admin = c.asAdmin();
    const body = { id: 'debat-unique', title: 'Unique', starts_at: isoIn(3600e3), ends_at: isoIn(7200e3) };
    expectOk(await admin.post('/api/events', body), 201);
    expectError(await admin.post('/api/events', { ...body, title: 'Doublon' }), 409, 'conflict');
    assert.equal(expectOk(await c.get('/api/events/debat-unique')).title, 'Unique');
  });

  it('refuses a bad visitor name with invalid_field', async () => {
    const join = (name) => c.request('POST', `/api/events/${E}/join`, { body: { name }, headers: { Origin: c.origin } });
    await refused('an empty name', 400, ['invalid_field', 'text_empty'], () => join(''));
    await refused('a name of 41 characters', 400, ['invalid_field', 'text_too_long'], () => join('n'.repeat(41)));
    await refused('a name with a control character', 400, 'text_control_chars', () => join('Cam\u0007ille'));
    await refused('a name that is a number', 400, 'invalid_field', () => join(7));
  });
});

describe('what visitors write', () => {
  it('keeps a script in a question as plain text, returned verbatim in JSON', async () => {
    const v = await visitor();
    // U+2028 inside the text: JSON may carry it raw, JavaScript string literals may not.
    const text = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" \\ \u2028 fin';
    const q = expectOk(await v.ask(E, text, 'fr'), 202).id;
    const queue = expectOk(await mod.get(`/api/events/${E}/queue`), 200);
    assert.equal(queue.pending.find((x) => x.id === q).text, text);
    expectOk(await mod.act(E, q, 'publish'), 200);
    expectedOnStream.push(q);
    const f = await pub.waitFor((fr) => fr.event === 'message' && fr.data.id === q, 10000, 'the published script');
    assert.equal(f.data.text, text, 'the stream carries the text unchanged');
    assert.ok(!f.raw.includes('\n'), 'data is one line');
    const mine = expectOk(await v.get(`/api/events/${E}/my-questions`), 200);
    assert.equal(mine.questions[0].text, text);
    const res = await c.get(`/api/events/${E}/transcript.json`);
    assert.match(res.headers['content-type'], /^application\/json/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  });
});

describe('cursors', () => {
  it('refuses a malformed cursor with 400 bad_request', async () => {
    for (const bad of ['garbage', '12-ab', '-1', '1-2-3', '99999999999999999999999-0']) {
      expectError(await c.poll(`/api/events/${E}/poll`, { after: bad }), 400, 'bad_request', `after=${bad}`);
      const s1 = await c.sse(`/api/events/${E}/stream?last_event_id=${encodeURIComponent(bad)}`);
      assert.equal(s1.status, 400, `last_event_id=${bad}: ${s1.text}`);
      assert.equal(s1.json && s1.json.error.code, 'bad_request');
      const s2 = await c.sse(`/api/events/${E}/stream`, { lastEventId: bad });
      assert.equal(s2.status, 400, `Last-Event-ID: ${bad}: ${s2.text}`);
      assert.equal(s2.json && s2.json.error.code, 'bad_request');
    }
  });
});

describe('a smaller text limit', () => {
  let small;
  before(async () => {
    small = await startCluster({ workers: 1, env: { PALABRE_MAX_TEXT_CHARS: '50' } });
  });
  after(async () => { if (small) await small.stop(); });

  it('follows PALABRE_MAX_TEXT_CHARS', async () => {
    const ev = await small.createEvent({ title: 'Court' });
    const v = await small.join(ev.id, 'Bref');
    expectOk(await v.ask(ev.id, 'é'.repeat(50), 'fr'), 202, '50 characters');
    expectError(await v.ask(ev.id, 'é'.repeat(51), 'fr'), 400, 'text_too_long', '51 characters');
    assert.deepEqual(small.unexpectedExits(), []);
  });
});

describe('at the end', () => {
  it('published on the public stream only what was meant to be', () => {
    assert.deepEqual(pub.messages().map((f) => f.data.id), expectedOnStream);
    assert.ok(!pub.ended, 'the public stream is still open');
  });

  it('had no worker crash', () => {
    assert.deepEqual(c.unexpectedExits(), []);
  });
});

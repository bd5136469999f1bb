'use strict';
// A whole debate through nginx and two workers, as docs/API.md describes it:
// an admin creates a live debate and invites staff; visitors join and ask;
// the moderator sees questions in the queue and on the staff stream, publishes,
// forwards, edits, rejects, retracts and bans; the guest answers; the public
// stream, the long-poll and the transcripts show exactly what was published.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, expectError, expectOk, waitUntil, isoIn } = require('../support/cluster');

// Cursors "<epoch>.<ms>-<seq>" of one epoch, compared by their stream ids.
function cursorLess(a, b) {
  const [am, as] = a.split('.').pop().split('-').map(BigInt);
  const [bm, bs] = b.split('.').pop().split('-').map(BigInt);
  return am < bm || (am === bm && as < bs);
}

function assertSecurityHeaders(res, what) {
  const h = res.headers;
  assert.match(h['content-security-policy'] || '', /default-src 'self'/, `${what}: CSP`);
  assert.match(h['content-security-policy'] || '', /frame-ancestors 'self'/, `${what}: CSP frame-ancestors`);
  assert.equal(h['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.equal(h['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`);
  assert.match(h['permissions-policy'] || '', /camera=\(\)/, `${what}: Permissions-Policy`);
  assert.doesNotMatch(h.server || '', /nginx\/\d/, `${what}: Server header hides nginx's version`);
}

describe('a moderated debate, from creation to transcript', () => {
  let c;
  const S = {};  // state shared by the steps, in order

  before(async () => {
    c = await startCluster({ workers: 2, nginxWorkers: 1 });
  });
  after(async () => {
    for (const s of [S.pub, S.staff, S.staffCookie, S.guestStream, S.bannedStream]) if (s) s.close();
    if (c) await c.stop();
  });

  it('reports itself healthy as JSON', async () => {
    const res = await c.get('/healthz');
    const body = expectOk(res, 200, 'GET /healthz');
    assert.match(res.headers['content-type'], /^application\/json/);
    assert.equal(body.status, 'ok');
    assert.equal(body.checks.redis, 'ok');
    assert.equal(body.checks.sql, 'ok');
    assertSecurityHeaders(res, '/healthz');
  });

  it('lets the admin create a debate that is live now', async () => {
    const ev = await c.createEvent({ title: 'Budget participatif 2027', guests: [{ name: 'Anne Martin', role: 'Maire' }] });
    assert.match(ev.id, /^[a-z0-9-]{3,64}$/);
    assert.equal(ev.phase, 'live');
    assert.deepEqual(ev.languages, ['fr', 'en']);
    assert.equal(ev.questions_before, true);
    assert.equal(ev.moderation, 'pre');
    assert.match(ev.url, new RegExp(`/e/${ev.id}$`));
    S.ev = ev;
    S.id = ev.id;
    S.base = `/api/events/${ev.id}`;
  });

  it('lists the debate publicly and shows it alone', async () => {
    const list = expectOk(await c.get('/api/events'), 200, 'GET /api/events');
    assert.ok(Array.isArray(list.events));
    assert.ok(list.events.some((e) => e.id === S.id), 'GET /api/events lists the new debate');
    const one = expectOk(await c.get(S.base), 200);
    assert.equal(one.id, S.id);
    assert.equal(one.title, 'Budget participatif 2027');
    assert.equal(one.phase, 'live');
  });

  it('gives the admin invite URLs with the token in the fragment', async () => {
    const inv = await c.invite(S.id);
    assert.match(inv.moderator_url, new RegExp(`/e/${S.id}/moderate#t=.+`));
    assert.match(inv.guest_url, new RegExp(`/e/${S.id}/guest#t=.+`));
    assert.ok(inv.moderator_token && inv.guest_token);
    assert.notEqual(inv.moderator_token, inv.guest_token);
    S.modBearer = c.bearer(inv.moderator_token, 'moderator', S.id);
    S.guestBearer = c.bearer(inv.guest_token, 'guest', S.id);
    S.modCookie = await c.exchange(inv.moderator_token);
    assert.equal(S.modCookie.role, 'moderator');
    assert.equal(S.modCookie.eventId, S.id);
    assert.match(S.modCookie.cookieAttributes, /HttpOnly/i);
    const me = expectOk(await S.modCookie.get('/api/auth/me'), 200);
    assert.equal(me.role, 'moderator');
    assert.equal(me.event_id, S.id);
  });

  it('opens the public stream, the moderator streams (Bearer and cookie) and the guest stream', async () => {
    S.pub = await c.sse(`${S.base}/stream`);
    assert.equal(S.pub.status, 200, S.pub.text);
    assert.match(S.pub.headers['content-type'], /^text\/event-stream/);
    assertSecurityHeaders({ headers: S.pub.headers }, 'stream');
    S.staff = await S.modBearer.sse(`${S.base}/staff/stream`);
    assert.equal(S.staff.status, 200, S.staff.text);
    S.staffCookie = await S.modCookie.sse(`${S.base}/staff/stream`);
    assert.equal(S.staffCookie.status, 200, S.staffCookie.text);
    S.guestStream = await S.guestBearer.sse(`${S.base}/staff/stream`);
    assert.equal(S.guestStream.status, 200, S.guestStream.text);
  });

  it('lets a visitor join with a cookie and ask a question that stays private', async () => {
    S.camille = await c.join(S.id, 'Camille', { lang: 'fr' });
    assert.match(S.camille.visitorId, /^v_/);
    assert.match(S.camille.cookieAttributes, /HttpOnly/i);
    assert.match(S.camille.cookieAttributes, /SameSite=Lax/i);
    const res = await S.camille.ask(S.id, 'Quel budget pour les écoles ?', 'fr');
    const q = expectOk(res, 202, 'POST questions');
    assert.match(q.id, /^q_/);
    assert.equal(q.status, 'pending');
    S.q1 = q.id;
    // Pre-moderation: nothing on the public stream or the long-poll.
    const poll = expectOk(await c.poll(`${S.base}/poll`), 200);
    assert.ok(!poll.items.some((i) => i.data && i.data.id === S.q1), 'a pending question is not public');
  });

  it('shows the question to the moderator in the queue (Bearer and cookie) and on the staff stream', async () => {
    for (const who of [S.modBearer, S.modCookie]) {
      const queue = expectOk(await who.get(`${S.base}/queue`), 200, 'GET queue');
      const q = queue.pending.find((p) => p.id === S.q1);
      assert.ok(q, `queue.pending has ${S.q1}: ${JSON.stringify(queue)}`);
      assert.equal(q.text, 'Quel budget pour les écoles ?');
      assert.equal(q.author, 'Camille');
      assert.equal(q.visitor_id, S.camille.visitorId);
      assert.equal(q.status, 'pending');
      assert.ok(Array.isArray(queue.forwarded) && Array.isArray(queue.recent));
    }
    for (const stream of [S.staff, S.staffCookie]) {
      const f = await stream.waitFor((fr) => fr.event === 'question' && fr.data.id === S.q1, 10000, 'the new question on the staff stream');
      assert.equal(f.data.status, 'pending');
      assert.equal(f.data.text, 'Quel budget pour les écoles ?');
      assert.ok(f.id, 'staff frames carry an id');
    }
  });

  it('publishes the question on the public stream and the long-poll', async () => {
    const before = expectOk(await c.poll(`${S.base}/poll`), 200);
    S.cursor0 = before.cursor;
    const res = await S.modCookie.act(S.id, S.q1, 'publish');
    const body = expectOk(res, 200, 'publish');
    assert.equal(body.question.status, 'published');
    const f = await S.pub.waitFor((fr) => fr.event === 'message' && fr.data.id === S.q1, 10000, 'Q1 on the public stream');
    assert.equal(f.data.kind, 'question');
    assert.equal(f.data.author, 'Camille');
    assert.equal(f.data.text, 'Quel budget pour les écoles ?');
    assert.equal(f.data.lang, 'fr');
    assert.equal(f.data.reply_to, null);
    assert.match(f.data.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const after = expectOk(await c.poll(`${S.base}/poll`, { after: S.cursor0 }), 200);
    assert.ok(after.items.some((i) => i.type === 'message' && i.data.id === S.q1), `long-poll has Q1: ${JSON.stringify(after)}`);
    assert.equal(after.cursor, after.items[after.items.length - 1].cursor);
    const recent = expectOk(await c.poll(`${S.base}/poll`), 200);
    assert.ok(recent.items.some((i) => i.data.id === S.q1), 'history without `after` has Q1');
  });

  it('forwards a question to the guest, who answers under it', async () => {
    const text = 'Et les pistes cyclables <b>&</b> ?';
    S.q2 = expectOk(await S.camille.ask(S.id, text, 'fr'), 202).id;
    S.q2text = text;
    const fwd = expectOk(await S.modBearer.act(S.id, S.q2, 'forward'), 200, 'forward');
    assert.equal(fwd.question.forwarded, true);
    const gq = expectOk(await S.guestBearer.get(`${S.base}/guest-queue`), 200, 'guest-queue');
    assert.ok(gq.questions.some((q) => q.id === S.q2), `guest-queue has Q2: ${JSON.stringify(gq)}`);
    await S.guestStream.waitFor((f) => f.event === 'question' && f.data.id === S.q2, 10000, 'Q2 on the guest stream');
    const ans = expectOk(await S.guestBearer.post(`${S.base}/answers`, { question_id: S.q2, text: 'Oui, 12 km en 2027.' }), 201, 'answer');
    assert.match(ans.id, /^a_/);
    S.a2 = ans.id;
    const af = await S.pub.waitFor((f) => f.event === 'message' && f.data.id === S.a2, 10000, 'the answer on the stream');
    assert.equal(af.data.kind, 'answer');
    assert.equal(af.data.reply_to, S.q2);
    assert.equal(af.data.text, 'Oui, 12 km en 2027.');
    const qi = S.pub.frames.findIndex((f) => f.event === 'message' && f.data.id === S.q2);
    const ai = S.pub.frames.indexOf(af);
    assert.ok(qi >= 0 && qi < ai, 'the question is published before its answer');
    assert.equal(S.pub.frames[qi].data.text, text, 'text is returned verbatim');
  });

  it('publishes an announcement at once', async () => {
    const res = expectOk(await S.modBearer.post(`${S.base}/announcements`, { text: 'Pause de 5 minutes.', lang: 'fr' }), 201);
    assert.match(res.id, /^n_/);
    S.n1 = res.id;
    const f = await S.pub.waitFor((fr) => fr.event === 'message' && fr.data.id === S.n1, 10000, 'the announcement');
    assert.equal(f.data.kind, 'announcement');
    assert.equal(f.data.author, 'moderation');
    assert.equal(f.data.text, 'Pause de 5 minutes.');
  });

  it('edits a question before publishing it, keeping the original', async () => {
    S.q3 = expectOk(await S.camille.ask(S.id, 'Pourquoi le budjet baise ?', 'fr'), 202).id;
    const edited = expectOk(await S.modCookie.act(S.id, S.q3, 'edit', { text: 'Pourquoi le budget baisse-t-il ?' }), 200, 'edit');
    assert.equal(edited.question.text, 'Pourquoi le budget baisse-t-il ?');
    assert.equal(edited.question.original_text, 'Pourquoi le budjet baise ?');
    expectOk(await S.modCookie.act(S.id, S.q3, 'publish'), 200);
    const f = await S.pub.waitFor((fr) => fr.event === 'message' && fr.data.id === S.q3, 10000, 'Q3');
    assert.equal(f.data.text, 'Pourquoi le budget baisse-t-il ?');
  });

  it('rejects a question, which never becomes public', async () => {
    S.q4 = expectOk(await S.camille.ask(S.id, 'Hors sujet.', 'fr'), 202).id;
    const rej = expectOk(await S.modBearer.act(S.id, S.q4, 'reject', { reason: 'hors sujet' }), 200, 'reject');
    assert.equal(rej.question.status, 'rejected');
    await S.staff.waitFor((f) => f.event === 'question' && f.data.id === S.q4 && f.data.status === 'rejected', 10000, 'Q4 rejected on the staff stream');
    const queue = expectOk(await S.modBearer.get(`${S.base}/queue`), 200);
    assert.ok(!queue.pending.some((q) => q.id === S.q4));
    assert.ok(queue.recent.some((q) => q.id === S.q4 && q.status === 'rejected'));
  });

  it('retracts a published question with a retract frame', async () => {
    const res = expectOk(await S.modCookie.act(S.id, S.q1, 'retract'), 200, 'retract');
    assert.equal(res.question.status, 'retracted');
    await S.pub.waitFor((f) => f.event === 'retract' && f.data.id === S.q1, 10000, 'the retract frame');
  });

  it('tells the visitor what became of each of their questions', async () => {
    const mine = expectOk(await S.camille.get(`${S.base}/my-questions`), 200, 'my-questions');
    const status = Object.fromEntries(mine.questions.map((q) => [q.id, q.status]));
    assert.deepEqual(status, { [S.q1]: 'retracted', [S.q2]: 'published', [S.q3]: 'published', [S.q4]: 'rejected' });
    assert.deepEqual(mine.questions.map((q) => q.id), [S.q1, S.q2, S.q3, S.q4], 'oldest first');
  });

  it('bans a visitor: their open stream closes and their posts are refused', async () => {
    // From an address of its own: a ban covers the address for newcomers.
    const troll = await c.join(S.id, 'Troll', { from: '127.0.0.66' });
    S.bannedStream = await c.sse(`${S.base}/stream`, { cookie: troll.cookie });
    assert.equal(S.bannedStream.status, 200);
    const qt = expectOk(await troll.ask(S.id, 'spam', 'fr'), 202).id;
    const ban = expectOk(await S.modBearer.post(`${S.base}/bans`, { visitor_id: troll.visitorId, reason: 'spam' }), 201, 'ban');
    assert.equal(ban.visitor_id, troll.visitorId);
    assert.equal(ban.banned, true);
    assert.ok(await S.bannedStream.waitForEnd(10000), 'the banned visitor\'s stream is closed');
    assert.ok(!S.pub.ended, 'other streams stay open');
    expectError(await troll.ask(S.id, 'encore du spam', 'fr'), 403, 'banned', 'banned visitor asks');
    await S.staff.waitFor((f) => f.event === 'ban' && f.data.visitor_id === troll.visitorId, 10000, 'the ban on the staff stream');
    const bans = expectOk(await S.modBearer.get(`${S.base}/bans`), 200);
    assert.ok(bans.bans.some((b) => b.visitor_id === troll.visitorId && b.reason === 'spam'));
    const mine = expectOk(await troll.get(`${S.base}/my-questions`), 200);
    assert.equal(mine.banned, true, 'my-questions tells the page at once');
    assert.deepEqual(mine.questions.map((q) => q.id), [qt]);
    S.troll = troll;
  });

  it('lifts a ban: the visitor may post again', async () => {
    const res = await S.modBearer.del(`${S.base}/bans/${S.troll.visitorId}`);
    assert.equal(res.status, 204, res.text);
    expectError(await S.modBearer.del(`${S.base}/bans/${S.troll.visitorId}`), 404, 'not_found', 'unban twice');
    assert.equal(expectOk(await S.troll.get(`${S.base}/my-questions`), 200).banned, false);
    expectOk(await S.troll.ask(S.id, 'Je reformule poliment.', 'fr'), 202, 'post after the ban is lifted');
  });

  it('keeps an audit log of what staff did, newest first', async () => {
    const log = expectOk(await S.modBearer.get(`${S.base}/audit`), 200, 'GET audit');
    const actions = log.entries.map((e) => e.action);
    for (const a of ['create_event', 'create_invites', 'publish', 'forward', 'edit', 'reject', 'retract', 'answer', 'announce', 'ban', 'unban'])
      assert.ok(actions.includes(a), `the audit log has ${a}: ${actions}`);
    assert.equal(actions[0], 'unban', 'newest first');
    const edit = log.entries.find((e) => e.action === 'edit');
    assert.equal(typeof edit.details.before, 'string', 'an edit keeps the text before it');
    expectError(await S.troll.get(`${S.base}/audit`), 401, 'unauthorized', 'a visitor reads the audit log');
  });

  it('extends the debate: a phase frame goes out', async () => {
    const endsAt = isoIn(4 * 3600 * 1000);
    const ev = expectOk(await S.modBearer.patch(S.base, { ends_at: endsAt }), 200, 'PATCH ends_at');
    assert.equal(ev.ends_at, endsAt);
    assert.equal(ev.phase, 'live');
    const f = await S.pub.waitFor((fr) => fr.event === 'phase' && fr.data.ends_at === endsAt, 10000, 'the phase frame');
    assert.equal(f.data.phase, 'live');
  });

  it('sends frames in cursor order, each once', () => {
    assert.equal(S.pub.frames[0].event, 'hello', 'the stream opens with hello');
    assert.equal(S.pub.frames.filter((f) => f.event === 'hello').length, 1, 'one hello');
    const ids = S.pub.frames.filter((f) => f.event !== 'hello').map((f) => f.id);
    for (let i = 1; i < ids.length; i++) assert.ok(cursorLess(ids[i - 1], ids[i]), `ids increase: ${ids.join(', ')}`);
    const msgIds = S.pub.messages().map((f) => f.data.id);
    assert.deepEqual(msgIds, [S.q1, S.q2, S.a2, S.n1, S.q3]);
  });

  it('serves the transcript as JSON, HTML, CSV and text', async () => {
    const json = expectOk(await c.get(`${S.base}/transcript.json`), 200, 'transcript.json');
    assert.equal(json.event.id, S.id);
    const ids = json.messages.map((m) => m.id);
    assert.deepEqual(ids, [S.q2, S.n1, S.q3], 'published messages in order, retracted left out, answers nested');
    const q2 = json.messages[0];
    assert.equal(q2.text, S.q2text);
    assert.deepEqual(q2.answers.map((a) => a.id), [S.a2]);
    assert.equal(q2.answers[0].reply_to, S.q2);

    const html = await c.get(`${S.base}/transcript.html`);
    assert.equal(html.status, 200, html.text);
    assert.match(html.headers['content-type'], /^text\/html/);
    assert.ok(html.text.includes('Et les pistes cyclables &lt;b&gt;&amp;&lt;/b&gt; ?'), 'question text is HTML-escaped');
    assert.ok(!html.text.includes('<b>&</b>'), 'no raw markup from a visitor');
    assert.ok(html.text.includes('Oui, 12 km en 2027.'));
    assertSecurityHeaders(html, 'transcript.html');

    const csv = await c.get(`${S.base}/transcript.csv`);
    assert.equal(csv.status, 200, csv.text);
    assert.match(csv.headers['content-type'], /^text\/csv/);
    assert.equal(csv.text.split(/\r?\n/)[0], 'id,kind,reply_to,author,lang,ts,text');
    assert.ok(csv.text.includes(S.q2) && csv.text.includes(S.a2));
    assert.ok(!csv.text.includes(S.q1), 'retracted question left out');

    const txt = await c.get(`${S.base}/transcript.txt`);
    assert.equal(txt.status, 200, txt.text);
    assert.match(txt.headers['content-type'], /^text\/plain/);
    assert.ok(txt.text.includes('Oui, 12 km en 2027.'));
    assert.ok(!txt.text.includes('Quel budget pour les écoles'), 'retracted question left out');
  });

  it('offers a calendar entry', async () => {
    const ics = await c.get(`${S.base}/calendar.ics`);
    assert.equal(ics.status, 200, ics.text);
    assert.match(ics.headers['content-type'], /^text\/calendar/);
    assert.match(ics.text, /BEGIN:VCALENDAR/);
    assert.match(ics.text, /BEGIN:VEVENT/);
    assert.match(ics.text, /SUMMARY:Budget participatif 2027/);
    assert.match(ics.text, /END:VEVENT/);
  });

  it('serves every page as HTML with security headers, and the assets they use', async () => {
    const pages = ['/', `/e/${S.id}`, `/e/${S.id}/moderate`, `/e/${S.id}/guest`, '/admin/'];
    for (const p of pages) {
      const res = await c.get(p);
      assert.equal(res.status, 200, `${p}: ${res.status} ${res.text.slice(0, 200)}`);
      assert.match(res.headers['content-type'], /^text\/html/, p);
      assert.match(res.headers['cache-control'] || '', /no-cache/, `${p}: Cache-Control`);
      assertSecurityHeaders(res, p);
      // Relative asset URLs must resolve from the page's depth.
      const refs = [...res.text.matchAll(/(?:src|href)="([^"#?]+)[^"]*"/g)].map((m) => m[1])
        .filter((u) => !/^(?:[a-z]+:|\/\/|#)/i.test(u) && /\.(?:js|css|svg|png|ico|woff2?)$/.test(u));
      for (const ref of refs) {
        const abs = new URL(ref, c.origin + c.path(p)).pathname;
        const a = await c.get(abs);
        assert.equal(a.status, 200, `${p} refers to ${ref} (${abs}): ${a.status}`);
        assertSecurityHeaders(a, abs);
      }
    }
  });

  it('exposes Prometheus metrics to this machine only', async () => {
    const res = await c.get('/metrics');
    assert.equal(res.status, 200, res.text.slice(0, 200));
    assert.match(res.headers['content-type'], /^text\/plain/);
    // Every worker process's series, each labelled worker="host:pid"
    // (ops/board.hpp); the public stream is still open on one of the two.
    for (const name of ['palabre_sse_streams', 'palabre_longpolls_waiting', 'palabre_deliveries_total',
      'palabre_backlog_overflows_total', 'palabre_redis_errors_total', 'palabre_fanout_subscribed 1',
      'palabre_process_resident_memory_bytes', 'palabre_process_open_fds', 'palabre_messages_published_total',
      'palabre_pubsub_probe_failures_total 0', 'palabre_redis_reconnects_total', 'palabre_streams_opened_total']) {
      const [metric, value] = name.split(' ');
      assert.match(res.text, new RegExp(`^${metric}\\{worker="[^"]+:\\d+"\\} ${value || ''}`, 'm'), name);
    }
    assert.match(res.text, /^palabre_http_requests_total\{worker="[^"]+",route="(GET|POST) \/api\/events[^"]*",status="2xx"\} \d+/m, 'requests by route template');
    assert.match(res.text, /^palabre_http_request_duration_seconds_bucket\{worker="[^"]+",route="[A-Z]+ \/[^"]*",le="\+Inf"\} \d+/m, 'latency histogram');
    // Counters count: every worker asked directly, their publications add up
    // to at least the public frames this debate produced so far.
    let published = 0;
    for (let i = 0; i < 2; i++) {
      const m = await c.fcgi(i, 'GET', '/metrics?scope=process');
      published += Number((m.text.match(/^palabre_messages_published_total (\d+)$/m) || [])[1]);
    }
    const pub = await c.poll(`${S.base}/poll`);
    const publicFrames = expectOk(pub, 200).items.length;
    assert.ok(published >= publicFrames, `published ${published} >= ${publicFrames} public frames`);
    const far = await c.get('/metrics', { localAddress: '127.0.0.2' });
    expectError(far, 403, 'forbidden', 'metrics from another address');
  });

  it('signs a moderator out: the staff cookie no longer works', async () => {
    expectOk(await S.modCookie.get(`${S.base}/queue`), 200, 'queue before logout');
    const res = await S.modCookie.post('/api/auth/logout', {});
    assert.equal(res.status, 204, res.text);
    expectError(await S.modCookie.get(`${S.base}/queue`), 401, 'unauthorized', 'queue after logout');
    expectError(await S.modCookie.get('/api/auth/me'), 401, 'unauthorized', 'me after logout');
  });

  it('had no worker crash', () => {
    assert.deepEqual(c.unexpectedExits(), []);
  });
});

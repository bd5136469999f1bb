'use strict';
// docs/PRIVACY.md, enforced: the retention purge deletes what a debate
// collected and never published PALABRE_RETENTION_DAYS after it closed
// (moved there with the test clock of PALABRE_TEST_HOOKS builds), visitor
// sessions end with the late-question window, and visitors export and
// erase what Palabre holds about them.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startCluster, expectOk, expectError, isoIn, waitUntil, liveEventBody, BUILD_DIR } = require('../support/cluster');
const liveEventBodyWith = (b) => liveEventBody(b);

const DAY = 24 * 3600e3;
const HOUR = 3600e3;

// The movable clock exists only in builds with -DPALABRE_TEST_HOOKS=ON
// (./dev test's); such a worker says so in its log at start. Without it
// the purge cases cannot move time and skip, saying why.
const NO_HOOKS = `the workers in ${BUILD_DIR} were built without -DPALABRE_TEST_HOOKS=ON: no test clock to move (./dev test builds with it)`;
const hooksCompiled = () => c.logs(100000).includes('test hooks compiled in');

const clockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plb-clock-'));
const clockFile = path.join(clockDir, 'offset_ms');
fs.writeFileSync(clockFile, '0');
const moveClock = (ms) => fs.writeFileSync(clockFile, String(Math.round(ms)));

// The organiser's web site, for the logo: a local https server with a
// self-signed certificate made now, which the workers trust through
// PALABRE_LOGO_CA_FILE. No network beyond loopback.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const certFile = path.join(clockDir, 'cert.pem');
const keyFile = path.join(clockDir, 'key.pem');
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile,
  '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
const hits = {};
let site;
let siteUrl;
function startSite() {
  site = https.createServer({ key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) }, (req, res) => {
    hits[req.url] = (hits[req.url] || 0) + 1;
    if (req.url.startsWith('/logo.png')) {
      res.writeHead(200, { 'Content-Type': 'image/png' });
      res.end(PNG);
    } else if (req.url === '/logo.svg') {
      // Claims to be a PNG: the worker must look at the bytes.
      res.writeHead(200, { 'Content-Type': 'image/png' });
      res.end('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    } else if (req.url === '/big.png') {
      res.writeHead(200, { 'Content-Type': 'image/png' });
      res.end(Buffer.concat([PNG, Buffer.alloc(600 * 1024)]));
    } else if (req.url === '/to-http') {
      res.writeHead(302, { Location: `http://127.0.0.1:${site.address().port}/logo.png` });
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve) => site.listen(0, '127.0.0.1', () => {
    siteUrl = `https://127.0.0.1:${site.address().port}`;
    resolve();
  }));
}

let c;
before(async () => {
  await startSite();
  c = await startCluster({
    workers: 2,
    nginxWorkers: 1,
    env: {
      PALABRE_TEST_CLOCK_FILE: clockFile, PALABRE_PURGE_INTERVAL_S: '1', PALABRE_RETENTION_DAYS: '30',
      PALABRE_LOGO_CA_FILE: certFile,
    },
  });
});
after(async () => {
  moveClock(0);
  if (c) await c.stop();
  if (site) site.close();
  fs.rmSync(clockDir, { recursive: true, force: true });
});

const sql = (query) => {
  const { cmd, args } = c.sqlCommand(query);
  return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
};
const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');
const cookieValue = (v) => v.cookie.slice(v.cookie.indexOf('=') + 1);

// A debate with one question of each kind, moderated by Bearer.
async function debateWithQuestions(title, body = {}) {
  const ev = await c.createEvent({ title, starts_at: isoIn(-60e3), ends_at: isoIn(HOUR), late_questions_days: 0, ...body });
  const inv = await c.invite(ev.id);
  const mod = c.bearer(inv.moderator_token);
  const v = await c.join(ev.id, 'Camille');
  const ask = async (text) => expectOk(await v.ask(ev.id, text, 'fr'), 202, 'ask').id;
  const q = { pending: await ask('Question en attente'), rejected: await ask('Question refusée'),
    published: await ask('Question publiée'), edited: await ask('Texte d’origine jamais publié') };
  expectOk(await mod.act(ev.id, q.rejected, 'reject', { reason: 'hors sujet' }), 200, 'reject');
  expectOk(await mod.act(ev.id, q.published, 'publish'), 200, 'publish');
  expectOk(await mod.act(ev.id, q.edited, 'edit', { text: 'Texte corrigé' }), 200, 'edit');
  expectOk(await mod.act(ev.id, q.edited, 'publish'), 200, 'publish the edited one');
  return { ev, mod, v, q };
}

describe('the retention purge', () => {
  it('deletes unpublished questions, the staff and guest feeds and audit texts 30 days after the debate closed, and keeps the public record', async (tc) => {
    if (!hooksCompiled()) return tc.skip(NO_HOOKS);
    const old = await debateWithQuestions('Débat terminé');
    expectOk(await old.mod.post(`/api/events/${old.ev.id}/bans`, { visitor_id: 'v_troll', reason: 'insultes' }), 201, 'ban');
    // Another debate, still running 31 days from now: untouched.
    const other = await debateWithQuestions('Débat en cours', { ends_at: isoIn(60 * DAY) });
    const key = (k) => `palabre:${k}`;
    assert.equal(await c.redisCli(['exists', key(`q:{${old.ev.id}}:${old.q.pending}`), key(`q:{${old.ev.id}}:${old.q.rejected}`)]), '2');
    assert.equal(await c.redisCli(['exists', key(`ev:{${old.ev.id}}:staff`)]), '1');
    // Reading the audit log moves what the actions wrote to Redis into SQL.
    expectOk(await old.mod.get(`/api/events/${old.ev.id}/audit`), 200, 'audit');
    expectOk(await other.mod.get(`/api/events/${other.ev.id}/audit`), 200, 'audit');
    assert.match(sql(`SELECT details_json FROM audit_log WHERE event_id='${old.ev.id}' AND action='edit'`), /Texte d’origine/);

    // 29 days after it closed: nothing yet.
    moveClock(HOUR + 29 * DAY);
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(await c.redisCli(['exists', key(`q:{${old.ev.id}}:${old.q.pending}`)]), '1', 'kept within the retention');

    moveClock(HOUR + 31 * DAY);
    await waitUntil(async () => (await c.redisCli(['exists', key(`q:{${old.ev.id}}:${old.q.pending}`)])) === '0', { timeoutMs: 10000 });
    const e = old.ev.id;
    assert.equal(await c.redisCli(['exists', key(`q:{${old.ev.id}}:${old.q.rejected}`), key(`ev:{${e}}:staff`), key(`ev:{${e}}:guest`), key(`ev:{${e}}:pending`), key(`ev:{${e}}:bans`)]), '0');
    assert.equal(sql(`SELECT details_json FROM audit_log WHERE event_id='${e}' AND action='ban'`), '{}', 'the ban reason is gone');
    const all = (await c.redisCli(['zrange', key(`ev:{${e}}:questions`), '0', '-1'])).split('\n').filter(Boolean).sort();
    assert.deepEqual(all, [old.q.published, old.q.edited].sort(), 'only published questions stay indexed');
    const mine = (await c.redisCli(['zrange', key(`ev:{${e}}:vq:${old.v.visitorId}`), '0', '-1'])).split('\n').filter(Boolean).sort();
    assert.deepEqual(mine, [old.q.published, old.q.edited].sort());
    assert.equal(await c.redisCli(['hget', key(`q:{${old.ev.id}}:${old.q.published}`), 'text']), 'Question publiée');
    // Audit: texts gone, who did what and when kept.
    assert.equal(sql(`SELECT details_json FROM audit_log WHERE event_id='${e}' AND action IN ('edit','reject')`), '{}\n{}');
    assert.equal(sql(`SELECT count(*) FROM audit_log WHERE event_id='${e}' AND action IN ('edit','reject','publish')`), '4');
    // The public record: transcript and archive.
    const t = expectOk(await c.get(`/api/events/${e}/transcript.json`), 200, 'transcript');
    assert.deepEqual(t.messages.map((m) => m.id).sort(), [old.q.published, old.q.edited].sort());
    assert.equal(t.messages.find((m) => m.id === old.q.edited).text, 'Texte corrigé');
    // The other debate keeps everything.
    const o = other.ev.id;
    assert.equal(await c.redisCli(['exists', key(`q:{${other.ev.id}}:${other.q.pending}`), key(`q:{${other.ev.id}}:${other.q.rejected}`), key(`ev:{${o}}:staff`)]), '3');
    assert.match(sql(`SELECT details_json FROM audit_log WHERE event_id='${o}' AND action='edit'`), /Texte d’origine/);
    // Recorded: a log line and the counter.
    await waitUntil(() => c.logs(400).includes('retention purge'), { timeoutMs: 5000 });
    const metrics = [0, 1].map((i) => c.fcgi(i, 'GET', '/metrics?scope=process'));
    const total = (await Promise.all(metrics)).map((m) => Number((m.text.match(/^palabre_purged_total (\d+)/m) || [0, 0])[1])).reduce((a, b) => a + b, 0);
    assert.ok(total >= 4, `palabre_purged_total counts the purge (got ${total})`);
    moveClock(0);
  });
});

describe('visitor sessions', () => {
  it('end an hour after the late-question window, not 30 days later', async () => {
    const ends = Date.now() + 2 * HOUR;
    const ev = await c.createEvent({ title: 'Session courte', starts_at: isoIn(-60e3), ends_at: new Date(ends).toISOString(), late_questions_days: 1 });
    const v = await c.join(ev.id, 'Dominique');
    const expected = (ends + DAY + HOUR - Date.now()) / 1000;
    const ttl = Number(await c.redisCli(['ttl', `palabre:vs:{${ev.id}}:${sha256(cookieValue(v))}`]));
    assert.ok(Math.abs(ttl - expected) < 30, `Redis TTL ${ttl} s ≈ ${expected} s`);
    const maxAge = Number((v.cookieAttributes.match(/Max-Age=(\d+)/i) || [])[1]);
    assert.ok(Math.abs(maxAge - expected) < 30, `cookie Max-Age ${maxAge} s ≈ ${expected} s`);
  });
});

describe('a visitor\'s own data', () => {
  it('exports everything held about the visitor, as a download', async () => {
    const { ev, v, q } = await debateWithQuestions('Export');
    const res = await v.get(`/api/events/${ev.id}/me/export`);
    const j = expectOk(res, 200, 'export');
    assert.match(res.headers['content-disposition'], /^attachment; filename="palabre-.+\.json"$/);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(j.visitor_id, v.visitorId);
    assert.equal(j.name, 'Camille');
    assert.equal(j.lang, 'fr');
    assert.equal(j.banned, false);
    const byId = Object.fromEntries(j.questions.map((x) => [x.id, x]));
    assert.equal(byId[q.pending].status, 'pending');
    assert.equal(byId[q.rejected].status, 'rejected');
    assert.equal(byId[q.rejected].reject_reason, 'other', 'a free-text reason is the staff\'s note; the reason is the code');
    assert.equal(byId[q.published].status, 'published');
    assert.equal(byId[q.edited].original_text, 'Texte d’origine jamais publié');
    assert.ok(byId[q.pending].created_at && byId[q.pending].updated_at);
    expectError(await c.get(`/api/events/${ev.id}/me/export`), 401, 'not_joined');
  });

  it('erases the visitor: unpublished questions gone from queue and staff feed, published ones signed "anonyme", session ended', async () => {
    const { ev, mod, v, q } = await debateWithQuestions('Effacement');
    const other = await c.join(ev.id, 'Dominique');
    const keep = expectOk(await other.ask(ev.id, 'Une autre question', 'fr'), 202).id;
    const live = await c.sse(`/api/events/${ev.id}/stream`);
    await live.waitFor((f) => f.event === 'message' && f.data.id === q.edited, 5000, 'the published questions');
    const pollBefore = expectOk(await c.poll(`/api/events/${ev.id}/poll`), 200).items.map((i) => i.cursor);
    const console_ = await mod.sse(`/api/events/${ev.id}/staff/stream`);
    await console_.waitFor((f) => f.event === 'question' && f.data.id === keep, 5000, 'the open console');

    const res = await v.del(`/api/events/${ev.id}/me`);
    assert.equal(res.status, 204, res.text);
    assert.match(String(res.headers['set-cookie']), /palabre_v=;.*Max-Age=0/i);

    // An open console is told to drop them (ids only, no text).
    const erased = await console_.waitFor((f) => f.event === 'erased', 5000, 'the erased frame');
    assert.deepEqual([...erased.data.ids].sort(), [q.pending, q.rejected].sort());
    console_.close();
    // Unpublished: gone from the queue, Redis and a re-read of the staff stream.
    const queue = expectOk(await mod.get(`/api/events/${ev.id}/queue`), 200);
    const listed = [...queue.pending, ...queue.recent, ...queue.forwarded].map((x) => x.id);
    assert.ok(!listed.includes(q.pending) && !listed.includes(q.rejected), 'not in the queue');
    assert.ok(listed.includes(keep), 'another visitor\'s question stays');
    assert.equal(await c.redisCli(['exists', `palabre:q:{${ev.id}}:${q.pending}`, `palabre:q:{${ev.id}}:${q.rejected}`]), '0');
    const staff = await mod.sse(`/api/events/${ev.id}/staff/stream`);
    await staff.waitFor((f) => f.event === 'question' && f.data.id === keep, 5000, 'the staff history');
    assert.ok(!staff.frames.some((f) => f.event === 'question' && (f.data.id === q.pending || f.data.id === q.rejected)), 'no staff frame about them');
    assert.ok(!staff.frames.some((f) => f.data && /Question en attente|Question refusée/.test(JSON.stringify(f.data))), 'no text of theirs');
    staff.close();

    // Published: kept, signed "anonyme" in transcript, poll, archive and the live page.
    const t = expectOk(await c.get(`/api/events/${ev.id}/transcript.json`), 200);
    const pub = t.messages.filter((m) => m.id === q.published || m.id === q.edited);
    assert.equal(pub.length, 2);
    assert.ok(pub.every((m) => m.author === 'anonyme'), JSON.stringify(pub));
    const poll = expectOk(await c.poll(`/api/events/${ev.id}/poll`), 200);
    const polled = poll.items.filter((i) => i.type === 'message' && [q.published, q.edited].includes(i.data.id));
    assert.equal(polled.length, 2);
    assert.ok(polled.every((i) => i.data.author === 'anonyme'), JSON.stringify(polled));
    assert.deepEqual(poll.items.map((i) => i.cursor).slice(0, pollBefore.length), pollBefore, 'cursors kept');
    assert.doesNotMatch(sql(`SELECT data_json FROM archived_messages WHERE event_id='${ev.id}'`), /Camille/);
    assert.doesNotMatch(sql(`SELECT details_json FROM audit_log WHERE event_id='${ev.id}'`), /Texte d’origine|hors sujet/, 'no text of theirs in the audit details');
    assert.equal(sql(`SELECT count(*) FROM audit_log WHERE event_id='${ev.id}' AND target IN ('${q.rejected}','${q.edited}')`), '3', 'who did what stays');
    const frame = await live.waitFor((f) => f.event === 'author', 5000, 'the author frame');
    assert.deepEqual([...frame.data.ids].sort(), [q.published, q.edited].sort());
    assert.equal(frame.data.author, 'anonyme');
    live.close();
    assert.equal(await c.redisCli(['hget', `palabre:q:{${ev.id}}:${q.published}`, 'author']), 'anonyme');

    // The session is over.
    expectError(await v.del(`/api/events/${ev.id}/me`), 401, 'not_joined');
    expectError(await v.get(`/api/events/${ev.id}/my-questions`), 401, 'not_joined');
  });
});

describe('a visitor\'s signals', () => {
  it('are in their export, and their erasure takes their supports off the counts and their name off the voters', async () => {
    const ev = await c.createEvent({ title: 'Débat avec sondage' });
    const mod = c.bearer((await c.invite(ev.id)).moderator_token);
    const author = await c.join(ev.id, 'Autrice');
    const qid = expectOk(await author.ask(ev.id, 'Une question soutenue', 'fr'), 202).id;
    expectOk(await mod.act(ev.id, qid, 'publish'), 200);
    const poll = expectOk(await mod.post(`/api/events/${ev.id}/polls`, { question: 'Oui ou non ?', options: ['Oui', 'Non'] }), 201);
    const fan = await c.join(ev.id, 'Soutien');
    const other = await c.join(ev.id, 'Autre soutien');
    for (const v of [fan, other]) {
      expectOk(await v.post(`/api/events/${ev.id}/questions/${qid}/support`, {}), 200);
      expectOk(await v.post(`/api/events/${ev.id}/polls/${poll.id}/votes`, { options: [0] }), 200);
    }
    const mine = expectOk(await fan.get(`/api/events/${ev.id}/me/export`), 200);
    assert.deepEqual(mine.supported, [qid]);
    assert.deepEqual(mine.polls_voted, [poll.id]);
    assert.equal((await fan.del(`/api/events/${ev.id}/me`)).status, 204);
    assert.equal(await c.redisCli(['sismember', `palabre:q:{${ev.id}}:${qid}:supporters`, fan.visitorId]), '0');
    assert.equal(await c.redisCli(['sismember', `palabre:ev:{${ev.id}}:poll:${poll.id}:voters`, fan.visitorId]), '0');
    assert.equal(await c.redisCli(['scard', `palabre:q:{${ev.id}}:${qid}:supporters`]), '1', 'the other support stays');
    const p = expectOk(await c.get(`/api/events/${ev.id}/polls`), 200).items[0];
    assert.deepEqual(p.results, [2, 0], 'the results name nobody and stay');
  });
});

describe('the organiser\'s logo', () => {
  it('is fetched once and served from Palabre\'s own origin, with its type', async () => {
    const src = `${siteUrl}/logo.png?once`;
    const ev = await c.createEvent({ title: 'Logo', branding: { logo_url: src, organiser: 'Mairie' } });
    assert.equal(hits['/logo.png?once'], 1, 'fetched at creation');
    const local = new URL(ev.logo);
    assert.equal(local.origin, c.origin, `the event gives a local logo URL: ${ev.logo}`);
    assert.match(local.pathname, new RegExp(`/api/events/${ev.id}/logo$`));
    assert.equal(ev.branding.logo_url, src, 'staff still see the address they gave');
    for (let i = 0; i < 3; i++) {
      const img = await c.request('GET', local.pathname + local.search);
      assert.equal(img.status, 200);
      assert.equal(img.headers['content-type'], 'image/png');
      assert.equal(img.headers['x-content-type-options'], 'nosniff');
      assert.match(img.headers['cache-control'], /max-age=\d+/);
      assert.ok(img.body.equals(PNG), 'the same bytes');
    }
    // The same address again (a PATCH of other fields, reads): not fetched again.
    expectOk(await c.asAdmin().patch(`/api/events/${ev.id}`, { title: 'Logo (bis)', branding: { logo_url: src, organiser: 'Mairie' } }), 200);
    expectOk(await c.get(`/api/events/${ev.id}`), 200);
    assert.equal(hits['/logo.png?once'], 1, 'fetched once');
    // Another address is fetched, once.
    const next = `${siteUrl}/logo.png?next`;
    const patched = expectOk(await c.asAdmin().patch(`/api/events/${ev.id}`, { branding: { logo_url: next } }), 200);
    assert.equal(hits['/logo.png?next'], 1);
    assert.notEqual(patched.logo, ev.logo, 'a new version in the URL');
    // No logo: null, and the route says 404.
    const plain = await c.createEvent({ title: 'Sans logo' });
    assert.equal(plain.logo, null);
    expectError(await c.get(`/api/events/${plain.id}/logo`), 404, 'not_found');
  });

  it('refuses SVG, files over 512 KiB and redirects away from https, and saves nothing', async () => {
    for (const [pathPart, what] of [['/logo.svg', 'SVG'], ['/big.png', 'too large'], ['/to-http', 'redirect to http'], ['/missing.png', '404']]) {
      const res = await c.request('POST', '/api/events', { token: c.adminToken, body: liveEventBodyWith({ id: `logo-${pathPart.replace(/\W/g, '')}`, branding: { logo_url: siteUrl + pathPart } }) });
      expectError(res, 422, 'logo_unavailable', what);
      expectError(await c.get(`/api/events/logo-${pathPart.replace(/\W/g, '')}`), 404, 'not_found');
    }
    assert.equal(hits['/logo.png'] || 0, 0, 'the redirect to http was not followed');
    const ev = await c.createEvent({ title: 'Logo refusé en PATCH' });
    expectError(await c.asAdmin().patch(`/api/events/${ev.id}`, { title: 'Changé', branding: { logo_url: `${siteUrl}/logo.svg` } }), 422, 'logo_unavailable');
    assert.equal(expectOk(await c.get(`/api/events/${ev.id}`), 200).title, 'Logo refusé en PATCH', 'nothing saved');
  });

  it('fetches each guest\'s photo once and serves it from Palabre, kept across edits and copies', async () => {
    const photo = `${siteUrl}/logo.png?guest`;
    const guests = [{ name: 'Claire Dubois', role: 'Adjointe', photo_url: photo }, { name: 'Marc Petit', role: 'Expert' }];
    const ev = await c.createEvent({ title: 'Invités en photo', guests });
    assert.equal(hits['/logo.png?guest'], 1, 'fetched at creation');
    assert.equal(ev.guests[0].photo_url, photo, 'staff still see the address they gave');
    const local = new URL(ev.guests[0].photo);
    assert.equal(local.origin, c.origin, `a local photo URL: ${ev.guests[0].photo}`);
    assert.match(local.pathname, new RegExp(`/api/events/${ev.id}/guests/0/photo$`));
    assert.equal(ev.guests[1].photo, undefined, 'a guest without a photo has none');
    const img = await c.request('GET', local.pathname + local.search);
    assert.equal(img.status, 200);
    assert.equal(img.headers['content-type'], 'image/png');
    assert.ok(img.body.equals(PNG));
    expectError(await c.get(`/api/events/${ev.id}/guests/1/photo`), 404, 'not_found');
    expectError(await c.get(`/api/events/${ev.id}/guests/7/photo`), 404, 'not_found');
    expectError(await c.get(`/api/events/${ev.id}/guests/x/photo`), 404, 'not_found');

    // Reordered: the photo follows its guest, not fetched again.
    const reordered = expectOk(await c.asAdmin().patch(`/api/events/${ev.id}`, { guests: [guests[1], guests[0]] }), 200);
    assert.equal(hits['/logo.png?guest'], 1, 'fetched once');
    assert.match(reordered.guests[1].photo, new RegExp(`/guests/1/photo\\?v=`));
    assert.equal((await c.get(new URL(reordered.guests[1].photo).pathname)).status, 200);
    // A copy has the photos without fetching them.
    const copy = expectOk(await c.asAdmin().post(`/api/events/${ev.id}/duplicate`, {}), 201);
    assert.equal((await c.asAdmin().get(`/api/events/${copy.id}/guests/1/photo`)).status, 200, 'the copy has the photo');
    assert.equal(hits['/logo.png?guest'], 1, 'a copy fetches nothing');
    // A photo that is not an image refuses the edit, and nothing changes.
    expectError(await c.asAdmin().patch(`/api/events/${ev.id}`, { guests: [{ name: 'Claire Dubois', photo_url: `${siteUrl}/logo.svg` }] }),
      422, 'logo_unavailable');
    assert.equal(expectOk(await c.get(`/api/events/${ev.id}`), 200).guests.length, 2, 'nothing saved');
    expectError(await c.asAdmin().patch(`/api/events/${ev.id}`, { guests: [{ name: 'Claire', photo_url: 'http://example.org/a.png' }] }),
      400, 'invalid_field');
    // Without its photo, the guest's stored copy goes.
    expectOk(await c.asAdmin().patch(`/api/events/${ev.id}`, { guests: [guests[1]] }), 200);
    expectError(await c.get(`/api/events/${ev.id}/guests/0/photo`), 404, 'not_found');
  });

  it('leaves no third-party image source in the pages\' Content-Security-Policy', async () => {
    const ev = await c.createEvent({ title: 'CSP' });
    for (const p of [`/e/${ev.id}`, `/api/events/${ev.id}`, '/']) {
      const res = await c.get(p);
      const csp = res.headers['content-security-policy'];
      assert.ok(csp, `${p} has a CSP`);
      assert.match(csp, /img-src 'self' data:;/);
      assert.doesNotMatch(csp, /https:/, `${p}: ${csp}`);
    }
  });
});

describe('nginx\'s access log', () => {
  it('holds no client address by default', async () => {
    await c.get('/', { localAddress: '127.0.0.7' });
    const lines = c.accessLog();
    assert.ok(lines.length > 10, `the access log has lines (${lines.length})`);
    for (const l of lines) {
      assert.ok(!('remote_addr' in l), `no remote_addr: ${JSON.stringify(l)}`);
      assert.doesNotMatch(JSON.stringify(l), /127\.0\.0\.7/, 'the client address is nowhere in the line');
    }
  });
});

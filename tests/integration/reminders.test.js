'use strict';
// E-mail reminders without an account (docs/API.md "Reminders"), against a
// real SMTP server (tests/support/smtp_sink.py on Debian's
// python3-aiosmtpd) and two workers whose outboxes both send: a visitor
// leaves an address, gets one confirmation mail with an /r/{token} link
// and RFC 8058 headers, confirms with a POST (a GET changes nothing), and
// gets exactly one reminder at starts_at − PALABRE_REMINDER_LEAD_S with the
// debate's page and its .ics; then the address is gone from SQL. Also: the
// one-click unsubscribe, a temporary SMTP failure retried, and bad input
// refused with nothing stored.
//
// The workers' clock is moved with the test clock of PALABRE_TEST_HOOKS
// builds (core/test_clock.hpp); each case uses a debate of its own, far
// enough from the others' that moving the clock for one leaves the rest.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startCluster, expectOk, expectError, waitUntil, sleep, BUILD_DIR } = require('../support/cluster');
const { startMailSink } = require('../support/mail_sink');

const HOUR = 3600e3;
const DAY = 24 * HOUR;
const LEAD_MS = 1800e3;
const FROM = 'palabre@ville.example';
// How long "nothing more happens" is watched: several outbox ticks (1 s)
// of both workers. Showing that something does not happen takes a wait.
const QUIET_MS = 3000;

const NO_HOOKS = `the workers in ${BUILD_DIR} were built without -DPALABRE_TEST_HOOKS=ON: no test clock to move (./dev test builds with it)`;

const clockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plb-clock-'));
const clockFile = path.join(clockDir, 'offset_ms');
let offset = 0;
const moveClock = (ms) => {
  offset = Math.round(ms);
  fs.writeFileSync(clockFile, String(offset));
};
moveClock(0);
// The workers' "now" (real time plus the test clock's offset).
const serverNow = () => Date.now() + offset;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

let c;
let sink;
before(async () => {
  sink = await startMailSink();
  c = await startCluster({
    workers: 2,
    nginxWorkers: 1,
    env: {
      PALABRE_TEST_CLOCK_FILE: clockFile,
      PALABRE_SMTP_URL: sink.url,
      PALABRE_SMTP_FROM: FROM,
      PALABRE_REMINDER_LEAD_S: String(LEAD_MS / 1000),
      PALABRE_SMTP_RETRY_S: '1',
    },
  });
});
after(async () => {
  moveClock(0);
  try {
    if (c) await c.stop();
  } finally {
    if (sink) await sink.stop();
    fs.rmSync(clockDir, { recursive: true, force: true });
  }
});

const hooksCompiled = () => c.logs(100000).includes('test hooks compiled in');
const sql = (query) => {
  const { cmd, args } = c.sqlCommand(query);
  return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
};
const rowsOf = (email) => Number(sql(`SELECT count(*) FROM reminders WHERE email = '${email}'`));
const allRows = () => Number(sql('SELECT count(*) FROM reminders'));

// A debate that starts `inMs` after the workers' clock (phase pre_questions).
async function upcoming(title, inMs) {
  const start = serverNow() + inMs;
  return c.createEvent({ title, starts_at: iso(start), ends_at: iso(start + HOUR), late_questions_days: 0 });
}

const post = (p, body) => c.request('POST', p, { body });
const ask = (eventId, email, lang = 'fr') => c.request('POST', `/api/events/${eventId}/reminders`, { body: { email, lang } });

const CONFIRM_LINK = /(https?:\/\/\S+?\/r\/([A-Za-z0-9_-]+))(?=\s|$)/;
const confirmations = (email) => sink.mails().filter((m) => m.to === email && CONFIRM_LINK.test(m.text));
const reminders = (email) => sink.mails().filter((m) => m.to === email && m.attachments.length > 0);
const tokenOf = (mail) => CONFIRM_LINK.exec(mail.text)[2];
const unsubscribeUrlOf = (mail) => /^<([^>]+)>$/.exec(mail.header('List-Unsubscribe'))[1];

async function confirmationOf(email) {
  const [mail] = await sink.waitFor((m) => m.to === email && CONFIRM_LINK.test(m.text), 1,
    { what: `the confirmation mail to ${email}` });
  return mail;
}

describe('asking for a reminder', () => {
  it('answers 202 to any well-formed address, the same whether it is new or known', async () => {
    const ev = await upcoming('Budget participatif 2027', 10 * DAY);
    const first = expectOk(await ask(ev.id, 'alix@example.org'), 202, 'a new address');
    const again = expectOk(await ask(ev.id, 'alix@example.org'), 202, 'the same address again');
    const other = expectOk(await ask(ev.id, 'Someone.Else@Example.NET', 'en'), 202, 'another address');
    assert.deepEqual(again, first, 'nothing tells a known address from a new one');
    assert.deepEqual(other, first);
    // One confirmation each, not one per request (the second request
    // comes within the ten minutes before a confirmation is sent again).
    await confirmationOf('alix@example.org');
    await confirmationOf('Someone.Else@example.net');
    await sleep(QUIET_MS);
    assert.equal(confirmations('alix@example.org').length, 1, 'one confirmation for two requests');
  });

  it('refuses a malformed address with 422, an unknown debate with 404, and stores nothing', async () => {
    const ev = await upcoming('Plan vélo', 11 * DAY);
    const before = allRows();
    for (const bad of ['alix', 'alix@', '@example.org', 'alix@localhost', 'a b@example.org', 'alix@example..org',
      'alix@example.org\r\nBcc: eve@example.org', `${'a'.repeat(65)}@example.org`]) {
      expectError(await ask(ev.id, bad), 422, 'invalid_email', JSON.stringify(bad));
    }
    expectError(await c.request('POST', `/api/events/${ev.id}/reminders`, { body: { lang: 'fr' } }), 400, 'invalid_field', 'no email');
    expectError(await c.request('POST', `/api/events/${ev.id}/reminders`, { body: { email: 42 } }), 400, 'invalid_field', 'a number');
    expectError(await ask('no-such-debate', 'alix@example.org'), 404, 'not_found', 'unknown debate');
    assert.equal(allRows(), before, 'no row was stored');
  });

  it('refuses bad input with a JSON 4xx and stores nothing: oversized, malformed JSON, not UTF-8, not JSON', async () => {
    const ev = await upcoming('Cantine bio', 12 * DAY);
    const url = `/api/events/${ev.id}/reminders`;
    const before = allRows();
    expectError(await c.request('POST', url, { body: { email: 'big@example.org', lang: 'fr', pad: 'x'.repeat(100 * 1024) } }),
      413, 'payload_too_large', 'a 100 KB body');
    expectError(await c.request('POST', url, { body: '{"email": "malformed@example.org"' }), 400, 'invalid_json', 'malformed JSON');
    expectError(await c.request('POST', url, { body: '["x@example.org"]' }), 400, 'invalid_json', 'not an object');
    const notUtf8 = Buffer.concat([Buffer.from('{"email":"caf'), Buffer.from([0xe9]), Buffer.from('@example.org","lang":"fr"}')]);
    expectError(await c.request('POST', url, { body: notUtf8 }), 400, 'invalid_utf8', 'a Latin-1 byte');
    expectError(await c.request('POST', url, {
      body: 'email=form%40example.org', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    }), 415, 'unsupported_media_type', 'a form post');
    expectError(await c.request('POST', `/api/reminders/${'x'.repeat(200)}/confirm`, { body: {} }), 404, 'not_found', 'an oversized token');
    assert.equal(allRows(), before, 'no row was stored');
    await sleep(500);
    for (const who of ['big@example.org', 'malformed@example.org', 'form@example.org']) {
      assert.equal(sink.mails().filter((m) => m.to === who).length, 0, `no mail to ${who}`);
    }
  });
});

describe('the confirmation mail', () => {
  it('carries the /r/ link and the headers of RFC 5322, MIME and RFC 8058', async () => {
    const ev = await upcoming('Rénovation de la médiathèque', 13 * DAY);
    expectOk(await ask(ev.id, 'camille@example.org', 'fr'), 202);
    const mail = await confirmationOf('camille@example.org');
    assert.equal(mail.subject, 'Confirmez votre rappel : Rénovation de la médiathèque');
    assert.match(mail.header('From'), new RegExp(`<${FROM}>`));
    assert.ok(!Number.isNaN(Date.parse(mail.header('Date'))), `a Date header: ${mail.header('Date')}`);
    assert.match(mail.header('Message-ID'), /^<[^<>@\s]+@ville\.example>$/);
    assert.equal(mail.header('MIME-Version'), '1.0');
    assert.match(mail.header('Content-Type'), /^text\/plain; charset=utf-8$/i);
    assert.equal(mail.header('Auto-Submitted'), 'auto-generated');
    assert.equal(mail.header('List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
    const unsubscribe = unsubscribeUrlOf(mail);
    assert.match(unsubscribe, new RegExp(`^${c.origin}/api/reminders/[A-Za-z0-9_-]{20,}/unsubscribe(\\?lang=fr)?$`));
    const [, link, token] = CONFIRM_LINK.exec(mail.text);
    assert.equal(link, `${c.origin}/r/${token}`);
    assert.ok(mail.text.includes('Rénovation de la médiathèque'), mail.text);
    assert.ok(mail.text.includes(unsubscribe), 'the text has the unsubscribe link too');
  });

  it('writes the mails in the language asked for', async () => {
    const ev = await upcoming('Budget 2028', 14 * DAY);
    const subjects = { en: 'Confirm your reminder', de: 'Bitte bestätigen Sie Ihre Erinnerung', it: 'Confermate il vostro promemoria',
      es: 'Confirme su recordatorio', pl: 'Potwierdź przypomnienie' };
    for (const lang of Object.keys(subjects)) expectOk(await ask(ev.id, `lang-${lang}@example.org`, lang), 202);
    for (const [lang, subject] of Object.entries(subjects)) {
      const mail = await confirmationOf(`lang-${lang}@example.org`);
      assert.equal(mail.subject, `${subject}: Budget 2028`);
    }
  });

  it('GET /api/reminders/{token} and the /r/ page change nothing: only the POST confirms', async () => {
    const ev = await upcoming('Parc des sports', 15 * DAY);
    expectOk(await ask(ev.id, 'dominique@example.org'), 202);
    const token = tokenOf(await confirmationOf('dominique@example.org'));
    const state = () => sql("SELECT confirmed_ms, confirm_due FROM reminders WHERE email = 'dominique@example.org'");
    const before = state();
    for (let i = 0; i < 2; i++) {
      const r = expectOk(await c.get(`/api/reminders/${token}`), 200, 'GET the reminder');
      assert.deepEqual(r, { event_id: ev.id, confirmed: false, lang: 'fr' });
      const page = await c.get(`/r/${token}`);
      assert.equal(page.status, 200, 'the /r/ page');
      assert.match(page.headers['content-type'], /^text\/html/);
      assert.match(page.text, /reminder\.js/);
      const human = await c.get(`/api/reminders/${token}/unsubscribe`);
      assert.equal(human.status, 200, 'the unsubscribe page');
      assert.match(human.text, /<form method="post"/);
    }
    assert.equal(state(), before, 'the GETs changed nothing');
    expectError(await c.get('/api/reminders/unknown-token-0000'), 404, 'not_found', 'an unknown token');
    const confirmed = expectOk(await post(`/api/reminders/${token}/confirm`, {}), 200, 'confirm');
    assert.equal(confirmed.confirmed, true);
    expectOk(await post(`/api/reminders/${token}/confirm`, {}), 200, 'confirming twice is harmless');
    assert.notEqual(Number(sql("SELECT confirmed_ms FROM reminders WHERE email = 'dominique@example.org'")), 0);
    expectError(await post('/api/reminders/unknown-token-0000/confirm', {}), 404, 'not_found', 'confirm an unknown token');
  });
});

describe('the reminder', () => {
  it('goes once to a confirmed address at the lead time, with two workers, and never to an unconfirmed one', async (t) => {
    if (!hooksCompiled()) return t.skip(NO_HOOKS);
    // Hours, not days, ahead: an address left unconfirmed for a day is
    // deleted by then, and this case watches one until the start.
    const ev = await upcoming('Conseil de quartier', 3 * HOUR);
    const startsAt = Date.parse(ev.starts_at);
    expectOk(await ask(ev.id, 'eden@example.org'), 202);
    expectOk(await ask(ev.id, 'farid@example.org'), 202);
    const token = tokenOf(await confirmationOf('eden@example.org'));
    await confirmationOf('farid@example.org');
    expectOk(await post(`/api/reminders/${token}/confirm`, {}), 200, 'eden confirms');

    // Five minutes before the lead time: nothing yet.
    moveClock(offset + (startsAt - LEAD_MS - 5 * 60e3) - serverNow());
    await sleep(QUIET_MS);
    assert.equal(reminders('eden@example.org').length, 0, 'no reminder before the lead time');

    // At the lead time (a minute after): exactly one, from one of the two workers.
    moveClock(offset + (startsAt - LEAD_MS + 60e3) - serverNow());
    const [mail] = await sink.waitFor((m) => m.to === 'eden@example.org' && m.attachments.length > 0, 1,
      { what: 'the reminder' });
    await waitUntil(() => rowsOf('eden@example.org') === 0, { what: 'the address to be deleted once sent' });
    await sleep(QUIET_MS);
    assert.equal(reminders('eden@example.org').length, 1, 'exactly one reminder across two workers');
    assert.equal(reminders('farid@example.org').length, 0, 'no reminder to an unconfirmed address');
    assert.equal(confirmations('farid@example.org').length, 1, 'and no second confirmation either');

    assert.equal(mail.subject, 'Bientôt : Conseil de quartier');
    assert.ok(mail.text.includes(`${c.origin}/e/${ev.id}`), `the visitor page's URL in: ${mail.text}`);
    assert.ok(mail.text.includes(`${c.origin}/api/events/${ev.id}/calendar.ics`), 'the .ics link');
    assert.equal(mail.header('List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
    assert.match(unsubscribeUrlOf(mail), new RegExp(`^${c.origin}/api/reminders/[A-Za-z0-9_-]{20,}/unsubscribe`));
    assert.match(mail.header('Content-Type'), /^multipart\/mixed/);
    const [ics] = mail.attachments;
    assert.match(ics.contentType, /^text\/calendar/);
    assert.equal(ics.filename, `${ev.id}.ics`);
    assert.match(ics.content, /BEGIN:VEVENT[\s\S]*SUMMARY:Conseil de quartier/);
    // The link of the confirmation names nothing any more.
    expectError(await c.get(`/api/reminders/${token}`), 404, 'not_found', 'the token after the reminder');

    // The debate starts: the unconfirmed address goes too.
    assert.equal(rowsOf('farid@example.org'), 1);
    moveClock(offset + (startsAt + 60e3) - serverNow());
    await waitUntil(() => rowsOf('farid@example.org') === 0, { what: 'the unconfirmed address to be deleted at the start', timeoutMs: 20000 });
    const late = await ask(ev.id, 'late@example.org');
    expectError(late, 409, 'event_closed', 'asking once the debate started');
  });

  it('is retried after a temporary SMTP failure (451) and sent once', async () => {
    const ev = await upcoming('Marché de Noël', 30 * DAY);
    sink.failNext(1);
    expectOk(await ask(ev.id, 'gael@example.org'), 202);
    await confirmationOf('gael@example.org');
    assert.equal(sink.failuresLeft(), 0, 'the first attempt was refused with 451');
    await waitUntil(() => /reminder mail failed; will retry/.test(c.logs(100000)), { what: 'the retry in a worker log' });
    await sleep(QUIET_MS);
    assert.equal(confirmations('gael@example.org').length, 1, 'sent once after the retry');
    assert.equal(Number(sql("SELECT attempts FROM reminders WHERE email = 'gael@example.org'")), 0,
      'the failed attempt is forgotten once sent');
  });
});

describe('unsubscribing', () => {
  it('one click (RFC 8058: a form POST, no cookie) deletes the address', async () => {
    const ev = await upcoming('Piste cyclable', 40 * DAY);
    expectOk(await ask(ev.id, 'hana@example.org'), 202);
    const mail = await confirmationOf('hana@example.org');
    const token = tokenOf(mail);
    assert.equal(rowsOf('hana@example.org'), 1);
    const url = new URL(unsubscribeUrlOf(mail));
    const res = await c.request('POST', url.pathname + url.search, {
      body: 'List-Unsubscribe=One-Click', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 200, `one-click unsubscribe: ${res.status} ${res.text.slice(0, 200)}`);
    assert.match(res.headers['content-type'], /^text\/html/);
    assert.equal(rowsOf('hana@example.org'), 0, 'the address is deleted');
    expectError(await c.get(`/api/reminders/${token}`), 404, 'not_found', 'the confirmation link after unsubscribing');
    expectError(await post(`/api/reminders/${token}/confirm`, {}), 404, 'not_found', 'confirming after unsubscribing');
    // Again, or with a token that names nothing: the same answer.
    const again = await c.request('POST', url.pathname, {
      body: 'List-Unsubscribe=One-Click', headers: { 'Content-Type': 'multipart/form-data; boundary=x' },
    });
    assert.equal(again.status, 200);
  });

  it('the /r/ page\'s button (a JSON POST) and the confirmation token delete it too', async () => {
    const ev = await upcoming('Jardins partagés', 41 * DAY);
    expectOk(await ask(ev.id, 'ines@example.org'), 202);
    const token = tokenOf(await confirmationOf('ines@example.org'));
    expectOk(await post(`/api/reminders/${token}/confirm`, {}), 200);
    const res = await post(`/api/reminders/${token}/unsubscribe`, {});
    assert.equal(res.status, 200);
    assert.equal(rowsOf('ines@example.org'), 0);
  });
});

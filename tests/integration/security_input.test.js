'use strict';
// Hostile request bodies, through nginx: each gets the documented 4xx JSON
// error, no worker dies, and nothing changes (the queue, the public history).
// docs/SECURITY.md lists what each case defends against.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, expectError, expectOk } = require('../support/cluster');

let c;
let E;
let mod;
let guest;
let names = 0;

const visitor = () => c.join(E, `Citoyen ${++names}`, { lang: 'fr' });

async function queueView() {
  const q = expectOk(await mod.get(`/api/events/${E}/queue`), 200, 'queue');
  const p = expectOk(await c.poll(`/api/events/${E}/poll`), 200, 'poll');
  return { pending: q.pending.map((x) => `${x.id}|${x.text}`), items: p.items.map((i) => i.cursor) };
}

before(async () => {
  // A body limit well above the 130,000 bytes that used to overflow the
  // worker's stack in RapidJSON's recursive parser.
  c = await startCluster({ workers: 2, nginxWorkers: 1, env: { PALABRE_MAX_BODY_BYTES: String(512 * 1024) } });
  E = (await c.createEvent({
    title: 'Entrées hostiles',
    guests: [{ name: 'Anne Martin', role: 'Maire' }, { name: 'Karim Benali', role: 'Adjoint' }],
    branding: { organiser: 'Ville de Démo' },
  })).id;
  const inv = await c.invite(E);
  mod = c.bearer(inv.moderator_token, 'moderator', E);
  guest = c.bearer(inv.guest_token, 'guest', E);
});

after(async () => {
  if (c) await c.stop();
});

describe('deeply nested JSON', () => {
  it('answers 400 invalid_json to 130,000 nested brackets and every worker survives', async () => {
    const pids = c.workerPids();
    const before = await queueView();
    const v = await visitor();
    for (const body of ['['.repeat(130000), '{"text":' + '['.repeat(200000) + ']'.repeat(200000) + '}',
      '{"a":'.repeat(60000) + '1' + '}'.repeat(60000)]) {
      const res = await v.post(`/api/events/${E}/questions`, body);
      expectError(res, 400, 'invalid_json', `a body of ${body.length} bytes`);
      // Anonymous, too: joining parses the body before anything else.
      const anon = await c.request('POST', `/api/events/${E}/join`, { body, headers: { Origin: c.origin } });
      expectError(anon, 400, 'invalid_json', 'anonymous deep body');
    }
    assert.deepEqual(c.workerPids(), pids, 'no worker died');
    assert.deepEqual(c.crashes, [], 'no worker crashed');
    assert.deepEqual(await queueView(), before, 'nothing changed');
  });

  it('still accepts the contract\'s ordinary nesting', async () => {
    const v = await visitor();
    const res = await v.ask(E, 'Quand les travaux commencent-ils ?', 'fr');
    expectOk(res, 202, 'a plain question');
  });
});

// A refused call changes nothing: same queue, same public history.
async function refused(what, status, code, fn) {
  const before = await queueView();
  const res = await fn();
  expectError(res, status, code, what);
  assert.deepEqual(await queueView(), before, `${what} changed nothing`);
  return res;
}

describe('control characters', () => {
  it('refuses NUL, C0 and C1 controls in questions, with the JSON escape or the raw byte', async () => {
    const v = await visitor();
    for (const text of ['a\u0000=tail', 'cloche\u0007', 'couleur \u001b[31mrouge', 'suppr\u007f', 'c1\u0085x', 'csi\u009b2J']) {
      await refused(`question ${JSON.stringify(text)}`, 400, 'text_control_chars', () => v.ask(E, text, 'fr'));
    }
    const raw = Buffer.concat([Buffer.from('{"text":"a'), Buffer.from([0x01]), Buffer.from('b","lang":"fr"}')]);
    await refused('a raw control byte', 400, ['text_control_chars', 'invalid_json'], () => v.post(`/api/events/${E}/questions`, raw));
  });

  it('keeps tab and newline, and turns CRLF into LF', async () => {
    const v = await visitor();
    const q = expectOk(await v.ask(E, 'Deux lignes\r\net\tun onglet', 'fr'), 202, 'text with CRLF and tab');
    const queue = expectOk(await mod.get(`/api/events/${E}/queue`), 200, 'queue');
    assert.equal(queue.pending.find((x) => x.id === q.id).text, 'Deux lignes\net\tun onglet');
  });

  it('refuses controls and direction overrides in pseudonyms', async () => {
    for (const name of ['Paul\u0000', 'Paul\nMartin', '\u202enimda', 'x\u2067y']) {
      const res = await c.request('POST', `/api/events/${E}/join`, { body: { name }, headers: { Origin: c.origin } });
      expectError(res, 400, 'text_control_chars', `pseudonym ${JSON.stringify(name)}`);
      assert.equal(res.headers['set-cookie'], undefined, 'no session for a refused pseudonym');
    }
  });

  it('refuses controls in answers and announcements', async () => {
    const v = await visitor();
    const q = expectOk(await v.ask(E, 'Une question pour la maire', 'fr'), 202, 'ask');
    expectOk(await mod.post(`/api/events/${E}/questions/${q.id}/forward`, {}), 200, 'forward');
    await refused('an answer with NUL', 400, 'text_control_chars',
      () => guest.post(`/api/events/${E}/answers`, { question_id: q.id, text: 'Oui\u0000non' }));
    await refused('an announcement with ESC', 400, 'text_control_chars',
      () => mod.post(`/api/events/${E}/announcements`, { text: 'Pause \u001b[2J' }));
  });
});

describe('impersonation', () => {
  it('refuses pseudonyms that pass for staff, guests or the organiser', async () => {
    for (const name of ['Modération', 'La modération', 'M o d é r a t i o n', 'Admin', 'Organisateur', 'Anne Martin',
      'ANNE MARTIN (maire)', 'KarimBenali', 'Ville de Demo', 'Moderator']) {
      const res = await c.request('POST', `/api/events/${E}/join`, { body: { name }, headers: { Origin: c.origin } });
      expectError(res, 422, 'name_reserved', `pseudonym ${name}`);
      assert.equal(res.headers['set-cookie'], undefined, 'no session for a reserved pseudonym');
    }
    // Names that merely look alike are citizens' own.
    for (const name of ['Anne', 'Joanne Martinez', 'Badminton 75']) await c.join(E, name);
  });

  it('signs answers only with a declared guest\'s name', async () => {
    const v = await visitor();
    const q = expectOk(await v.ask(E, 'Qui répond ?', 'fr'), 202, 'ask');
    expectOk(await mod.post(`/api/events/${E}/questions/${q.id}/forward`, {}), 200, 'forward');
    await refused('an answer signed by someone else', 400, 'invalid_field',
      () => guest.post(`/api/events/${E}/answers`, { question_id: q.id, text: 'Je réponds.', author: 'Le Président de la République' }));
    const ok = expectOk(await guest.post(`/api/events/${E}/answers`, { question_id: q.id, text: 'Je réponds.', author: 'Karim Benali' }), 201, 'signed by a guest');
    const poll = expectOk(await c.poll(`/api/events/${E}/poll`), 200, 'poll');
    const published = poll.items.map((i) => i.data).find((d) => d.id === ok.id);
    assert.equal(published.author, 'Karim Benali');
  });
});

describe('staff labels', () => {
  it('refuses pseudonyms that pass for a staff member\'s label', async () => {
    expectOk(await c.asAdmin().post(`/api/events/${E}/invites`, { role: 'moderator', label: 'Sophie Durand (communication)' }), 201, 'labelled invite');
    for (const name of ['Sophie Durand (communication)', 'sophie durand communication', 'SophieDurand Communication']) {
      const res = await c.request('POST', `/api/events/${E}/join`, { body: { name }, headers: { Origin: c.origin } });
      expectError(res, 422, 'name_reserved', `pseudonym ${name}`);
    }
    await c.join(E, 'Sophie');
  });

  it('a guest whose invite names them signs as that guest only', async () => {
    const inv = expectOk(await c.asAdmin().post(`/api/events/${E}/invites`, { role: 'guest', label: 'Karim Benali' }), 201, 'guest invite');
    const karim = c.bearer(inv.token, 'guest', E);
    const v = await visitor();
    const q = expectOk(await v.ask(E, 'Pour l\'adjoint', 'fr'), 202, 'ask');
    expectOk(await mod.post(`/api/events/${E}/questions/${q.id}/forward`, {}), 200, 'forward');
    await refused('signing as another guest', 403, 'forbidden',
      () => karim.post(`/api/events/${E}/answers`, { question_id: q.id, text: 'Réponse', author: 'Anne Martin' }));
    const ok = expectOk(await karim.post(`/api/events/${E}/answers`, { question_id: q.id, text: 'Réponse' }), 201, 'answer');
    const poll = expectOk(await c.poll(`/api/events/${E}/poll`), 200, 'poll');
    assert.equal(poll.items.map((i) => i.data).find((d) => d.id === ok.id).author, 'Karim Benali');
  });
});

describe('content types', () => {
  it('refuses mutations whose body is not declared as JSON with 415', async () => {
    const v = await visitor();
    const body = JSON.stringify({ text: 'Par formulaire', lang: 'fr' });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', null]) {
      const headers = type ? { 'Content-Type': type } : { 'Content-Type': '' };
      await refused(`Content-Type ${type}`, 415, 'unsupported_media_type', () => v.post(`/api/events/${E}/questions`, body, { headers }));
    }
    expectOk(await v.post(`/api/events/${E}/questions`, body, { headers: { 'Content-Type': 'Application/JSON; charset=utf-8' } }), 202, 'JSON with a charset');
  });
});

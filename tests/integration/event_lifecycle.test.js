'use strict';
// A debate's life in the back-office, over HTTP through nginx and two
// workers (docs/API.md "Events"): a draft that nobody but staff can see,
// edited field by field and published; a brand colour too light for white
// text refused; a duplicate that takes the settings and the library but no
// questions; a deletion that leaves nothing behind in SQL or Redis and
// closes the consoles; the site's defaults (GET|PUT /api/site) that a
// debate falls back on. Every change lands in an audit log.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, expectOk, expectError, isoIn, liveEventBody } = require('../support/cluster');

let c;

before(async () => {
  c = await startCluster({ workers: 2, nginxWorkers: 1 });
});

after(async () => {
  if (c) await c.stop();
});

const sql = (query) => c.sql(query);

async function redisKeys(pattern) {
  return (await c.redisCli(['--scan', '--pattern', pattern])).split('\n').filter(Boolean);
}

async function createDraft(overrides = {}) {
  const res = await c.asAdmin().post('/api/events', liveEventBody({ status: 'draft', title: 'Brouillon du budget', ...overrides }));
  return expectOk(res, 201, 'create a draft');
}

describe('drafts', () => {
  it('are invisible to the public and to other debates\' staff, visible to admins and their own staff', async () => {
    const draft = await createDraft();
    assert.equal(draft.status, 'draft');
    const other = await c.createEvent({ title: 'Un autre débat' });
    const otherInvite = await c.invite(other.id);
    const ownInvite = await c.invite(draft.id);

    const publicList = expectOk(await c.get('/api/events'), 200);
    assert.ok(!publicList.events.some((e) => e.id === draft.id), 'the public list leaves the draft out');
    const adminList = expectOk(await c.asAdmin().get('/api/events'), 200);
    const listed = adminList.events.find((e) => e.id === draft.id);
    assert.ok(listed, 'the admin list has the draft');
    assert.equal(listed.status, 'draft');

    for (const p of [`/api/events/${draft.id}`, `/api/events/${draft.id}/transcript.json`, `/api/events/${draft.id}/calendar.ics`,
      `/api/events/${draft.id}/poll?after=0-0`]) {
      expectError(await c.get(p), 404, 'not_found');
      expectError(await c.bearer(otherInvite.moderator_token).get(p), 404, 'not_found');
    }
    expectError(await c.request('POST', `/api/events/${draft.id}/join`, { body: { name: 'Curieux' }, headers: { Origin: c.origin } }), 404, 'not_found');
    const stream = await c.sse(`/api/events/${draft.id}/stream`);
    assert.equal(stream.status, 404, 'the public stream of a draft is 404');

    expectOk(await c.asAdmin().get(`/api/events/${draft.id}`), 200);
    const seenByModerator = expectOk(await c.bearer(ownInvite.moderator_token).get(`/api/events/${draft.id}`), 200);
    assert.equal(seenByModerator.title, 'Brouillon du budget');
  });

  it('take every field from the back-office, then go public when published', async () => {
    const draft = await createDraft();
    const admin = c.asAdmin();
    const changes = {
      title: 'Budget participatif : le débat',
      description: 'Posez vos questions au conseil municipal.',
      starts_at: isoIn(-60e3),
      ends_at: isoIn(2 * 3600e3),
      languages: ['fr', 'de', 'pl'],
      guests: [{ name: 'Anne Martin', role: 'Maire' }, { name: 'Piotr Nowak', role: 'Adjoint aux finances' }],
      questions_before: false,
      late_questions_days: 5,
      time_zone: 'Europe/Warsaw',
      branding: { organiser: 'Ville de Lyon', color: '#004494', site_url: 'https://lyon.example/' },
    };
    const edited = expectOk(await admin.patch(`/api/events/${draft.id}`, changes), 200, 'PATCH every field');
    for (const [k, v] of Object.entries(changes)) {
      if (k === 'starts_at' || k === 'ends_at') continue;
      assert.deepEqual(edited[k], v, `field ${k}`);
    }
    assert.equal(edited.status, 'draft', 'an edit keeps the draft a draft');
    assert.deepEqual(edited.brand, { organiser: 'Ville de Lyon', color: '#004494', site_url: 'https://lyon.example/', logo: null });
    expectError(await c.get(`/api/events/${draft.id}`), 404, 'not_found');

    const stream = await c.sse(`/api/events/${draft.id}/stream`);
    assert.equal(stream.status, 404);
    const published = expectOk(await admin.patch(`/api/events/${draft.id}`, { status: 'published' }), 200, 'publish');
    assert.equal(published.status, 'published');
    const seen = expectOk(await c.get(`/api/events/${draft.id}`), 200, 'the public sees it now');
    assert.equal(seen.title, changes.title);
    assert.equal(seen.phase, 'live');
    const live = await c.sse(`/api/events/${draft.id}/stream`);
    assert.equal(live.status, 200);
    await live.waitFor((f) => f.event === 'phase' && f.data.phase === 'live', 5000, 'the phase on the stream');
    live.close();
    assert.ok(expectOk(await c.get('/api/events'), 200).events.some((e) => e.id === draft.id), 'listed once published');

    const audit = expectOk(await admin.get(`/api/events/${draft.id}/audit`), 200).entries.map((e) => e.action);
    for (const action of ['create_event', 'update_event', 'publish_event']) assert.ok(audit.includes(action), `audit has ${action}: ${audit}`);
  });

  it('refuse a brand colour under which white text is unreadable, and bad fields, changing nothing', async () => {
    const draft = await createDraft({ branding: { color: '#004494' } });
    const admin = c.asAdmin();
    expectError(await admin.patch(`/api/events/${draft.id}`, { branding: { color: '#ffd700' } }), 422, 'contrast_too_low');
    expectError(await admin.post('/api/events', liveEventBody({ branding: { color: '#eeeeee' } })), 422, 'contrast_too_low');
    expectError(await admin.patch(`/api/events/${draft.id}`, { time_zone: 'Mars/Olympus_Mons' }), 400, 'invalid_field');
    expectError(await admin.patch(`/api/events/${draft.id}`, { status: 'hidden' }), 400, 'invalid_field');
    expectError(await admin.patch(`/api/events/${draft.id}`, { branding: { site_url: 'javascript:alert(1)' } }), 400, 'invalid_field');
    const now = expectOk(await admin.get(`/api/events/${draft.id}`), 200);
    assert.equal(now.branding.color, '#004494');
    assert.equal(now.status, 'draft');
    // A moderator may extend or close, not publish.
    const inv = await c.invite(draft.id);
    expectError(await c.bearer(inv.moderator_token).patch(`/api/events/${draft.id}`, { status: 'published' }), 403, 'forbidden');
  });
});

describe('duplicating a debate', () => {
  it('makes a draft with the settings, guests, blocked words and prepared answers, and no questions', async () => {
    const admin = c.asAdmin();
    const source = await c.createEvent({ title: 'Mobilités douces', languages: ['fr', 'it'], time_zone: 'Europe/Rome' });
    expectOk(await admin.post(`/api/events/${source.id}/prepared-answers`, { title: 'Pistes cyclables', text: 'Le plan vélo est voté.', lang: 'fr' }), 201);
    expectOk(await admin.put(`/api/events/${source.id}/word-filters`, { items: [{ pattern: 'arnaque', lang: '' }] }), 200);
    const visitor = await c.join(source.id, 'Lucie');
    expectOk(await visitor.ask(source.id, 'Et les trottinettes ?', 'fr'), 202);

    const copy = expectOk(await admin.post(`/api/events/${source.id}/duplicate`), 201, 'duplicate');
    assert.notEqual(copy.id, source.id);
    assert.equal(copy.status, 'draft');
    for (const k of ['title', 'description', 'languages', 'guests', 'time_zone', 'branding', 'late_questions_days']) {
      assert.deepEqual(copy[k], source[k], `field ${k} copied`);
    }
    const answers = expectOk(await admin.get(`/api/events/${copy.id}/prepared-answers`), 200).items;
    assert.deepEqual(answers.map((a) => a.title), ['Pistes cyclables']);
    const filters = expectOk(await admin.get(`/api/events/${copy.id}/word-filters`), 200).items;
    assert.deepEqual(filters.map((f) => f.pattern), ['arnaque']);
    const queue = expectOk(await admin.get(`/api/events/${copy.id}/queue`), 200);
    assert.equal(JSON.stringify(queue).includes('trottinettes'), false, 'no question comes along');
    const audit = expectOk(await admin.get(`/api/events/${copy.id}/audit`), 200).entries;
    assert.ok(audit.some((e) => e.action === 'duplicate_event'), 'the copy says where it comes from');
  });
});

describe('deleting a debate', () => {
  it('removes everything it holds in SQL and Redis, closes its consoles, and is audited site-wide', async () => {
    const admin = c.asAdmin();
    const ev = await c.createEvent({ title: 'Débat à supprimer' });
    const inv = await c.invite(ev.id);
    const visitor = await c.join(ev.id, 'Marius');
    const q = expectOk(await visitor.ask(ev.id, 'Une question qui doit disparaître', 'fr'), 202);
    expectOk(await admin.act(ev.id, q.id, 'publish'), 200);
    expectOk(await visitor.post(`/api/events/${ev.id}/questions/${q.id}/support`, {}), 200);
    expectOk(await admin.post(`/api/events/${ev.id}/polls`, { question: 'Tram ou bus ?', options: ['Tram', 'Bus'] }), 201);
    expectOk(await admin.post(`/api/events/${ev.id}/prepared-answers`, { title: 'Prête', text: 'Texte.', lang: 'fr' }), 201);
    expectOk(await admin.put(`/api/events/${ev.id}/word-filters`, { items: [{ pattern: 'mot', lang: '' }] }), 200);
    const staffStream = await c.bearer(inv.moderator_token).sse(`/api/events/${ev.id}/staff/stream`);
    assert.equal(staffStream.status, 200);
    assert.ok((await redisKeys(`palabre:ev:{${ev.id}}:*`)).length > 3, 'the debate has keys in Redis before');
    assert.ok((await redisKeys(`palabre:q:{${ev.id}}:${q.id}*`)).length >= 1, 'and its question records');

    expectError(await c.bearer(inv.moderator_token).del(`/api/events/${ev.id}`), 403, 'forbidden');
    const res = await admin.del(`/api/events/${ev.id}`);
    assert.equal(res.status, 204, `DELETE: ${res.status} ${res.text}`);

    expectError(await c.get(`/api/events/${ev.id}`), 404, 'not_found');
    expectError(await admin.get(`/api/events/${ev.id}`), 404, 'not_found');
    // The moderator's token names a debate that is no more.
    expectError(await c.bearer(inv.moderator_token).get(`/api/events/${ev.id}/queue`), 404, 'not_found');
    await staffStream.waitForEnd(5000);
    assert.deepEqual(await redisKeys(`palabre:ev:{${ev.id}}:*`), []);
    assert.deepEqual(await redisKeys(`palabre:q:{${ev.id}}:${q.id}*`), []);
    for (const table of ['events WHERE id', 'invites WHERE event_id', 'audit_log WHERE event_id', 'prepared_answers WHERE event_id',
      'word_filters WHERE scope', 'archived_messages WHERE event_id']) {
      assert.equal(await sql(`SELECT count(*) FROM ${table} = '${ev.id}'`), '0', `nothing left in ${table}`);
    }
    const siteAudit = expectOk(await admin.get('/api/site/audit'), 200).entries;
    const line = siteAudit.find((e) => e.action === 'delete_event' && e.target === ev.id);
    assert.ok(line, 'the deletion is in the site audit');
    assert.equal(line.details.title, 'Débat à supprimer');
    assert.match(line.actor, /^admin:/);
    expectError(await admin.del(`/api/events/${ev.id}`), 404, 'not_found');
  });
});

describe('the site\'s settings', () => {
  it('give defaults, keep what an admin sets, and are what debates fall back on', async () => {
    const fresh = expectOk(await c.get('/api/site'), 200);
    assert.equal(fresh.time_zone, 'Europe/Paris');
    assert.equal(fresh.licence.name, 'Licence Ouverte / Etalab 2.0');
    assert.equal(fresh.accessibility.status, 'none');
    assert.equal(fresh.logo, null);

    const admin = c.asAdmin();
    const settings = {
      organiser: 'Ville de Grenoble',
      color: '#1d3b6b',
      site_url: 'https://grenoble.example/',
      time_zone: 'Europe/Paris',
      accessibility: { status: 'partial', rate: 81.5, audit_date: '2026-11-02', contact_email: 'accessibilite@grenoble.example',
        non_compliant: 'Le graphique du tableau de bord n’a pas d’alternative textuelle.' },
    };
    const saved = expectOk(await admin.put('/api/site', settings), 200, 'PUT /api/site');
    assert.equal(saved.organiser, 'Ville de Grenoble');
    assert.equal(saved.accessibility.rate, 81.5);
    assert.deepEqual(expectOk(await c.get('/api/site'), 200), saved, 'anyone reads what was saved');

    const ev = await c.createEvent({ title: 'Sans marque propre', branding: {} });
    assert.deepEqual(ev.brand, { organiser: 'Ville de Grenoble', color: '#1d3b6b', site_url: 'https://grenoble.example/', logo: null });
    assert.equal(ev.time_zone, 'Europe/Paris');

    expectError(await admin.put('/api/site', { color: '#f0f0f0' }), 422, 'contrast_too_low');
    expectError(await admin.put('/api/site', { colour: '#004494' }), 400, 'invalid_field');
    expectError(await admin.put('/api/site', { accessibility: { status: 'presque' } }), 400, 'invalid_field');
    expectError(await admin.request('PUT', '/api/site', { body: '{"organiser": ', headers: { 'Content-Type': 'application/json' } }), 400, 'invalid_json');
    const inv = await c.invite(ev.id);
    expectError(await c.bearer(inv.moderator_token).put('/api/site', { organiser: 'Pirate' }), 403, 'forbidden');
    expectError(await c.request('PUT', '/api/site', { body: { organiser: 'Anonyme' }, headers: { Origin: c.origin } }), 401, 'unauthorized');
    assert.equal(expectOk(await c.get('/api/site'), 200).organiser, 'Ville de Grenoble', 'refused changes changed nothing');
    const audit = expectOk(await admin.get('/api/site/audit'), 200).entries;
    assert.ok(audit.some((e) => e.action === 'update_site'), 'the change is audited');

    // The open data's licence is the one the site chose.
    const licence = { name: 'ODbL 1.0', url: 'https://opendatacommons.org/licenses/odbl/1-0/' };
    expectOk(await admin.put('/api/site', { ...settings, licence }), 200, 'PUT /api/site with a licence');
    const transcript = expectOk(await c.get(`/api/events/${ev.id}/transcript.json`), 200);
    assert.deepEqual(transcript.licence, licence);
  });
});

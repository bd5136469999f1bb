'use strict';
// The plain view of a debate, GET /api/events/{id}/thread.html: its
// published thread as a small HTML page written by the worker, for visitors
// without JavaScript or with a poor connection (docs/API.md "Plain view").
// What must hold: it shows what the live page shows (published messages,
// newest first, answers under their question, nothing pending, rejected or
// retracted), escaped; HEAD works; an unknown debate is the JSON 404; the
// visitor page's ?view=plain leads to it; and a crowd refreshing it is
// served from nginx's one-second copy, about one worker request per second.

const CROWD = 20;  // fastcgi_cache_min_uses

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, expectOk, expectError, isoIn, sleep, waitUntil } = require('../support/cluster');

let c;
let mod;
let guest;

before(async () => {
  c = await startCluster({ workers: 2, nginxWorkers: 1 });
});

after(async () => {
  if (c) await c.stop();
});

const cacheStatus = (res) => res.headers['palabre-cache'];
const page = (id) => `/api/events/${id}/thread.html`;
const reachedWorker = (l) => l.upstream_addr && l.upstream_addr !== '-';

// A debate with something in every state: published questions (one with
// an answer, one with markup), an announcement, a pending, a rejected and a
// retracted question.
async function debate(title) {
  const ev = await c.createEvent({ title, guests: [{ name: 'Karim Benali', role: 'Adjoint' }] });
  const inv = await c.invite(ev.id);
  mod = c.bearer(inv.moderator_token, 'moderator', ev.id);
  guest = c.bearer(inv.guest_token, 'guest', ev.id);
  const v = await c.join(ev.id, 'Lou');
  const ask = async (text, lang = 'fr') => expectOk(await v.ask(ev.id, text, lang), 202, 'ask').id;
  const S = { ev };
  S.first = await ask('Première question publiée');
  expectOk(await mod.act(ev.id, S.first, 'publish'), 200);
  S.answered = await ask('Les arbres seront-ils conservés ?');
  expectOk(await mod.act(ev.id, S.answered, 'publish'), 200);
  expectOk(await mod.act(ev.id, S.answered, 'forward'), 200);
  expectOk(await guest.post(`/api/events/${ev.id}/answers`, { question_id: S.answered, text: 'Oui, tous les platanes.' }), 201);
  expectOk(await mod.post(`/api/events/${ev.id}/announcements`, { text: 'Pause de cinq minutes.', lang: 'fr' }), 201);
  await ask('Question encore en attente');
  const rejected = await ask('Question refusée');
  expectOk(await mod.act(ev.id, rejected, 'reject', { reason: 'hors sujet' }), 200);
  const retracted = await ask('Question retirée après publication');
  expectOk(await mod.act(ev.id, retracted, 'publish'), 200);
  expectOk(await mod.act(ev.id, retracted, 'retract'), 200);
  S.markup = await ask('<script>alert("x")</script> & <b>gras</b>', 'en');
  expectOk(await mod.act(ev.id, S.markup, 'publish'), 200);
  return S;
}

describe('the plain view of a debate', () => {
  let S;
  before(async () => { S = await debate('La place du marché'); });

  it('lists the published messages newest first, answers under their question, and nothing else', async () => {
    const res = await c.get(page(S.ev.id));
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers['content-type'], /^text\/html; charset=utf-8/);
    const html = res.text;
    assert.match(html, /^<!DOCTYPE html>\n<html lang="fr">/);
    assert.match(html, /<h1>La place du marché<\/h1>/);
    assert.match(html, /data-phase="live">En direct<\/span> Le débat est en direct jusqu’au <time datetime="[^"]+Z">/);
    const at = (text) => html.indexOf(text);
    for (const text of ['gras', 'Pause de cinq minutes.', 'Les arbres seront-ils conservés ?', 'Oui, tous les platanes.', 'Première question publiée']) {
      assert.ok(at(text) > 0, `"${text}" is on the page`);
    }
    assert.ok(at('gras') < at('Pause de cinq minutes.'), 'newest first');
    assert.ok(at('Pause de cinq minutes.') < at('Les arbres seront-ils conservés ?'));
    assert.ok(at('Les arbres seront-ils conservés ?') < at('Oui, tous les platanes.'), 'the answer under its question');
    assert.ok(at('Oui, tous les platanes.') < at('Première question publiée'), 'the oldest last');
    assert.match(html, /<ol class="answers" aria-label="Réponses">\n<li class="msg msg-answer">\n<p class="msg-meta"><span class="msg-kind">Réponse de <\/span><bdi class="msg-author">Karim Benali<\/bdi>/);
    assert.match(html, /<span class="visually-hidden">Question de <\/span><bdi class="msg-author">Lou<\/bdi> <time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">/);
    assert.match(html, /<span class="msg-author">Annonce de la modération<\/span>/);
    for (const text of ['Question encore en attente', 'Question refusée', 'Question retirée après publication']) {
      assert.equal(at(text), -1, `"${text}" is not on the page`);
    }
    // Each text carries its language and its direction.
    assert.match(html, /<p class="msg-text" dir="auto" lang="en">&lt;script&gt;/);
    assert.match(html, /<p class="msg-text" dir="auto" lang="fr">Première question publiée<\/p>/);
  });

  it('escapes what visitors write and carries no script', async () => {
    const html = (await c.get(page(S.ev.id))).text;
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;gras&lt;/b&gt;'), 'the question, escaped');
    assert.doesNotMatch(html, /<script|<b>|\sstyle=|\son\w+=/i);
  });

  it('links to itself, to the interactive page and to the transcript, and loads the site stylesheet', async () => {
    const res = await c.get(page(S.ev.id));
    const hrefs = [...res.text.matchAll(/(?:href)="([^"]+)"/g)].map((m) => m[1]);
    const base = new URL(c.path(page(S.ev.id)), c.origin);
    const resolved = hrefs.map((h) => new URL(h, base).pathname);
    assert.ok(resolved.includes(c.path(page(S.ev.id))), `a refresh link to itself: ${hrefs}`);
    assert.ok(resolved.includes(c.path(`/e/${S.ev.id}`)), `a link to the interactive page: ${hrefs}`);
    assert.ok(resolved.includes(c.path(`/api/events/${S.ev.id}/transcript.html`)), `a link to the transcript: ${hrefs}`);
    assert.ok(resolved.includes(c.path('/assets/palabre.css')), `the stylesheet: ${hrefs}`);
    assert.equal((await c.get('/assets/palabre.css')).status, 200);
    // Nothing refreshes by itself (WCAG 2.2.1).
    assert.doesNotMatch(res.text, /http-equiv/i);
    assert.match(res.headers['content-security-policy'], /script-src 'self'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  });

  it('shows times on the debate\'s own clock, not the worker\'s (TZ=UTC here)', async () => {
    const ev = await c.createEvent({ title: 'Débat à Cayenne', time_zone: 'America/Cayenne' });
    const html = (await c.get(page(ev.id))).text;
    assert.match(html, /\(UTC-3\)/, 'Cayenne is UTC-3 all year');
    assert.doesNotMatch(html, /\(UTC\)/);
    // The same for the link preview nginx includes in the visitor page.
    const when = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'America/Cayenne' })
      .format(new Date(ev.starts_at));
    assert.match((await c.get(`/e/${ev.id}`)).text, new RegExp(`<meta property="og:description" content="[^"]* à ${when}`));
  });

  it('answers HEAD like GET, without a body', async () => {
    const get = await c.get(page(S.ev.id));
    const head = await c.request('HEAD', page(S.ev.id));
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-type'], get.headers['content-type']);
    assert.equal(head.text, '');
  });

  it('answers an unknown debate with the JSON 404, never kept', async () => {
    const p = page('nobody-here');
    for (let i = 0; i < CROWD; i++) expectError(await c.get(p), 404, 'not_found');
    const again = await c.get(p);
    expectError(again, 404, 'not_found');
    assert.notEqual(cacheStatus(again), 'HIT');
    const head = await c.request('HEAD', p);
    assert.equal(head.status, 404);
    assert.match(head.headers['content-type'], /^application\/json/);
  });

  it('is where the visitor page sends a browser without JavaScript', async () => {
    const visitor = await c.get(`/e/${S.ev.id}`);
    assert.equal(visitor.status, 200);
    assert.match(visitor.text, /<noscript>[\s\S]*href="\?view=plain"[\s\S]*<\/noscript>/);
    assert.match(visitor.text, /<a id="plain-view-link" href="\?view=plain"/);
    const to = await c.get(`/e/${S.ev.id}?view=plain`);
    assert.equal(to.status, 302);
    assert.equal(to.headers.location, `../api/events/${S.ev.id}/thread.html`, 'a relative redirect');
    const target = new URL(to.headers.location, new URL(c.path(`/e/${S.ev.id}?view=plain`), c.origin));
    assert.equal(target.pathname, c.path(page(S.ev.id)));
    assert.equal((await c.get(page(S.ev.id))).status, 200);
  });
});

describe('nginx keeps the plain view like the event details', () => {
  it('serves a crowd refreshing from its copy: about one worker request per second, byte for byte', async () => {
    const ev = await c.createEvent({ title: 'La foule actualise' });
    const p = page(ev.id);
    for (let i = 0; i < CROWD; i++) assert.equal((await c.get(p)).status, 200);
    const logBefore = c.accessLog().length;
    // 30 visitors pressing "Refresh" every 100 ms or so, for 5 s.
    const t0 = Date.now();
    const seconds = 5;
    const answers = [];
    await Promise.all(Array.from({ length: 30 }, async () => {
      while (Date.now() - t0 < seconds * 1000) {
        const res = await c.get(p);
        answers.push(res);
        await sleep(80 + Math.random() * 40);
      }
    }));
    const elapsed = (Date.now() - t0) / 1000;
    await waitUntil(() => c.accessLog().length - logBefore >= answers.length, { what: 'the access log' });
    const lines = c.accessLog().slice(logBefore).filter((l) => l.uri === p);
    const toWorkers = lines.filter(reachedWorker).length;
    console.log(`# crowd: ${answers.length} refreshes in ${elapsed.toFixed(1)} s (${(answers.length / elapsed).toFixed(0)}/s), ` +
      `${toWorkers} reached a worker (${(toWorkers / elapsed).toFixed(2)}/s); ` +
      `cache ${JSON.stringify(lines.reduce((n, l) => ({ ...n, [l.cache]: (n[l.cache] || 0) + 1 }), {}))}`);
    for (const res of answers) assert.equal(res.status, 200);
    assert.ok(toWorkers <= Math.ceil(elapsed) + 3, `${toWorkers} of ${answers.length} refreshes reached a worker in ${elapsed} s`);
    assert.ok(answers.filter((r) => cacheStatus(r) === 'HIT').length >= answers.length * 0.9, 'mostly hits');
    const hit = answers.find((r) => cacheStatus(r) === 'HIT');
    assert.ok(!('x-accel-expires' in hit.headers), 'the worker\'s hint to nginx is not passed on');
  });

  // nginx counts a copy's life in whole seconds: "1 s" keeps it until the
  // end of the next second, so between 1 and 2 s.
  it('shows a crowd a new message within two seconds, and staff at once', async () => {
    const ev = await c.createEvent({ title: 'Un message arrive' });
    const inv = await c.invite(ev.id);
    const moderator = c.bearer(inv.moderator_token, 'moderator', ev.id);
    const p = page(ev.id);
    for (let i = 0; i < CROWD + 5; i++) assert.equal((await c.get(p)).status, 200);
    assert.equal(cacheStatus(await c.get(p)), 'HIT');
    expectOk(await moderator.post(`/api/events/${ev.id}/announcements`, { text: 'Nouvelle annonce', lang: 'fr' }), 201);
    const staff = await moderator.get(p);
    assert.equal(cacheStatus(staff), 'BYPASS');
    assert.ok(staff.text.includes('Nouvelle annonce'), 'staff see it at once');
    const published = Date.now();
    let seenAfter = null;
    while (Date.now() - published < 4000) {
      const res = await c.get(p);
      if (res.text.includes('Nouvelle annonce')) { seenAfter = Date.now() - published; break; }
      await sleep(20);
    }
    console.log(`# a new message reached the crowd after ${seenAfter} ms`);
    assert.ok(seenAfter !== null && seenAfter <= 2500, `the crowd saw it after ${seenAfter} ms`);
  });

  it('does not keep a page across a change of phase', async () => {
    const ev = await c.createEvent({ title: 'Ouverture imminente', starts_at: isoIn(4000), ends_at: isoIn(3600e3), questions_before: true });
    const p = page(ev.id);
    const opens = Date.parse(ev.starts_at);
    const seen = [];
    while (Date.now() < opens + 1500) {
      const res = await c.get(p);
      assert.equal(res.status, 200);
      seen.push({ at: Date.now(), phase: /data-phase="([a-z_]+)"/.exec(res.text)[1], cache: cacheStatus(res) });
      await sleep(20);
    }
    assert.ok(seen.some((r) => r.cache === 'HIT'), 'the crowd was served from the copy before the opening');
    const late = seen.filter((r) => r.at > opens + 50 && r.phase !== 'live');
    assert.deepEqual(late, [], 'every page after the opening says live');
  });

  it('had no worker crash', () => {
    assert.deepEqual(c.unexpectedExits(), []);
  });
});

'use strict';
// A debate on the city's own site and on social networks (issue 12, item 3):
// - nginx lets only the origins of --embed-origins (PALABRE_EMBED_ORIGINS)
//   frame /e/{id}/embed; every other page stays frame-ancestors 'self';
//   nginx/render refuses an allow-list that is not a list of origins;
// - the visitor page's <head> carries the debate's <title>, Open Graph and
//   Twitter-card lines, escaped (SSI include of head.html, an internal
//   route); an unknown or draft debate, or no worker at all, leaves the
//   generic page, which still loads;
// - /embed.js, /accessibilite are served; calendar.ics has its alarm.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startCluster, expectOk } = require('../support/cluster');

const RENDER = path.join(__dirname, '..', '..', 'nginx', 'render');
const ALLOWED = 'https://www.ville.example http://127.0.0.1:8123';

function csp(res) {
  return res.headers['content-security-policy'] || '';
}

function frameAncestors(res) {
  const m = /frame-ancestors ([^;]*)/.exec(csp(res));
  return m ? m[1].trim() : null;
}

describe('with PALABRE_EMBED_ORIGINS', () => {
  let c;
  let ev;
  before(async () => {
    c = await startCluster({ workers: 1, renderArgs: ['--embed-origins', ALLOWED] });
    ev = await c.createEvent({
      title: 'Budget <2027> & "quartiers"',
      description: 'Les écoles, les parcs\net les rues.',
      branding: { organiser: 'Ville d’Ici' },
    });
  });
  after(async () => {
    if (c) await c.stop();
  });

  it('lets the allowed origins frame the embed only', async () => {
    const embed = await c.get(`/e/${ev.id}/embed`);
    assert.equal(embed.status, 200);
    assert.match(embed.headers['content-type'], /text\/html/);
    assert.equal(frameAncestors(embed), `'self' ${ALLOWED}`);
    assert.equal(embed.headers['x-frame-options'], undefined, 'no X-Frame-Options to contradict it');
    for (const p of ['/', `/e/${ev.id}`, `/e/${ev.id}/moderate`, `/e/${ev.id}/guest`, '/admin/', '/accessibilite',
      '/embed.js', '/assets/palabre.css', `/api/events/${ev.id}`, '/api/events/nope', `/e/${ev.id}/embed/x`]) {
      const res = await c.get(p);
      assert.equal(frameAncestors(res), "'self'", `${p} (${res.status}) stays frame-ancestors 'self'`);
    }
  });

  it('serves /embed.js as a script and /accessibilite as a page', async () => {
    const js = await c.get('/embed.js');
    assert.equal(js.status, 200);
    assert.match(js.headers['content-type'], /^application\/javascript/);
    assert.match(js.text, /palabre:height/);
    const a11y = await c.get('/accessibilite');
    assert.equal(a11y.status, 200);
    assert.match(a11y.text, /accessibility\.js/);
  });

  it('writes the debate\'s Open Graph and Twitter-card lines into the visitor page, escaped', async () => {
    const res = await c.get(`/e/${ev.id}`);
    assert.equal(res.status, 200);
    const html = res.text;
    const head = html.slice(0, html.indexOf('</head>'));
    const title = 'Budget &lt;2027&gt; &amp; &quot;quartiers&quot;';
    assert.match(head, new RegExp(`<title>${title} – Palabre</title>`));
    assert.equal((head.match(/<title>/g) || []).length, 1, 'one <title>');
    assert.ok(head.includes(`<meta property="og:title" content="${title}">`), head);
    assert.ok(head.includes(`<meta name="twitter:title" content="${title}">`));
    assert.ok(head.includes('<meta name="twitter:card" content="summary">'));
    assert.ok(head.includes('<meta property="og:type" content="website">'));
    assert.ok(head.includes('<meta property="og:site_name" content="Ville d’Ici">'));
    assert.ok(head.includes(`<meta property="og:url" content="${c.origin}/e/${ev.id}">`));
    assert.match(head, /<meta property="event:start_time" content="\d{4}-\d\d-\d\dT/);
    assert.match(head, /<meta property="og:description" content="[^"]+ — Les écoles, les parcs et les rues\.">/);
    assert.ok(!head.includes('<2027>'), 'nothing unescaped');
    assert.ok(!/<!--#/.test(html), 'every SSI command was processed');
  });

  it('an unknown debate gets the generic page, no card', async () => {
    const res = await c.get('/e/no-such-debate');
    assert.equal(res.status, 200);
    assert.match(res.text, /<title data-i18n="visitor.doc_title">/);
    assert.ok(!res.text.includes('og:title'));
  });

  it('a draft debate leaks nothing into the page', async (t) => {
    const res = await c.asAdmin().post('/api/events', { ...(await draftBody(c)), title: 'Projet secret' });
    if (res.status !== 201 || res.json.status !== 'draft') {
      t.skip('drafts are not in this build yet');
      return;
    }
    const page = await c.get(`/e/${res.json.id}`);
    assert.equal(page.status, 200);
    assert.ok(!page.text.includes('Projet secret'), 'no title of a draft');
    assert.ok(!page.text.includes('og:title'));
  });

  it('the internal head.html route is not reachable from outside', async () => {
    const res = await c.get(`/api/events/${ev.id}/head.html`);
    assert.ok(!/og:title/.test(res.text), `status ${res.status}`);
  });

  it('calendar.ics has a display alarm 30 minutes before', async () => {
    const res = await c.get(`/api/events/${ev.id}/calendar.ics`);
    assert.equal(res.status, 200);
    const ics = res.text.replace(/\r\n /g, '');
    assert.match(ics, /BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT30M\r\nDESCRIPTION:Budget <2027> & "quartiers"\r\nEND:VALARM\r\nEND:VEVENT/);
    for (const line of res.text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `folded: ${line}`);
  });

  it('the visitor page still loads when no worker answers', async () => {
    await c.killWorker(0);
    const res = await c.get(`/e/${ev.id}`);
    assert.equal(res.status, 200);
    assert.match(res.text, /<title data-i18n="visitor.doc_title">/);
    assert.match(res.text, /visitor\.js/);
    assert.ok(!res.text.includes('"code":'), 'no JSON error body inside the page');
  });
});

async function draftBody(c) {
  const { liveEventBody } = require('../support/cluster');
  return { ...liveEventBody({}), status: 'draft' };
}

describe('without PALABRE_EMBED_ORIGINS', () => {
  let c;
  before(async () => {
    c = await startCluster({ workers: 1, renderArgs: ['--embed-origins', ''] });
  });
  after(async () => {
    if (c) await c.stop();
  });

  it('the embed may be framed by Palabre itself only', async () => {
    const ev = await c.createEvent({ title: 'Sans liste' });
    const res = await c.get(`/e/${ev.id}/embed`);
    assert.equal(res.status, 200);
    assert.equal(frameAncestors(res), "'self'");
  });
});

describe('nginx/render --embed-origins', () => {
  const render = (origins) => {
    try {
      execFileSync('bash', [RENDER, '--out', '/tmp/plb-render-check', '--embed-origins', origins, '/tmp/w.sock'],
        { stdio: 'pipe', env: { ...process.env, PALABRE_EMBED_ORIGINS: '' } });
      return 0;
    } catch (e) {
      return e.status;
    }
  };
  it('refuses what is not a list of origins', () => {
    for (const bad of ['*', 'https://ville.example/path', 'ville.example', "'self'", 'https://a.example;script-src *',
      'javascript:alert(1)', 'https://a.example:70000', 'https://*.ville.example']) {
      assert.equal(render(bad), 2, `refused: ${bad}`);
    }
  });
  it('accepts origins with a port, an IPv6 address or a trailing slash', () => {
    assert.equal(render('https://www.ville.example http://localhost:8000/ http://[::1]:9000'), 0);
  });
});

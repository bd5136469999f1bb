'use strict';
// Palabre mounted under /palabre/ of a site, the way ops include
// nginx/palabre.conf in an existing server block: the API, the streams, the
// pages, the links Palabre hands out and its cookies all stay under the
// prefix, and nothing answers outside it.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, expectError, expectOk } = require('../support/cluster');

describe('Palabre under /palabre/', () => {
  let c;
  before(async () => { c = await startCluster({ workers: 1, prefix: '/palabre/' }); });
  after(async () => { if (c) await c.stop(); });

  it('answers health checks and the API under the prefix only', async () => {
    expectOk(await c.get('/healthz'), 200);
    assert.equal(c.path('/healthz'), '/palabre/healthz');
    const outside = await c.request('GET', `${c.origin}/api/events`);
    expectError(outside, 404, 'not_found', 'the API outside the prefix');
    expectError(await c.request('GET', `${c.origin}/healthz`), 404, 'not_found', '/healthz outside the prefix');
  });

  it('hands out links and cookies under the prefix', async () => {
    const ev = await c.createEvent({ title: 'Sous préfixe' });
    assert.equal(ev.url, `${c.origin}/palabre/e/${ev.id}`);
    const inv = await c.invite(ev.id);
    assert.ok(inv.moderator_url.startsWith(`${c.origin}/palabre/e/${ev.id}/moderate#t=`), inv.moderator_url);
    assert.ok(inv.guest_url.startsWith(`${c.origin}/palabre/e/${ev.id}/guest#t=`), inv.guest_url);
    const v = await c.join(ev.id, 'Camille');
    // A visitor's cookie is scoped to its debate's API, under the prefix.
    assert.match(v.cookieAttributes, new RegExp(`Path=/palabre/api/events/${ev.id}(;|$)`, 'i'), `visitor cookie path: ${v.cookieAttributes}`);
    const staff = await c.exchange(inv.moderator_token);
    assert.match(staff.cookieAttributes, /Path=\/palabre\/?(;|$)/i, `staff cookie path: ${staff.cookieAttributes}`);

    const pub = await c.sse(`/api/events/${ev.id}/stream`);
    assert.equal(pub.status, 200);
    const q = expectOk(await v.ask(ev.id, 'Sous le préfixe ?', 'fr'), 202).id;
    expectOk(await staff.act(ev.id, q, 'publish'), 200);
    await pub.waitFor((f) => f.event === 'message' && f.data.id === q, 10000, 'the question on the stream');
    pub.close();
    const poll = expectOk(await c.poll(`/api/events/${ev.id}/poll`), 200);
    assert.ok(poll.items.some((i) => i.data.id === q));
  });

  it('serves the pages under the prefix', async () => {
    for (const p of ['/', '/e/some-debate', '/e/some-debate/moderate', '/e/some-debate/guest', '/admin/']) {
      const res = await c.get(p);
      assert.equal(res.status, 200, `${c.path(p)}: ${res.status}`);
      assert.match(res.headers['content-type'], /^text\/html/);
    }
    const redirect = await c.get('/admin');
    assert.equal(redirect.status, 301);
    assert.match(redirect.headers.location, /\/palabre\/admin\/$/);
    expectError(await c.request('GET', `${c.origin}/e/some-debate`), 404, 'not_found', 'a page outside the prefix');
  });

  it('serves the plain view of a debate under the prefix, from nginx’s copy for a crowd', async () => {
    const ev = await c.createEvent({ title: 'Version texte sous préfixe' });
    const plain = `/api/events/${ev.id}/thread.html`;
    const res = await c.get(plain);
    assert.equal(res.status, 200, res.text);
    assert.match(res.text, /<h1>Version texte sous préfixe<\/h1>/);
    // Every link of the page stays under the prefix.
    const base = new URL(c.path(plain), c.origin);
    for (const [, href] of res.text.matchAll(/href="([^"#][^"]*)"/g)) {
      if (href.startsWith('data:')) continue;
      const target = new URL(href, base).pathname;
      assert.ok(target.startsWith('/palabre/'), `${href} → ${target}`);
    }
    const css = new URL(/<link rel="stylesheet" href="([^"]+)"/.exec(res.text)[1], base).href;
    assert.equal(css, `${c.origin}/palabre/assets/palabre.css`);
    assert.equal((await c.request('GET', css)).status, 200);
    // Without JavaScript, the visitor page's link gets there.
    const to = await c.get(`/e/${ev.id}?view=plain`);
    assert.equal(to.status, 302);
    assert.equal(new URL(to.headers.location, new URL(c.path(`/e/${ev.id}?view=plain`), c.origin)).pathname, c.path(plain));
    // nginx's location for the copy matches under the prefix.
    for (let i = 0; i < 20; i++) assert.equal((await c.get(plain)).status, 200);
    assert.equal((await c.get(plain)).headers['palabre-cache'], 'HIT');
    expectError(await c.request('GET', `${c.origin}${plain}`), 404, 'not_found', 'the plain view outside the prefix');
  });

  it('had no worker crash', () => {
    assert.deepEqual(c.unexpectedExits(), []);
  });
});

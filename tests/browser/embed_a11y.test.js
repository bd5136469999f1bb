'use strict';
// Issue 12, items 2, 3 and 7 in a browser:
// - /embed.js on a page of another origin frames /e/{id}/embed and resizes
//   it as the thread grows; a page of an origin not in the allow-list is
//   refused by the CSP (frame-ancestors);
// - the thread is a role="log" region that pauses and resumes, counting
//   the messages that arrive meanwhile;
// - the connection line does not say "En direct" on a closed debate, and a
//   page loaded after a phase change does not announce it as news (a change
//   seen while the page is open is);
// - a first visit of the index, a visitor page and the back-office makes
//   no failed request and logs no error; every page links the accessibility
//   statement, which axe-core finds without violation, as the embed.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const lib = require('./lib');
const { freePort } = require('../support/cluster');

// A page of "the city's site": embeds the debate with the one-line snippet.
function hostPage(palabreRoot, eventId) {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Site de la ville</title></head>
<body><main><h1>Site de la ville</h1>
<script src="${palabreRoot}embed.js" data-event="${eventId}" async></script>
</main></body></html>`;
}

function startHost(port, html) {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html());
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

// Every sentence the page puts into its #status region, from the start.
function recordStatus() {
  window.__said = [];
  document.addEventListener('DOMContentLoaded', () => {
    const s = document.getElementById('status');
    if (!s) return;
    new MutationObserver(() => {
      if (s.textContent) window.__said.push(s.textContent);
    }).observe(s, { childList: true, characterData: true, subtree: true });
  });
}

describe('embed, pausable thread, phase display, first visit, accessibility statement', () => {
  let stack;
  let browser;
  let host;
  let hostPort;
  let ev;
  let mod;

  before(async () => {
    if (process.env.PALABRE_BROWSER_URL) return;
    hostPort = await freePort();
    stack = await lib.startStack({ renderArgs: ['--embed-origins', `http://127.0.0.1:${hostPort}`] });
    ev = await stack.createEvent({ title: 'Débat sur le site de la ville' });
    const inv = await stack.invite(ev.id);
    mod = stack.bearer(inv.moderator_token, 'moderator', ev.id);
    host = await startHost(hostPort, () => hostPage(lib.pageUrl(stack, ''), ev.id));
    browser = await lib.launch();
  });

  after(async () => {
    if (browser) await browser.close();
    if (host) host.close();
    if (stack) await stack.stop();
  });

  const announce = async (text) => lib.expectOk(
    await mod.post(`/api/events/${ev.id}/announcements`, { text, lang: 'fr' }), 201, 'announce');

  it('the snippet frames the debate on an allowed origin and resizes it', async (t) => {
    if (!stack) return t.skip('needs a cluster started by the test');
    const page = await lib.openPage(browser);
    await page.goto(`http://127.0.0.1:${hostPort}/`);
    const iframe = page.locator('iframe[data-palabre-event]');
    await iframe.waitFor();
    assert.equal(await iframe.getAttribute('loading'), 'lazy');
    assert.ok(await iframe.getAttribute('title'), 'the frame has a title');
    const frame = page.frameLocator('iframe[data-palabre-event]');
    await frame.locator('#event-title', { hasText: 'Débat sur le site de la ville' }).waitFor();
    await frame.locator('#thread-log[aria-busy="false"]').waitFor({ state: 'attached' });
    const height = () => page.evaluate(() => document.querySelector('iframe').getBoundingClientRect().height);
    const content = () => page.frames()[1].evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
    await lib.waitInPage(page, () => document.querySelector('iframe').style.height !== '480px', null,
      { what: 'the first height from the frame' });
    assert.ok(Math.abs((await height()) - (await content())) <= 40, 'the frame fits its content');
    const before = await height();
    for (let i = 0; i < 4; i++) await announce(`Annonce numéro ${i + 1}, un texte assez long pour prendre de la place.`);
    await frame.locator('#thread > li').nth(3).waitFor();
    await lib.waitInPage(page, (h) => document.querySelector('iframe').getBoundingClientRect().height > h + 50, before,
      { what: 'the frame to grow with the thread' });
    const ask = frame.locator('#ask-link');
    assert.equal(await ask.getAttribute('target'), '_blank');
    assert.equal(await ask.getAttribute('href'), lib.pageUrl(stack, `e/${ev.id}`));
    await lib.assertNoProblems(page, 'host page');
    await page.context().close();
  });

  it('an origin not in the allow-list cannot frame it', async (t) => {
    if (!stack) return t.skip('needs a cluster started by the test');
    const page = await lib.openPage(browser);
    const refused = [];
    page.on('console', (m) => {
      if (/frame-ancestors/.test(m.text())) refused.push(m.text());
    });
    // localhost is another origin than 127.0.0.1 for the browser.
    await page.goto(`http://localhost:${hostPort}/`);
    await page.locator('iframe[data-palabre-event]').waitFor();
    const blocked = () => refused.length > 0
      || page.frames().some((f) => f !== page.mainFrame() && f.url().startsWith('chrome-error://'));
    const deadline = Date.now() + 10000;
    while (!blocked() && Date.now() < deadline) await lib.sleep(100);
    assert.ok(blocked(), 'the browser refused the frame');
    const inner = page.frames().find((f) => f !== page.mainFrame());
    assert.equal(await inner.locator('#event-title').count(), 0, 'nothing of the debate shows');
    await page.context().close();
  });

  it('the embed page itself passes axe-core', async (t) => {
    if (!stack) return t.skip('needs a cluster started by the test');
    const page = await lib.openPage(browser);
    await page.goto(lib.pageUrl(stack, `e/${ev.id}/embed`));
    await page.locator('#thread-log[aria-busy="false"]').waitFor({ state: 'attached' });
    await lib.assertAccessible(page, 'embed page');
    await lib.assertNoProblems(page, 'embed page');
    await page.context().close();
  });

  it('the thread pauses, counts what arrives, and shows it on resume', async (t) => {
    if (!stack) return t.skip('needs a cluster started by the test');
    const page = await lib.openPage(browser, { initScript: recordStatus });
    await page.goto(lib.pageUrl(stack, `e/${ev.id}`));
    await page.locator('#thread-log[aria-busy="false"]').waitFor({ state: 'attached' });
    assert.equal(await page.getAttribute('#thread-log', 'role'), 'log');
    assert.equal(await page.getAttribute('#thread-log', 'aria-live'), 'polite');
    const shown = await page.locator('#thread > li').count();
    const pause = page.getByRole('button', { name: 'Mettre le fil en pause' });
    await pause.click();
    assert.equal(await pause.getAttribute('aria-pressed'), 'true');
    assert.equal(await page.getAttribute('#thread-log', 'aria-live'), 'off', 'screen readers hear nothing while paused');
    for (const n of [1, 2, 3]) await announce(`Pendant la pause ${n}`);
    await page.locator('#thread-held[data-count="3"]').waitFor();
    assert.match(await page.textContent('#thread-held'), /3 nouveaux messages/);
    assert.equal(await page.locator('#thread > li').count(), shown, 'nothing added while paused');
    await lib.assertAccessible(page, 'visitor page with the thread paused');
    await pause.press('Enter');
    assert.equal(await pause.getAttribute('aria-pressed'), 'false');
    await page.locator('#thread > li', { hasText: 'Pendant la pause 3' }).waitFor();
    assert.equal(await page.locator('#thread > li').count(), shown + 3);
    assert.equal(await page.getAttribute('#thread-log', 'aria-live'), 'polite');
    assert.ok(await page.locator('#thread-held').isHidden());
    await lib.waitInPage(page, () => window.__said.some((s) => /3 nouveaux messages affichés/.test(s)), null,
      { what: 'the resume to be announced' });
    await lib.assertNoProblems(page, 'visitor page, pause and resume');
    await page.context().close();
  });

  it('a phase change before the page loaded is not news; one seen while open is, and "En direct" goes', async (t) => {
    if (!stack) return t.skip('needs a cluster started by the test');
    const other = await stack.createEvent({ title: 'Débat rouvert' });
    const admin = stack.asAdmin();
    lib.expectOk(await admin.patch(`/api/events/${other.id}`, { closed: true }), 200, 'close');
    lib.expectOk(await admin.patch(`/api/events/${other.id}`, { closed: false }), 200, 'reopen');
    const page = await lib.openPage(browser, { initScript: recordStatus });
    await page.goto(lib.pageUrl(stack, `e/${other.id}`));
    await lib.waitInPage(page, () => document.querySelector('#connection').dataset.state === 'open');
    await page.locator('#thread-log[aria-busy="false"]').waitFor({ state: 'attached' });
    // The quiet moment after the replay, and a little more.
    await lib.sleep(1000);
    assert.deepEqual(await page.evaluate(() => window.__said.filter((s) => /maintenant/.test(s))), [],
      'the replayed phase frames are not announced');
    assert.equal(await page.textContent('#connection'), 'En direct');
    assert.ok(await page.locator('#connection').isVisible());

    lib.expectOk(await admin.patch(`/api/events/${other.id}`, { closed: true }), 200, 'close again');
    await lib.waitInPage(page, () => window.__said.some((s) => /maintenant.*Terminé/.test(s)), null,
      { what: 'the change seen while open to be announced' });
    await lib.waitInPage(page, () => document.querySelector('#phase').textContent === 'Terminé');
    assert.ok(await page.locator('#connection').isHidden(), 'no "En direct" next to "Terminé"');
    await page.context().close();
  });

  it('no "En direct" on a scheduled debate', async (t) => {
    if (!stack) return t.skip('needs a cluster started by the test');
    const DAY = 86400000;
    const later = await stack.createEvent({
      title: 'Débat à venir', starts_at: lib.isoIn(7 * DAY), ends_at: lib.isoIn(7 * DAY + 3600000), questions_before: false,
    });
    const page = await lib.openPage(browser);
    await page.goto(lib.pageUrl(stack, `e/${later.id}`));
    await lib.waitInPage(page, () => document.querySelector('#connection').dataset.state === 'open');
    assert.ok(await page.locator('#connection').isHidden());
    await page.context().close();
  });

  it('a first visit makes no failed request, and every page links the accessibility statement', async (t) => {
    if (!stack) return t.skip('needs a cluster started by the test');
    for (const [rel, ready] of [['', '#live li'], [`e/${ev.id}`, '#thread-log[aria-busy="false"]'],
      ['admin/', '#signin:not([hidden])'], [`e/${ev.id}/embed`, '#thread-log[aria-busy="false"]'],
      ['accessibilite', '#statement:not([hidden])']]) {
      const page = await lib.openPage(browser);
      const failed = [];
      page.on('response', (r) => {
        if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
      });
      page.on('requestfailed', (r) => failed.push(`failed ${r.url()} ${r.failure() && r.failure().errorText}`));
      page.on('console', (m) => {
        if (m.type() === 'error') failed.push(`console: ${m.text()}`);
      });
      await page.goto(lib.pageUrl(stack, rel));
      await page.locator(ready).first().waitFor({ state: 'attached' });
      await lib.sleep(500);
      assert.deepEqual(failed, [], `first visit of /${rel}`);
      const link = page.locator('footer a[href$="accessibilite"]');
      assert.equal(await link.count(), 1, `/${rel} links the statement in its footer`);
      await page.context().close();
    }
  });

  it('the accessibility statement reads the site settings and passes axe-core', async (t) => {
    if (!stack) return t.skip('needs a cluster started by the test');
    const page = await lib.openPage(browser);
    await page.goto(lib.pageUrl(stack, 'accessibilite'));
    await page.locator('#statement:not([hidden])').waitFor();
    assert.equal(await page.textContent('h1'), 'Déclaration d’accessibilité');
    for (const name of ['État de conformité', 'Résultats des tests', 'Contenus non accessibles',
      'Établissement de cette déclaration d’accessibilité', 'Retour d’information et contact', 'Voies de recours']) {
      assert.equal(await page.getByRole('heading', { name, exact: true }).count(), 1, name);
    }
    const site = (await stack.get('/api/site')).json;
    const a = (site && site.accessibility) || {};
    if (!a.status || a.status === 'none') assert.match(await page.textContent('#conformity'), /non conforme/);
    if (a.rate === null || a.rate === undefined) assert.match(await page.textContent('#results'), /Pas encore audité/);
    if (!a.tools) assert.equal(await page.textContent('[data-field="tools"]'), 'Non renseigné.');
    assert.equal(await page.getByRole('link', { name: 'Écrire un message au Défenseur des droits' }).count(), 1);
    await lib.assertAccessible(page, 'accessibility statement');
    await lib.assertNoProblems(page, 'accessibility statement');

    // Filled in by the administrator (PUT /api/site): each field shows.
    lib.expectOk(await stack.asAdmin().put('/api/site', {
      organiser: 'Ville d’Exemple',
      accessibility: {
        status: 'partial', rate: 78.5, auditor: 'Cabinet Accès', audit_date: '2026-10-02', statement_date: '2026-10-15',
        contact_email: 'accessibilite@ville.example', contact_url: 'https://ville.example/contact',
        non_compliant: 'Les graphiques du tableau de bord n’ont pas d’alternative sonore.',
        tools: 'axe-core, NVDA 2024.4',
      },
    }), 200, 'PUT /api/site');
    await page.reload();
    await page.locator('#statement:not([hidden])').waitFor();
    assert.match(await page.textContent('#intro'), /^Ville d’Exemple s’engage/);
    assert.match(await page.textContent('#conformity'), /partiellement conforme/);
    assert.match(await page.textContent('#results'), /réalisé par Cabinet Accès le 2 octobre 2026 révèle que 78,5\s%/);
    assert.equal(await page.textContent('[data-field="non_compliant"]'), 'Les graphiques du tableau de bord n’ont pas d’alternative sonore.');
    assert.equal(await page.textContent('[data-field="tools"]'), 'axe-core, NVDA 2024.4');
    assert.equal(await page.textContent('[data-field="derogations"]'), 'Non renseigné.');
    assert.match(await page.textContent('#statement-date'), /15 octobre 2026/);
    assert.equal(await page.getAttribute('#contact a[href^="mailto:"]', 'href'), 'mailto:accessibilite@ville.example');
    assert.equal(await page.getAttribute('#contact a[href^="https:"]', 'href'), 'https://ville.example/contact');
    await lib.assertAccessible(page, 'accessibility statement, filled in');
    await lib.assertNoProblems(page, 'accessibility statement, filled in');
    await page.context().close();
  });
});

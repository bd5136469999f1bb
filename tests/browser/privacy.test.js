'use strict';
// The visitor page's "My data" panel (docs/PRIVACY.md): the download link
// gives the export, "erase my participation" asks for a confirmation (with
// the keyboard alone), erases, says so in the live region and leaves the
// visitor signed out; the published question is re-signed "anonyme" on a
// page already open. Both states pass axe. And a visit never asks another
// host than Palabre's own.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const lib = require('./lib');

// The organiser's site, as "localhost" (so that a request to it from the
// browser would show as another host than 127.0.0.1), with a certificate
// made now that the workers trust through PALABRE_LOGO_CA_FILE.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plb-site-'));
const certFile = path.join(dir, 'cert.pem');
const keyFile = path.join(dir, 'key.pem');
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile,
  '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
let siteHits = 0;
const site = https.createServer({ key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) }, (req, res) => {
  siteHits++;
  res.writeHead(200, { 'Content-Type': 'image/png' });
  res.end(PNG);
});

describe('a visitor exports and erases their participation from the page', () => {
  let stack;
  let browser;

  before(async () => {
    await new Promise((resolve) => site.listen(0, 'localhost', resolve));
    stack = await lib.startStack({ env: { PALABRE_LOGO_CA_FILE: certFile } });
    browser = await lib.launch();
  });
  after(async () => {
    if (browser) await browser.close();
    if (stack) await stack.stop();
    site.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('downloads, erases after a confirmation, and re-signs the published question on an open page', async () => {
    // A stack we did not start (PALABRE_BROWSER_URL) does not trust our site: no logo there.
    const withLogo = !process.env.PALABRE_BROWSER_URL;
    const logoUrl = `https://localhost:${site.address().port}/logo.png`;
    const ev = await stack.createEvent({ title: 'Mes données', languages: ['fr', 'en'], branding: withLogo ? { logo_url: logoUrl, organiser: 'Mairie' } : {} });
    if (withLogo) assert.equal(siteHits, 1, 'the worker fetched the logo once');
    const inv = await stack.invite(ev.id);
    const mod = stack.bearer(inv.moderator_token, 'moderator', ev.id);

    const page = await lib.visitAs(browser, stack, ev.id, 'Camille');
    // Every host the page asks must be Palabre's own.
    const hosts = new Set();
    page.context().on('request', (r) => hosts.add(new URL(r.url()).hostname));
    await lib.askOnPage(page, 'Une question à publier');
    await lib.myQuestion(page, 'Une question à publier').waitFor();
    await lib.askOnPage(page, 'Une question en attente');
    await lib.myQuestion(page, 'Une question en attente').waitFor();
    const queue = lib.expectOk(await mod.get(`/api/events/${ev.id}/queue`), 200, 'queue');
    const toPublish = queue.pending.find((q) => q.text === 'Une question à publier');
    lib.expectOk(await mod.act(ev.id, toPublish.id, 'publish'), 200, 'publish');

    // A second viewer keeps the debate open while the author erases.
    const viewer = await lib.visitAs(browser, stack, ev.id, null);
    await viewer.locator(`#thread li[data-id="${toPublish.id}"] .msg-author`, { hasText: 'Camille' }).waitFor();

    await page.waitForSelector('#my-data:not([hidden])');
    await lib.assertAccessible(page, 'visitor page with "My data"');
    const href = await page.getAttribute('#export-link', 'href');
    const exported = await page.evaluate(async (u) => {
      const r = await fetch(u, { credentials: 'same-origin' });
      return { status: r.status, disposition: r.headers.get('Content-Disposition'), json: await r.json() };
    }, href);
    assert.equal(exported.status, 200);
    assert.match(exported.disposition, /^attachment/);
    assert.equal(exported.json.name, 'Camille');
    assert.deepEqual(exported.json.questions.map((q) => q.text).sort(), ['Une question en attente', 'Une question à publier']);

    // Keyboard: the erase button, then the confirmation (focus on "cancel"
    // first), Escape backs out, then erase for real.
    await page.focus('#erase-start');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#erase-confirm:not([hidden])');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'erase-no');
    await lib.assertAccessible(page, 'the erase confirmation');
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'erase-start');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'erase-yes');
    await page.keyboard.press('Enter');

    await lib.waitInPage(page, () => /effacée/.test(document.querySelector('#status').textContent), null, { what: 'the erasure announced' });
    assert.equal(await page.getAttribute('#status', 'role'), 'status');
    await page.waitForSelector('#my-data', { state: 'hidden' });
    await page.waitForSelector('#join-form:not([hidden])');
    await viewer.locator(`#thread li[data-id="${toPublish.id}"] .msg-author`, { hasText: 'anonyme' }).waitFor();
    await page.locator(`#thread li[data-id="${toPublish.id}"] .msg-author`, { hasText: 'anonyme' }).waitFor();
    const queueAfter = lib.expectOk(await mod.get(`/api/events/${ev.id}/queue`), 200, 'queue after');
    assert.ok(!queueAfter.pending.some((q) => q.text === 'Une question en attente'), 'the pending question is gone');
    await lib.assertAccessible(page, 'visitor page after the erasure');
    await lib.assertNoProblems(page, 'visitor page');
    await lib.assertNoProblems(viewer, 'viewer page');

    // A fresh visit from the start: every request stays on 127.0.0.1.
    const fresh = await lib.openPage(browser);
    fresh.context().on('request', (r) => hosts.add(new URL(r.url()).hostname));
    await fresh.goto(lib.pageUrl(stack, `e/${ev.id}`));
    await fresh.waitForSelector('#join-form:not([hidden])');
    if (withLogo) {
      // The logo is shown, from Palabre's copy.
      const img = fresh.locator('#brand img');
      await img.waitFor();
      assert.match(await img.getAttribute('src'), new RegExp(`/api/events/${ev.id}/logo\\?v=`));
      await lib.waitInPage(fresh, () => {
        const i = document.querySelector('#brand img');
        return i && i.complete && i.naturalWidth === 1;
      }, null, { what: 'the logo loaded' });
      assert.equal(siteHits, 1, 'no browser asked the organiser\'s site');
    }
    await fresh.goto(lib.pageUrl(stack, ''));
    await fresh.waitForLoadState('networkidle').catch(() => {});
    assert.deepEqual([...hosts].filter((h) => h !== '127.0.0.1'), [], `requests only to 127.0.0.1: ${[...hosts]}`);
  });
});

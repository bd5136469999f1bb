'use strict';
// Shared helpers for the browser tests (tests/browser/*.test.js).
//
// A stack: by default a private cluster (tests/support/cluster.js: Redis, one
// worker, nginx serving static/). To drive a stack that already runs (e.g.
// `./dev up`), set PALABRE_BROWSER_URL (its mount point, e.g.
// http://127.0.0.1:8080/) and PALABRE_ADMIN_TOKEN.
//
// A browser: the system Chromium through playwright-core. Every page opened
// with openPage() records uncaught errors, console errors and
// Content-Security-Policy violations, so that a test can assert there were
// none (pageProblems()).

const fs = require('node:fs');
const path = require('node:path');
const assert = require('node:assert/strict');
const { chromium } = require('playwright-core');
const support = require('../support/cluster');

const SOURCE_DIR = path.resolve(process.env.PALABRE_SOURCE_DIR || path.join(__dirname, '..', '..'));

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-gpu',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

async function startStack(options = {}) {
  const external = process.env.PALABRE_BROWSER_URL;
  if (external) {
    const u = new URL(external);
    const prefix = u.pathname.endsWith('/') ? u.pathname : `${u.pathname}/`;
    // Reuse the harness's HTTP helpers (createEvent, invite, join, ...)
    // against a stack we did not start and will not stop.
    const c = new support.Cluster({ workers: 0, nginxWorkers: 1, prefix, env: {} }, '/nonexistent');
    c.port = Number(u.port || 80);
    c.origin = u.origin;
    c.url = u.origin + prefix.replace(/\/$/, '');
    c.adminToken = process.env.PALABRE_ADMIN_TOKEN;
    assert.ok(c.adminToken, 'PALABRE_ADMIN_TOKEN must be set with PALABRE_BROWSER_URL');
    c.stop = async () => {};
    return c;
  }
  return support.startCluster({ workers: 1, ...options });
}

/**
 * A picture of `page` for docs/GUIDE.md, named `name`.png: written next to
 * the build (build/screenshots/guide) so that a test run leaves the tree
 * clean; PALABRE_SCREENSHOT_DIR=docs refreshes the guide's pictures
 * (docs/guide/). The focus ring and the caret are hidden first.
 */
async function guideScreenshot(page, name, { fullPage = false } = {}) {
  const build = process.env.PALABRE_BUILD_DIR || path.join(SOURCE_DIR, 'build');
  const wanted = process.env.PALABRE_SCREENSHOT_DIR;
  const target = wanted ? path.resolve(SOURCE_DIR, wanted, 'guide') : path.join(build, 'screenshots', 'guide');
  fs.mkdirSync(target, { recursive: true });
  await page.screenshot({ path: path.join(target, `${name}.png`), fullPage, caret: 'hide' });
}

/** Absolute URL of a page below the stack's mount point: page(c, `e/${id}`). */
function pageUrl(c, rel = '') {
  return `${c.origin}${c.prefix}${rel}`;
}

function launch() {
  return chromium.launch({
    executablePath: process.env.PALABRE_CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

// Installed in every page before its scripts run: collects CSP violations.
function watchCsp() {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
  });
}

/**
 * A fresh context and page. opts: locale ('fr-FR'), viewport, reducedMotion,
 * javaScript (false: the pages' scripts do not run, as in a browser with
 * JavaScript off). Returns the page; page.problems collects errors.
 */
async function openPage(browser, opts = {}) {
  const context = await browser.newContext({
    locale: opts.locale || 'fr-FR',
    viewport: opts.viewport || { width: 1280, height: 900 },
    reducedMotion: opts.reducedMotion || 'reduce',
    timezoneId: opts.timezoneId || 'Europe/Paris',
    javaScriptEnabled: opts.javaScript !== false,
  });
  await context.addInitScript(watchCsp);
  if (opts.initScript) await context.addInitScript(opts.initScript);
  const page = await context.newPage();
  page.setDefaultTimeout(opts.timeout || 15000);
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    // Expected API answers (401 before joining, 409…) and dropped streams
    // are logged by Chromium as network errors; they are not page bugs.
    if (/Failed to load resource|net::ERR_|EventSource/.test(text)) return;
    page.problems.push(`console: ${text}`);
  });
  return page;
}

/** Errors, console errors and CSP violations the page has had so far. */
async function pageProblems(page) {
  let csp = [];
  try {
    csp = await page.evaluate(() => window.__cspViolations || []);
  } catch (_) {
    // Page closed or navigating.
  }
  return [...page.problems, ...csp.map((v) => `csp: ${v}`)];
}

async function assertNoProblems(page, what) {
  const problems = await pageProblems(page);
  assert.deepEqual(problems, [], `${what}: no script error, console error or CSP violation`);
}

// ---- axe-core ------------------------------------------------------------------

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Runs axe-core on the page (WCAG 2.0/2.1 A and AA); resolves the violations. */
async function axe(page) {
  // page.addScriptTag({content}) would add an inline <script>, which the
  // pages' Content-Security-Policy (script-src 'self') rightly blocks; the
  // same source evaluated through the DevTools protocol is not subject to it,
  // so the CSP stays on while axe runs.
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`),
    }));
  }, AXE_TAGS);
}

function formatViolations(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n');
}

async function assertAccessible(page, what) {
  const violations = await axe(page);
  assert.equal(violations.length, 0, `${what}: axe-core found violations:\n${formatViolations(violations)}`);
}

// ---- Waiting ---------------------------------------------------------------------

/** Polls page.evaluate(fn, arg) until truthy; returns its value. */
async function waitInPage(page, fn, arg, { timeout = 15000, what = 'a condition in the page' } = {}) {
  try {
    const handle = await page.waitForFunction(fn, arg, { timeout, polling: 100 });
    return handle.jsonValue();
  } catch (e) {
    throw new Error(`timed out after ${timeout} ms waiting for ${what}: ${e.message.split('\n')[0]}`);
  }
}

/** Presses Tab (or Shift+Tab) until the element matching selector has focus, if it has not already; returns the stops on the way. */
async function tabTo(page, selector, { max = 40, shift = false } = {}) {
  const stops = [];
  if (await page.evaluate((sel) => !!(document.activeElement && document.activeElement.matches(sel)), selector)) {
    return stops;
  }
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
    const info = await page.evaluate((sel) => {
      const a = document.activeElement;
      const desc = a ? `${a.tagName.toLowerCase()}${a.id ? `#${a.id}` : ''}${a.getAttribute('name') ? `[name=${a.getAttribute('name')}]` : ''} "${(a.textContent || a.value || '').trim().slice(0, 30)}"` : 'none';
      return { match: !!(a && a.matches(sel)), desc };
    }, selector);
    stops.push(info.desc);
    if (info.match) return stops;
  }
  throw new Error(`${selector} not reached with ${max} Tab presses; focus went: ${stops.join(' → ')}`);
}

/** No horizontal scrolling: the document is no wider than the viewport. */
async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const over = doc.scrollWidth - doc.clientWidth;
    if (over <= 0) return null;
    // Name the widest offenders to make the failure useful.
    const wide = Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > doc.clientWidth + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${el.className} right=${Math.round(el.getBoundingClientRect().right)}`);
    return `${over}px wider than the viewport: ${wide.join(', ')}`;
  });
}

// ---- Streams and requests seen by a page ------------------------------------------

// Runs in the page before its scripts (openPage({initScript})): keeps every
// EventSource it creates in window.__sources and counts the `reset` frames
// they receive in window.__resets.
function recordEventSources() {
  const Native = window.EventSource;
  window.__sources = [];
  window.__resets = 0;
  window.EventSource = class extends Native {
    constructor(url, init) {
      super(url, init);
      window.__sources.push(this);
      this.addEventListener('reset', () => { window.__resets += 1; });
    }
  };
}

/**
 * Cuts the page's newest EventSource whose URL matches `pattern` (a string
 * searched in the URL), as a network drop does: closed, then its error event.
 * With {required: false}, none being open (the page is already between two
 * attempts) is not an error.
 */
async function dropStream(page, pattern, { required = true } = {}) {
  const dropped = await page.evaluate((p) => {
    const all = (window.__sources || []).filter((es) => es.readyState !== 2 && es.url.includes(p));
    const es = all[all.length - 1];
    if (!es) return false;
    es.close();
    es.dispatchEvent(new Event('error'));
    return true;
  }, pattern);
  if (required) assert.ok(dropped, `an open EventSource whose URL contains ${pattern}`);
}

/** An SSE body: frames {id, event, raw} (raw = the data line, already JSON). */
function sseText(frames) {
  return frames.map((f) => `${f.id ? `id: ${f.id}\n` : ''}event: ${f.event}\ndata: ${f.raw}\n\n`).join('');
}

const SSE_HEADERS = { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' };

/**
 * Intercepts the page's requests matching `pattern` and records them
 * ({method, url, key: the Idempotency-Key header, at}) in the returned array.
 * `answer(route, n, request)` handles the n-th (1-based); by default every
 * request goes on to the server.
 */
async function recordRoute(page, pattern, answer = (route) => route.continue()) {
  const seen = [];
  await page.route(pattern, async (route) => {
    const request = route.request();
    seen.push({
      method: request.method(),
      url: request.url(),
      key: (await request.allHeaders())['idempotency-key'] || null,
      at: Date.now(),
    });
    await answer(route, seen.length, request);
  });
  return seen;
}

const IDEMPOTENCY_KEY_RE = /^[A-Za-z0-9_-]{8,128}$/;

// The visitor page of a debate, joined under `name` (or not joined when
// name is falsy), ready to ask.
async function visitAs(browser, stack, eventId, name) {
  const page = await openPage(browser);
  await page.goto(pageUrl(stack, `e/${eventId}`));
  if (name) {
    await page.waitForSelector('#join-form:not([hidden])');
    await page.fill('#join-name', name);
    await page.press('#join-name', 'Enter');
    await page.waitForSelector('#ask-form:not([hidden])');
  }
  return page;
}

async function askOnPage(page, text) {
  await page.fill('#question', text);
  await page.click('#ask-submit');
}

// The visitor's own question in "My questions".
function myQuestion(page, text) {
  return page.locator('#my-questions li', { hasText: text });
}

module.exports = {
  guideScreenshot,
  visitAs,
  askOnPage,
  myQuestion,
  SOURCE_DIR,
  startStack,
  pageUrl,
  launch,
  openPage,
  pageProblems,
  assertNoProblems,
  axe,
  assertAccessible,
  formatViolations,
  waitInPage,
  tabTo,
  horizontalOverflow,
  liveEventBody: support.liveEventBody,
  isoIn: support.isoIn,
  waitUntil: support.waitUntil,
  sleep: support.sleep,
  expectOk: support.expectOk,
  recordEventSources,
  dropStream,
  sseText,
  SSE_HEADERS,
  recordRoute,
  IDEMPOTENCY_KEY_RE,
};

'use strict';
// The visitor page says clearly why a question cannot be sent (debate not
// open yet, closed, too fast, banned, server unreachable) and never loses a
// question silently: it is shown as "failed" with a retry button, kept across
// a reload, and sent again by itself after a rate limit. With the workers'
// clock moved (the test clock of PALABRE_TEST_HOOKS builds), the page
// follows a debate from "À venir" to "Terminé" without a reload, and a page
// loaded after a change does not announce it again.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const lib = require('./lib');

const DAY = 86400 * 1000;
const HOUR = 3600 * 1000;

// The workers' clock: system time plus the offset (ms) in this file
// (fcgi/core/test_clock.hpp). The browser's own clock is not moved.
const clockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plb-clock-'));
const clockFile = path.join(clockDir, 'offset_ms');
fs.writeFileSync(clockFile, '0');
const moveClock = (ms) => fs.writeFileSync(clockFile, String(Math.round(ms)));

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

describe('the visitor page explains every state and never loses a question', () => {
  let stack;
  let browser;
  let admin;

  before(async () => {
    // Two questions per 4 s, so that the rate limit is easy to reach.
    stack = await lib.startStack({
      env: { PALABRE_QUESTIONS_PER_WINDOW: '2', PALABRE_QUESTION_WINDOW_S: '4', PALABRE_TEST_CLOCK_FILE: clockFile },
    });
    admin = stack.asAdmin();
    browser = await lib.launch();
  });

  after(async () => {
    moveClock(0);
    if (browser) await browser.close();
    if (stack) await stack.stop();
    fs.rmSync(clockDir, { recursive: true, force: true });
  });

  const visit = (eventId, name) => lib.visitAs(browser, stack, eventId, name);

  const ask = lib.askOnPage;

  const mine = lib.myQuestion;

  it('before a debate that takes no early questions, the box is disabled and says when it opens', async () => {
    const ev = await stack.createEvent({
      title: 'Débat de la semaine prochaine',
      starts_at: lib.isoIn(7 * DAY),
      ends_at: lib.isoIn(7 * DAY + 3600 * 1000),
      questions_before: false,
    });
    assert.equal(ev.phase, 'scheduled');
    const page = await visit(ev.id, 'Inès');
    assert.equal(await page.textContent('#phase'), 'À venir');
    // The countdown, in whole units of the page's language.
    assert.match(await page.textContent('#countdown'), /^Début dans (6\sjours et 23\sheures|7\sjours)$/);
    assert.ok(await page.isDisabled('#question'));
    assert.ok(await page.isDisabled('#ask-submit'));
    assert.match(await page.textContent('#ask-closed'), /seront ouvertes au début du débat, le/);
    const described = await page.getAttribute('#question', 'aria-describedby');
    assert.match(described, /ask-closed/, 'the explanation is tied to the box for screen readers');
    await lib.assertAccessible(page, 'visitor page of a scheduled debate');
    await page.context().close();
  });

  it('when the start time comes, the box opens by itself', async () => {
    const ev = await stack.createEvent({
      title: 'Débat qui commence dans un instant',
      starts_at: lib.isoIn(4000),
      ends_at: lib.isoIn(3600 * 1000),
      questions_before: false,
    });
    const page = await visit(ev.id, 'Ponctuel');
    assert.ok(await page.isDisabled('#question'));
    assert.equal(await page.textContent('#countdown'), 'Début dans moins d’une minute');
    await lib.waitInPage(page, () => !document.querySelector('#question').disabled, null,
      { what: 'the box to open at the start time', timeout: 30000 });
    assert.equal(await page.textContent('#phase'), 'En direct');
    assert.equal(await page.isHidden('#countdown-item'), true, 'the countdown is gone once live');
    await ask(page, 'Première question dès l’ouverture');
    await mine(page, 'Première question').locator('[data-status="pending"]').waitFor();
    await page.context().close();
  });

  it('on a closed debate the page says it is over and offers no form', async () => {
    const ev = await stack.createEvent({ title: 'Débat terminé' });
    lib.expectOk(await admin.patch(`/api/events/${ev.id}`, { closed: true }), 200, 'close');
    const page = await visit(ev.id);
    await page.waitForSelector('#participate-closed:not([hidden])');
    assert.match(await page.textContent('#participate-closed'), /terminé/);
    assert.ok(await page.isHidden('#join-form'));
    assert.equal(await page.textContent('#phase'), 'Terminé');
    await page.context().close();
  });

  it('a visitor who joins before the page\'s first look at "my questions" has come back stays joined', async () => {
    // On a slow network the page's first GET my-questions (401 for a
    // newcomer) may come back after the visitor has already joined.
    const ev = await stack.createEvent({ title: 'Débat, réseau lent' });
    const page = await lib.openPage(browser);
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    let first = true;
    let given = false;
    await page.route(/\/my-questions$/, async (route) => {
      if (!first) return route.continue();
      first = false;
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
      given = true;
    });
    await page.goto(lib.pageUrl(stack, `e/${ev.id}`));
    await page.waitForSelector('#join-form:not([hidden])');
    await page.fill('#join-name', 'Rapide');
    await page.press('#join-name', 'Enter');
    await page.waitForSelector('#ask-form:not([hidden])');
    release();
    await lib.waitUntil(async () => given, { what: 'the held answer to be given' });
    await lib.sleep(300);
    assert.ok(await page.isVisible('#ask-form'), 'the question box stays after the late 401');
    assert.ok(await page.isHidden('#join-form'), 'the join form does not come back');
    await ask(page, 'Question après un accueil lent');
    await mine(page, 'Question après un accueil lent').locator('[data-status="pending"]').waitFor();
    await page.context().close();
  });

  it('when the staff close the debate during the visit, the box turns off live', async () => {
    const ev = await stack.createEvent({ title: 'Débat clos en direct' });
    const page = await visit(ev.id, 'Noé');
    assert.ok(await page.isEnabled('#question'));
    await lib.waitInPage(page, () => document.querySelector('#connection').dataset.state === 'open');
    lib.expectOk(await admin.patch(`/api/events/${ev.id}`, { closed: true }), 200, 'close');
    await lib.waitInPage(page, () => document.querySelector('#question').disabled, null,
      { what: 'the question box to be disabled by the phase frame' });
    assert.equal(await page.textContent('#phase'), 'Terminé');
    assert.match(await page.textContent('#ask-closed'), /terminé/);
    await page.context().close();
  });

  it('a question refused for going too fast is sent again by itself after Retry-After', async (t) => {
    if (process.env.PALABRE_BROWSER_URL) {
      t.skip('needs the small rate limit of a cluster started by the test');
      return;
    }
    const ev = await stack.createEvent({ title: 'Débat très suivi' });
    const page = await visit(ev.id, 'Rapide');
    await ask(page, 'Première question');
    await mine(page, 'Première question').locator('[data-status="pending"]').waitFor();
    await ask(page, 'Deuxième question');
    await mine(page, 'Deuxième question').locator('[data-status="pending"]').waitFor();
    await ask(page, 'Troisième question, une de trop');
    const third = mine(page, 'Troisième question');
    await third.locator('[data-status="failed"]').waitFor();
    assert.match(await third.locator('.notice.error').textContent(), /trop vite.*automatique dans \d+/);
    assert.match(await page.textContent('#ask-error'), /trop vite/);
    // No click: the page retries after Retry-After (at most 4 s here).
    await third.locator('[data-status="pending"]').waitFor({ timeout: 20000 });
    assert.equal(await page.locator('#my-questions [data-status="pending"]').count(), 3);
    await page.context().close();
  });

  it('a question that cannot reach the server shows "failed" with a retry button, and retrying sends it', async () => {
    const ev = await stack.createEvent({ title: 'Débat, réseau capricieux' });
    const page = await visit(ev.id, 'Hors-ligne');
    const pattern = /\/api\/events\/[^/]+\/questions$/;
    await page.route(pattern, (route) => route.abort('internetdisconnected'));
    await ask(page, 'Question envoyée sans réseau');
    const item = mine(page, 'Question envoyée sans réseau');
    await item.locator('[data-status="failed"]').waitFor();
    assert.equal(await item.locator('[data-status="failed"]').textContent(), 'Échec de l’envoi');
    assert.match(await item.locator('.notice.error').textContent(), /ne répond pas/);
    assert.equal(await page.inputValue('#question'), '', 'the text lives on in the list, not lost');

    // Still there after a reload (kept in localStorage until acknowledged).
    await page.reload();
    await page.waitForSelector('#ask-form:not([hidden])');
    await mine(page, 'Question envoyée sans réseau').getByRole('button', { name: 'Réessayer' }).waitFor();

    await page.unroute(pattern);
    await mine(page, 'Question envoyée sans réseau').getByRole('button', { name: 'Réessayer' }).click();
    await mine(page, 'Question envoyée sans réseau').locator('[data-status="pending"]').waitFor();
    assert.equal(await page.locator('#my-questions li', { hasText: 'Question envoyée sans réseau' }).count(), 1);
    const queue = lib.expectOk(await admin.get(`/api/events/${ev.id}/queue`), 200, 'queue');
    assert.deepEqual(queue.pending.map((q) => q.text), ['Question envoyée sans réseau'], 'sent exactly once');
    await page.context().close();
  });

  it('one browser takes part in two debates, each with its own cookie, pseudonym and questions', async () => {
    const a = await stack.createEvent({ title: 'Premier débat du soir' });
    const b = await stack.createEvent({ title: 'Second débat du soir' });
    const pageA = await visit(a.id, 'Noor');
    // Joined in A is not joined in B: B's page asks for a pseudonym.
    const pageB = await pageA.context().newPage();
    await pageB.goto(lib.pageUrl(stack, `e/${b.id}`));
    await pageB.waitForSelector('#join-form:not([hidden])');
    await pageB.fill('#join-name', 'Noor au second');
    await pageB.press('#join-name', 'Enter');
    await pageB.waitForSelector('#ask-form:not([hidden])');

    await ask(pageA, 'Une question pour le premier débat');
    await ask(pageB, 'Une question pour le second débat');
    await mine(pageA, 'Une question pour le premier débat').waitFor();
    await mine(pageB, 'Une question pour le second débat').waitFor();

    // After a reload each page is still joined, with its own questions only.
    await pageA.reload();
    await pageA.waitForSelector('#ask-form:not([hidden])');
    await mine(pageA, 'Une question pour le premier débat').waitFor();
    assert.equal(await mine(pageA, 'Une question pour le second débat').count(), 0);

    const prefix = new URL(lib.pageUrl(stack)).pathname;
    const paths = (await pageA.context().cookies()).filter((k) => k.name === 'palabre_v').map((k) => k.path).sort();
    assert.deepEqual(paths, [`${prefix}api/events/${a.id}`, `${prefix}api/events/${b.id}`].sort(), 'one cookie per debate');
    for (const [ev, text] of [[a.id, 'Une question pour le premier débat'], [b.id, 'Une question pour le second débat']]) {
      const q = await admin.get(`/api/events/${ev}/queue`);
      assert.equal(q.status, 200);
      assert.deepEqual(q.json.pending.map((x) => x.text), [text], `the queue of ${ev}`);
    }
    await lib.assertNoProblems(pageA, 'visitor page of the first debate');
    await pageA.context().close();
  });

  it('slow mode shows under the box, live, and a timed-out visitor is told for how long', async () => {
    const ev = await stack.createEvent({ title: 'Débat en mode lent' });
    const page = await visit(ev.id, 'Patient');
    assert.ok(await page.isHidden('#ask-slow'));
    await lib.waitInPage(page, () => document.querySelector('#connection').dataset.state === 'open');
    lib.expectOk(await admin.patch(`/api/events/${ev.id}`, { slow_mode_s: 45 }), 200, 'slow mode');
    await page.waitForSelector('#ask-slow:not([hidden])');
    assert.match(await page.textContent('#ask-slow'), /une question toutes les 45.secondes/);
    assert.match(await page.getAttribute('#question', 'aria-describedby'), /ask-slow/);
    await page.reload();
    await page.waitForSelector('#ask-slow:not([hidden])');
    lib.expectOk(await admin.patch(`/api/events/${ev.id}`, { slow_mode_s: 0 }), 200, 'slow mode off');
    await page.waitForSelector('#ask-slow', { state: 'hidden' });

    const visitorId = await page.evaluate(async (id) => {
      const r = await fetch(`../../api/events/${id}/me/export`);
      return (await r.json()).visitor_id;
    }, ev.id);
    lib.expectOk(await admin.post(`/api/events/${ev.id}/timeouts`, { visitor_id: visitorId, seconds: 600 }), 201, 'timeout');
    await ask(page, 'Une question pendant la pause');
    const item = mine(page, 'Une question pendant la pause');
    await item.locator('[data-status="failed"]').waitFor();
    assert.match(await item.textContent(), /suspendu vos questions pour un moment/);
    await lib.assertAccessible(page, 'visitor page in slow mode, timed out');
    await page.context().close();
  });

  it('a banned visitor is told so and the box turns off', async () => {
    const ev = await stack.createEvent({ title: 'Débat avec exclusion' });
    const page = await visit(ev.id, 'Troll');
    await ask(page, 'Un message désagréable');
    await mine(page, 'Un message désagréable').locator('[data-status="pending"]').waitFor();
    const queue = lib.expectOk(await admin.get(`/api/events/${ev.id}/queue`), 200, 'queue');
    const visitorId = queue.pending[0].visitor_id;
    // Published first, so that nothing of theirs is pending: the page then
    // stops refreshing "my questions" and learns of the ban from its next post.
    lib.expectOk(await admin.post(`/api/events/${ev.id}/questions/${queue.pending[0].id}/publish`), 200, 'publish');
    await mine(page, 'Un message désagréable').locator('[data-status="published"]').waitFor();
    lib.expectOk(await admin.post(`/api/events/${ev.id}/bans`, { visitor_id: visitorId, reason: 'insultes' }), 201, 'ban');
    await ask(page, 'Encore un');
    await mine(page, 'Encore un').locator('[data-status="failed"]').waitFor();
    assert.match(await page.textContent('#ask-error'), /exclu/);
    assert.ok(await page.isDisabled('#question'));
    assert.match(await page.textContent('#ask-closed'), /exclu/);
    await lib.assertNoProblems(page, 'banned visitor page');
    await page.context().close();
  });

  it('the page follows the debate from "À venir" to live, late questions and "Terminé" without a reload, and a reload announces nothing', async (t) => {
    if (process.env.PALABRE_BROWSER_URL || !stack.logs(100000).includes('test hooks compiled in')) {
      t.skip('needs workers built with -DPALABRE_TEST_HOOKS=ON, started by the test, to move their clock');
      return;
    }
    // Starts in an hour, lasts an hour, then takes questions for a day.
    const ev = await stack.createEvent({
      title: 'Débat à l’horloge avancée',
      starts_at: lib.isoIn(HOUR),
      ends_at: lib.isoIn(2 * HOUR),
      questions_before: false,
      late_questions_days: 1,
    });
    assert.equal(ev.phase, 'scheduled');
    const page = await lib.openPage(browser, { initScript: recordStatus });
    await page.goto(lib.pageUrl(stack, `e/${ev.id}`));
    await page.waitForSelector('#join-form:not([hidden])');
    await page.fill('#join-name', 'Horloge');
    await page.press('#join-name', 'Enter');
    await page.waitForSelector('#ask-form:not([hidden])');
    await lib.waitInPage(page, () => document.querySelector('#connection').dataset.state === 'open', null,
      { what: 'the live connection' });
    const said = () => page.evaluate(() => window.__said.filter((s) => /maintenant/.test(s)));
    const phaseIs = (text) => lib.waitInPage(page, (want) => document.querySelector('#phase').textContent === want, text,
      { what: `the phase "${text}" on the page`, timeout: 20000 });

    // Before: no "En direct" anywhere, the box closed until the start.
    assert.equal(await page.textContent('#phase'), 'À venir');
    assert.ok(await page.locator('#connection').isHidden(), 'no connection line before the debate');
    assert.ok(await page.isDisabled('#question'));
    assert.match(await page.textContent('#ask-closed'), /seront ouvertes au début du débat/);
    assert.ok(await page.locator('#late-note').isHidden());

    // The start, seen live: announced once, "En direct" shows, the box opens.
    moveClock(HOUR + 5000);
    await phaseIs('En direct');
    await lib.waitInPage(page, () => !document.querySelector('#question').disabled, null, { what: 'the box to open' });
    await lib.waitInPage(page, () => window.__said.some((s) => /maintenant.*En direct/.test(s)), null,
      { what: 'the start to be announced' });
    assert.ok(await page.locator('#connection').isVisible());
    assert.equal(await page.textContent('#connection'), 'En direct');

    // The end: late questions, until when, and no "En direct" any more.
    moveClock(2 * HOUR + 5000);
    await phaseIs('Questions après le débat');
    await lib.waitInPage(page, () => window.__said.some((s) => /maintenant.*Questions après le débat/.test(s)), null,
      { what: 'the end to be announced' });
    const until = new Date(Date.parse(ev.ends_at) + DAY);
    await page.waitForSelector('#late-note:not([hidden])');
    const note = await page.textContent('#late-note');
    assert.match(note, /^Le débat est terminé — vous pouvez encore poser des questions jusqu’au .+\.$/);
    assert.ok(note.includes(String(until.getFullYear())) && note.includes(until.toLocaleDateString('fr-FR', { month: 'long', timeZone: 'Europe/Paris' })),
      `the note names the day questions close: ${note}`);
    assert.match(await page.getAttribute('#question', 'aria-describedby'), /late-note/);
    assert.ok(await page.isEnabled('#question'), 'late questions are still taken');
    assert.notEqual(await page.textContent('#connection'), 'En direct');
    assert.deepEqual(await said(), ['Le débat est maintenant\u00a0: En direct.', 'Le débat est maintenant\u00a0: Questions après le débat.'],
      'each change announced once');
    await ask(page, 'Une question après le débat');
    await mine(page, 'Une question après le débat').locator('[data-status="pending"]').waitFor();
    await lib.assertAccessible(page, 'visitor page during late questions');

    // A reload after those changes: the page shows the phase and says nothing.
    await page.reload();
    await page.waitForSelector('#ask-form:not([hidden])');
    await lib.waitInPage(page, () => document.querySelector('#connection').dataset.state === 'open');
    await page.locator('#thread-log[aria-busy="false"]').waitFor({ state: 'attached' });
    await lib.sleep(1500);
    assert.equal(await page.textContent('#phase'), 'Questions après le débat');
    assert.ok(await page.locator('#late-note').isVisible());
    assert.deepEqual(await said(), [], 'the replayed phase frames are not news after a reload');

    // The end of late questions, live: "Terminé", no connection line.
    moveClock(2 * HOUR + DAY + 5000);
    await phaseIs('Terminé');
    await lib.waitInPage(page, () => window.__said.some((s) => /maintenant.*Terminé/.test(s)), null,
      { what: 'the close to be announced' });
    await lib.waitInPage(page, () => document.querySelector('#question').disabled, null, { what: 'the box to close' });
    assert.ok(await page.locator('#connection').isHidden(), 'no "En direct" next to "Terminé"');
    assert.ok(await page.locator('#late-note').isHidden());
    assert.deepEqual(await said(), ['Le débat est maintenant\u00a0: Terminé.'], 'announced once');

    // And reloaded once closed: the archive, quietly.
    await page.reload();
    await page.waitForSelector('#archive:not([hidden])');
    await lib.sleep(1500);
    assert.equal(await page.textContent('#phase'), 'Terminé');
    assert.ok(await page.locator('#connection').isHidden());
    assert.deepEqual(await said(), [], 'nothing announced on a closed debate\'s page');
    await lib.assertNoProblems(page, 'visitor page across the phases');
    await page.context().close();
    moveClock(0);
  });
});

'use strict';
// A busy room with two moderators, each in their own browser and with their
// own labelled invite, on the same debate: Anne (French interface) and Bruno
// (English interface). They share one compact queue: what one opens, the
// other sees as "handled by"; what one decides leaves the other's queue
// within a second. Then the rest of the console: filters, bulk rejection
// with a reason the author sees, merging, the guest's order by keyboard,
// prepared answers, a live poll, slow mode and the shield, the audit log,
// a keyboard-only run, axe-core on every part, and a queue of 500.
//
// Visitors act through the API (lib/stack helpers), as other tests do.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');

const ANNE = 'Anne (communication)';
const BRUNO = 'Bruno (bénévole)';

describe('two moderators share a busy room', () => {
  let stack;
  let browser;
  let ev;
  let anne;          // Anne's console (page)
  let bruno;         // Bruno's console (page)
  let annePage;
  let mod;           // Anne's invite, as Bearer, for checks through the API
  let camille;
  let denis;
  const q = {};      // name → question id

  async function ask(visitor, text, lang = 'fr') {
    return lib.expectOk(await visitor.ask(ev.id, text, lang), 202, `ask "${text}"`).id;
  }

  const row = (page, id) => page.locator(`#pending > li[data-id="${id}"]`);

  async function openRow(page, id) {
    await row(page, id).locator('.q-toggle').click();
    await row(page, id).locator('.q-detail').waitFor();
  }

  async function inQueue(page, ids) {
    for (const id of ids) await row(page, id).waitFor();
  }

  async function shownIds(page) {
    return page.$$eval('#pending > li', (els) => els.map((e) => e.dataset.id));
  }

  async function queue() {
    return lib.expectOk(await mod.get(`/api/events/${ev.id}/queue`), 200, 'GET queue');
  }

  before(async () => {
    stack = await lib.startStack();
    // Questions open an hour before the debate; the debate then starts
    // (PATCH starts_at), so that some questions were "asked before".
    ev = await stack.createEvent({
      title: 'Conseil municipal : le plan vélo',
      starts_at: lib.isoIn(3600 * 1000),
      ends_at: lib.isoIn(4 * 3600 * 1000),
      languages: ['fr', 'en'],
      guests: [{ name: 'Anne Martin', role: 'Maire' }],
    });
    const admin = stack.asAdmin();
    const invA = lib.expectOk(await admin.post(`/api/events/${ev.id}/invites`, { role: 'moderator', label: ANNE }), 201, 'invite Anne');
    const invB = lib.expectOk(await admin.post(`/api/events/${ev.id}/invites`, { role: 'moderator', label: BRUNO }), 201, 'invite Bruno');
    assert.match(invA.url, /\/moderate#t=/);
    mod = stack.bearer(invA.token, 'moderator', ev.id);
    lib.expectOk(await mod.put(`/api/events/${ev.id}/word-filters`, { items: [{ pattern: 'arnaq*', lang: '' }] }), 200, 'word filters');

    camille = await stack.join(ev.id, 'Camille');
    denis = await stack.join(ev.id, 'Denis', { lang: 'en' });
    q.before1 = await ask(camille, 'Avant le débat : combien coûtera la piste de la rue Haute ?');
    q.before2 = await ask(denis, 'Before the debate: will the bike lanes be lit at night?', 'en');
    // Times are kept to the second: the debate starts in the next one.
    await lib.sleep(1100);
    lib.expectOk(await admin.patch(`/api/events/${ev.id}`, { starts_at: lib.isoIn(0) }), 200, 'the debate starts');

    q.claim = await ask(camille, 'Pourquoi la piste cyclable s’arrête-t-elle au pont ?');
    q.flagged = await ask(denis, 'Ce projet est une arnaque, qui en profite ?');
    q.english = await ask(denis, 'How many parking spaces will be removed?', 'en');
    q.dup1 = await ask(camille, 'Et le stationnement des vélos à la gare ?');
    q.dup2 = await ask(denis, 'Des arceaux vélo à la gare, c’est prévu ?');
    q.bulk1 = await ask(camille, 'Hors sujet : la cantine du collège');
    q.bulk2 = await ask(camille, 'Hors sujet : le marché de Noël');
    q.velo = await ask(denis, 'Le vélo-école pour les enfants continuera-t-il ?');

    browser = await lib.launch();
    annePage = await lib.openPage(browser, { locale: 'fr-FR' });
    anne = annePage;
    bruno = await lib.openPage(browser, { locale: 'en-GB' });
    await anne.goto(invA.url);
    await bruno.goto(invB.url);
    for (const page of [anne, bruno]) {
      await page.waitForSelector('#console:not([hidden])');
      await lib.waitInPage(page, () => document.querySelector('#connection').dataset.state === 'open', null,
        { what: 'the staff stream to open' });
    }
  });

  after(async () => {
    if (browser) await browser.close();
    if (stack) await stack.stop();
  });

  it('both consoles show the shared queue, one line per question, with the counters', async () => {
    const ids = [q.before1, q.before2, q.claim, q.flagged, q.english, q.dup1, q.dup2, q.bulk1, q.bulk2, q.velo];
    for (const page of [anne, bruno]) {
      await inQueue(page, ids);
      assert.deepEqual(await shownIds(page), ids, 'oldest first');
      assert.equal(await page.textContent('#count-pending'), '10');
      assert.equal(await page.textContent('#count-flagged'), '1');
    }
    // One line each: no line is much taller than a button.
    const heights = await anne.$$eval('#pending > li', (els) => els.map((e) => e.getBoundingClientRect().height));
    assert.ok(Math.max(...heights) < 60, `compact lines (${Math.max(...heights)} px)`);
    assert.equal(await row(bruno, q.flagged).locator('.badge[data-status="flagged"]').textContent(), 'Flagged');
    assert.equal(await row(anne, q.claim).locator('.q-toggle').getAttribute('aria-expanded'), 'false');
    assert.equal(await anne.locator('#pending .q-detail').count(), 0, 'actions are built only when a line is opened');
    await lib.assertAccessible(anne, 'the compact queue');
    await lib.guideScreenshot(anne, 'moderator-queue');
  });

  it('Anne opens a question: Bruno sees "handled by Anne (communication)" and cannot act on it', async () => {
    await openRow(anne, q.claim);
    assert.equal(await row(anne, q.claim).locator('.q-toggle').getAttribute('aria-expanded'), 'true');
    await row(bruno, q.claim).locator('.badge[data-status="claimed"]', { hasText: `Handled by ${ANNE}` }).waitFor();
    assert.equal(await row(anne, q.claim).locator('.badge[data-status="claimed"]').count(), 0, 'not "handled by" on her own console');

    await openRow(bruno, q.claim);
    const line = row(bruno, q.claim);
    assert.match(await line.locator('.q-held').textContent(), /Handled by Anne \(communication\)/);
    assert.ok(await line.getByRole('button', { name: 'Publish', exact: true }).isDisabled());
    assert.ok(await line.getByRole('button', { name: 'Reject', exact: true }).isDisabled());
    // The shortcut says why instead of acting.
    await line.locator('.q-toggle').focus();
    await bruno.keyboard.press('p');
    await lib.waitInPage(bruno, () => /Anne \(communication\) is handling/.test(document.querySelector('#status').textContent), null,
      { what: 'Bruno to be told who handles it' });
    assert.equal((await queue()).pending.find((x) => x.id === q.claim).status, 'pending');
    await lib.assertAccessible(bruno, 'an open line handled by someone else');
    await lib.guideScreenshot(anne, 'moderator-open-line');
    await lib.guideScreenshot(bruno, 'moderator-claimed');
    await line.locator('.q-toggle').click();
  });

  it('a claim refused by the server (409 claimed) names the holder', async () => {
    const pattern = new RegExp(`/questions/${q.velo}/claim$`);
    await bruno.route(pattern, (route) => route.fulfill({
      status: 409,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'claimed', message: 'Another moderator is handling this question.', claimed_by: 'Zoé (accueil)' } }),
    }));
    await openRow(bruno, q.velo);
    await row(bruno, q.velo).locator('.q-held', { hasText: 'Handled by Zoé (accueil)' }).waitFor();
    assert.ok(await row(bruno, q.velo).getByRole('button', { name: 'Publish', exact: true }).isDisabled());
    await bruno.unroute(pattern);
    await row(bruno, q.velo).locator('.q-toggle').click();
  });

  it('Anne publishes with the keyboard shortcut and the question leaves Bruno\'s queue within a second', async () => {
    await row(anne, q.claim).locator('.q-toggle').focus();
    await anne.keyboard.press('p');
    await row(anne, q.claim).waitFor({ state: 'detached' });
    const left = Date.now();
    await row(bruno, q.claim).waitFor({ state: 'detached', timeout: 5000 });
    const took = Date.now() - left;
    assert.ok(took < 1000, `left Bruno's queue ${took} ms after Anne's`);
    await bruno.locator(`#published > li[data-id="${q.claim}"]`).waitFor();
    // Anne's focus went to the line that took its place, not to the top of the page.
    assert.equal(await anne.evaluate(() => document.activeElement.closest('#pending > li')?.dataset.id), q.flagged);
    assert.equal(await bruno.textContent('#count-pending'), '9');
  });

  it('filters by state, language and text, always visible above the list', async () => {
    const page = bruno;
    await page.selectOption('#filter-state', 'before');
    await lib.waitInPage(page, (ids) => JSON.stringify(Array.from(document.querySelectorAll('#pending > li'), (e) => e.dataset.id)) === JSON.stringify(ids),
      [q.before1, q.before2], { what: 'the questions asked before the debate' });
    await page.selectOption('#filter-state', 'flagged');
    await lib.waitInPage(page, (id) => Array.from(document.querySelectorAll('#pending > li'), (e) => e.dataset.id).join() === id,
      q.flagged, { what: 'the flagged question' });
    await page.selectOption('#filter-state', 'pending');
    await page.selectOption('#filter-lang', 'en');
    await lib.waitInPage(page, (ids) => Array.from(document.querySelectorAll('#pending > li'), (e) => e.dataset.id).join() === ids.join(),
      [q.before2, q.english], { what: 'the English questions' });
    await page.selectOption('#filter-lang', '');
    await page.fill('#filter-text', 'velo-ecole');
    await lib.waitInPage(page, (id) => Array.from(document.querySelectorAll('#pending > li'), (e) => e.dataset.id).join() === id,
      q.velo, { what: 'the text filter (accents and case ignored)' });
    assert.match(await page.textContent('#filter-summary'), /^1 question shown$/);
    await page.fill('#filter-text', 'nothing like this');
    await page.locator('#pending-empty:not([hidden])', { hasText: 'No question matches' }).waitFor();
    await page.fill('#filter-text', '');
    await lib.waitInPage(page, () => document.querySelectorAll('#pending > li').length === 9, null, { what: 'every pending question again' });
    const marks = await page.evaluate(() => performance.getEntriesByName('palabre:filter-applied').length);
    assert.ok(marks >= 5, `a performance mark per filter applied (${marks})`);
    assert.equal(await page.evaluate(() => performance.getEntriesByName('palabre:queue-rendered').length), 1);
    // The counters stay on screen while the list scrolls.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const top = await page.evaluate(() => document.querySelector('#counters').getBoundingClientRect().top);
    assert.ok(top >= 0 && top < 100, `counters visible at the top (${top})`);
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  it('bulk rejection with a reason: the author sees that reason in "my questions"', async () => {
    await row(anne, q.bulk1).locator('.q-select').check();
    // x selects the line that has the focus.
    await row(anne, q.bulk2).locator('.q-toggle').focus();
    await anne.keyboard.press('x');
    assert.ok(await row(anne, q.bulk2).locator('.q-select').isChecked());
    assert.equal(await anne.textContent('#bulk-count'), '2 questions sélectionnées');
    await anne.selectOption('#bulk-reason', 'off_topic');
    await anne.click('#bulk-reject');
    await row(anne, q.bulk1).waitFor({ state: 'detached' });
    await row(anne, q.bulk2).waitFor({ state: 'detached' });
    await row(bruno, q.bulk2).waitFor({ state: 'detached' });
    const mine = lib.expectOk(await camille.get(`/api/events/${ev.id}/my-questions`), 200, 'my-questions');
    for (const id of [q.bulk1, q.bulk2]) {
      const item = mine.questions.find((x) => x.id === id);
      assert.equal(item.status, 'rejected');
      assert.equal(item.reject_reason, 'off_topic');
    }
    assert.equal(await anne.textContent('#bulk-count'), 'Aucune question sélectionnée');
  });

  it('merges a duplicate into another pending question, which then credits both authors', async () => {
    await openRow(anne, q.dup2);
    const line = row(anne, q.dup2);
    await line.getByRole('button', { name: 'Regrouper avec…' }).click();
    await line.getByLabel('Question qui reste').selectOption(q.dup1);
    await line.getByRole('button', { name: 'Regrouper', exact: true }).click();
    await row(anne, q.dup2).waitFor({ state: 'detached' });
    await row(bruno, q.dup2).waitFor({ state: 'detached' });
    await row(bruno, q.dup1).locator('.q-author', { hasText: 'Camille, Denis' }).waitFor();
    const target = (await queue()).pending.find((x) => x.id === q.dup1);
    assert.deepEqual(target.authors.map((a) => a.name), ['Camille', 'Denis']);
    const mine = lib.expectOk(await denis.get(`/api/events/${ev.id}/my-questions`), 200, 'my-questions');
    assert.equal(mine.questions.find((x) => x.id === q.dup2).status, 'merged');
    // Opened, the merged question lists its authors.
    await openRow(bruno, q.dup1);
    assert.match(await row(bruno, q.dup1).locator('.q-authors').textContent(), /Authors: Camille, Denis/);
    await row(bruno, q.dup1).locator('.q-toggle').click();
  });

  it('arranges the guest\'s order with the keyboard and marks the question answered now', async () => {
    // One forwarded with the shortcut, two through the API.
    await row(anne, q.english).locator('.q-toggle').focus();
    await anne.keyboard.press('f');
    await row(anne, q.english).waitFor({ state: 'detached' });
    lib.expectOk(await mod.act(ev.id, q.before1, 'forward'), 200, 'forward');
    lib.expectOk(await mod.act(ev.id, q.before2, 'forward'), 200, 'forward');
    const order = () => anne.$$eval('#forwarded > li', (els) => els.map((e) => e.dataset.id));
    await lib.waitUntil(async () => (await order()).length === 3, { what: 'three forwarded questions' });
    assert.deepEqual(await order(), [q.english, q.before1, q.before2]);

    const first = anne.locator(`#forwarded > li[data-id="${q.english}"]`);
    await first.getByRole('button', { name: /^Descendre/ }).focus();
    await anne.keyboard.press('Enter');
    await lib.waitUntil(async () => (await order()).join() === [q.before1, q.english, q.before2].join(), { what: 'the moved line' });
    // The focus stayed on the button, on the line it moved with.
    assert.equal(await anne.evaluate(() => document.activeElement.closest('li').dataset.id), q.english);
    await anne.keyboard.press('Enter');
    await lib.waitUntil(async () => (await order()).join() === [q.before1, q.before2, q.english].join(), { what: 'moved again' });
    await anne.locator(`#forwarded > li[data-id="${q.before2}"]`).getByRole('button', { name: /^En cours/ }).focus();
    await anne.keyboard.press('Enter');
    await lib.waitUntil(async () => {
      const gq = lib.expectOk(await mod.get(`/api/events/${ev.id}/guest-queue`), 200, 'guest-queue');
      return gq.now === q.before2 && gq.questions.map((x) => x.id).join() === [q.before1, q.before2, q.english].join();
    }, { what: 'GET guest-queue to follow' });
    assert.equal(await anne.locator(`#forwarded > li[data-id="${q.before2}"] [data-move="now"]`).getAttribute('aria-pressed'), 'true');
    // Bruno's console follows (queue frames).
    await lib.waitInPage(bruno, (ids) => Array.from(document.querySelectorAll('#forwarded > li'), (e) => e.dataset.id).join() === ids.join(),
      [q.before1, q.before2, q.english], { what: 'Bruno\'s guest order' });
    await bruno.locator(`#forwarded > li[data-id="${q.before2}"] .badge[data-status="now"]:not([hidden])`).waitFor();
    await bruno.locator('#forwarded').scrollIntoViewIfNeeded();
    await lib.guideScreenshot(bruno, 'moderator-guest-order');
  });

  it('reorders the guest\'s queue by drag and drop too', async () => {
    const order = () => anne.$$eval('#forwarded > li', (els) => els.map((e) => e.dataset.id));
    await anne.locator(`#forwarded > li[data-id="${q.english}"]`).dragTo(anne.locator(`#forwarded > li[data-id="${q.before1}"]`),
      { sourcePosition: { x: 8, y: 10 }, targetPosition: { x: 8, y: 3 } });
    await lib.waitUntil(async () => (await order())[0] === q.english, { what: 'the dragged line on top' });
    await lib.waitUntil(async () => {
      const gq = lib.expectOk(await mod.get(`/api/events/${ev.id}/guest-queue`), 200, 'guest-queue');
      return gq.questions[0].id === q.english;
    }, { what: 'the server to keep the dragged order' });
  });

  it('writes a prepared answer in the library', async () => {
    await anne.click('#tab-library');
    await anne.fill('#pa-title', 'Éclairage des pistes');
    await anne.fill('#pa-text', 'Toutes les pistes seront éclairées d’ici 2027.');
    await anne.click('#pa-submit');
    await anne.locator('#library-list li', { hasText: 'Éclairage des pistes' }).waitFor();
    const list = lib.expectOk(await mod.get(`/api/events/${ev.id}/prepared-answers`), 200, 'prepared-answers');
    assert.deepEqual(list.items.map((a) => a.title), ['Éclairage des pistes']);
    assert.equal(list.items[0].lang, 'fr');
    // Edit it in place.
    const item = anne.locator('#library-list li', { hasText: 'Éclairage des pistes' });
    await item.getByRole('button', { name: 'Modifier' }).click();
    await anne.getByLabel('Titre (pour la retrouver)').last().fill('Éclairage des pistes cyclables');
    await anne.keyboard.press('Enter');
    await anne.locator('#library-list li h4', { hasText: 'Éclairage des pistes cyclables' }).waitFor();
    await lib.assertAccessible(anne, 'the prepared answers panel');
  });

  it('opens a poll, counts a visitor\'s vote live, and closes it', async () => {
    await anne.click('#tab-polls');
    await anne.fill('#poll-question', 'Faut-il une piste sur le pont ?');
    const options = anne.locator('#poll-options input');
    await options.nth(0).fill('Oui');
    await options.nth(1).fill('Non');
    await anne.click('#poll-add-option');
    assert.equal(await anne.evaluate(() => document.activeElement.id), await options.nth(2).getAttribute('id'), 'the new option has the focus');
    await anne.keyboard.type('Sans avis');
    await lib.assertAccessible(anne, 'the polls panel with the form filled in');
    await anne.click('#poll-submit');
    const card = anne.locator('#polls-list > li', { hasText: 'Faut-il une piste sur le pont ?' });
    await card.waitFor();
    const pid = await card.getAttribute('data-id');
    lib.expectOk(await camille.post(`/api/events/${ev.id}/polls/${pid}/votes`, { options: [0] }), 200, 'vote');
    await card.locator('.mod-poll-results > li', { hasText: 'Oui' }).locator('.poll-fig', { hasText: /^1 voix \(100\s%\)$/ }).waitFor({ timeout: 5000 });
    await card.locator('.poll-meta', { hasText: '1 votant·e' }).waitFor();
    await card.getByRole('button', { name: 'Clore le sondage' }).click();
    await card.locator('.poll-meta', { hasText: 'Clos' }).waitFor();
    const res = await denis.post(`/api/events/${ev.id}/polls/${pid}/votes`, { options: [1] });
    assert.equal(res.status, 409, 'a closed poll takes no vote');
    await lib.assertAccessible(anne, 'the polls panel');
    await lib.guideScreenshot(anne, 'moderator-polls');
  });

  it('slow mode and the shield: the banner shows on the other moderator\'s console', async () => {
    await anne.click('#tab-controls');
    await anne.selectOption('#slow-mode', '30');
    await anne.click('#slow-apply');
    await lib.waitUntil(async () => {
      const e = lib.expectOk(await mod.get(`/api/events/${ev.id}`), 200, 'event');
      return e.controls && e.controls.slow_mode_s === 30;
    }, { what: 'slow mode of 30 s' });
    await anne.locator('#slow-state', { hasText: '30 secondes' }).waitFor();
    assert.ok(await bruno.isHidden('#shield-banner'));
    await anne.click('#shield-toggle');
    await bruno.locator('#shield-banner:not([hidden])').waitFor({ timeout: 5000 });
    assert.match(await bruno.textContent('#shield-banner'), /Shield on/);
    assert.equal(await anne.getAttribute('#shield-toggle', 'aria-pressed'), 'true');
    await anne.locator('#shield-banner:not([hidden])').waitFor();
    // Blocked words, one per line.
    await anne.locator('#words-all').waitFor();
    await lib.waitInPage(anne, () => document.querySelector('#words-all').value === 'arnaq*', null, { what: 'the blocked words loaded' });
    await anne.fill('#words-fr', 'escroc*');
    await anne.click('#words-save');
    await lib.waitUntil(async () => {
      const w = lib.expectOk(await mod.get(`/api/events/${ev.id}/word-filters`), 200, 'word-filters');
      return w.items.some((i) => i.pattern === 'escroc*' && i.lang === 'fr');
    }, { what: 'the blocked words saved' });
    await lib.assertAccessible(anne, 'the controls panel');
    await lib.guideScreenshot(anne, 'moderator-controls');
    await lib.assertAccessible(bruno, 'a console with the shield banner');
    await anne.click('#shield-toggle');
    await bruno.locator('#shield-banner').waitFor({ state: 'hidden', timeout: 5000 });
    // Slow mode off again, for the questions that follow.
    await anne.selectOption('#slow-mode', '0');
    await anne.click('#slow-apply');
    await anne.locator('#slow-state', { hasText: 'désactivé' }).waitFor();
  });

  it('bans (silently) and times out an author from an open question', async () => {
    const troll = await stack.join(ev.id, 'Troll');
    const spam = await ask(troll, 'Question répétée pour perturber');
    await anne.click('#tab-queue');
    await row(anne, spam).waitFor();
    await openRow(anne, spam);
    const line = row(anne, spam);
    await line.getByRole('button', { name: 'Suspendre l’auteur' }).click();
    await line.getByLabel('Durée de la suspension').selectOption('900');
    await line.getByRole('button', { name: 'Suspendre', exact: true }).click();
    await line.locator('.badge[data-status="timeout"]').waitFor();
    const refused = await troll.ask(ev.id, 'Encore une ?', 'fr');
    assert.equal(refused.status, 403);
    await line.getByRole('button', { name: 'Exclure l’auteur' }).click();
    await line.getByLabel('Discrète', { exact: false }).check();
    await line.getByLabel('Motif de l’exclusion').fill('Perturbations');
    await line.getByRole('button', { name: 'Confirmer l’exclusion' }).click();
    await row(anne, spam).waitFor({ state: 'detached' });
    await row(bruno, spam).waitFor({ state: 'detached' });
    const queueNow = await queue();
    assert.ok((queueNow.hidden || []).some((x) => x.id === spam), 'set aside (GET queue hidden)');
    await bruno.selectOption('#filter-state', 'hidden');
    await row(bruno, spam).waitFor();
    await bruno.selectOption('#filter-state', 'pending');
  });

  it('the audit log lists the actions with the moderators\' labels, filters them, and links the CSV', async () => {
    await anne.click('#tab-audit');
    await anne.locator('#audit-list > li', { hasText: 'Publication' }).first().waitFor();
    const lines = await anne.$$eval('#audit-list > li', (els) => els.map((e) => e.textContent));
    const has = (action, who) => lines.some((l) => l.includes(action) && l.includes(who));
    assert.ok(has('Publication', ANNE), 'the publish, by Anne');
    assert.ok(has('Refus', ANNE), 'the rejections, by Anne');
    assert.ok(has('Regroupement', ANNE), 'the merge');
    assert.ok(has('Ordre de l’invité·e', ANNE), 'the guest order');
    assert.ok(has('Mode lent ou bouclier', ANNE), 'the controls');
    assert.ok(lines.some((l) => l.includes('Refus') && l.includes('Motif : Hors sujet')), 'the rejection\'s reason');
    await anne.selectOption('#audit-actor', `moderator:${ANNE}`);
    await anne.selectOption('#audit-action', 'reject');
    await anne.click('#audit-form button[type=submit]');
    await lib.waitInPage(anne, () => {
      const items = Array.from(document.querySelectorAll('#audit-list > li'));
      return items.length === 2 && items.every((li) => li.dataset.action === 'reject');
    }, null, { what: 'the filtered log' });
    const href = await anne.getAttribute('#audit-csv', 'href');
    assert.match(href, /audit\.csv\?actor=moderator%3AAnne\+%28communication%29&action=reject$/);
    const csv = await anne.evaluate(async (url) => (await fetch(url)).text(), href);
    const rows = csv.trim().split('\r\n');
    assert.equal(rows[0], 'at,actor,action,target,reason,note,before,after,details');
    assert.equal(rows.length, 3, 'the same two entries');
    assert.ok(rows.slice(1).every((r) => r.includes('"moderator:Anne (communication)","reject"')), csv);
    await lib.assertAccessible(anne, 'the audit log');
    await lib.guideScreenshot(anne, 'moderator-audit');
    await anne.click('#tab-queue');
  });

  it('keyboard only: move, open, edit, publish, ask for help, open the next one and reject it', async () => {
    const k1 = await ask(camille, 'Clavier : les pistes seront-elles déneigées ?');
    const k2 = await ask(denis, 'Clavier : que deviennent les vélos ventouses ?');
    const page = bruno;
    await inQueue(page, [k1, k2]);
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    // j lands on the queue, then moves line by line.
    await page.keyboard.press('j');
    assert.ok(await page.evaluate(() => document.activeElement.classList.contains('q-toggle')));
    const ids = await shownIds(page);
    for (let i = 0; i < ids.indexOf(k1); i++) await page.keyboard.press('j');
    assert.equal(await page.evaluate(() => document.activeElement.closest('li').dataset.id), k1);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('k');
    assert.equal(await page.evaluate(() => document.activeElement.closest('li').dataset.id), k1);
    await page.keyboard.press('o');
    await row(page, k1).locator('.q-detail').waitFor();
    await page.keyboard.press('e');
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'TEXTAREA');
    // Typing in a field is typing: no shortcut fires.
    await page.keyboard.type(' (et les trottoirs)');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Save');
    await page.keyboard.press('Enter');
    await row(page, k1).locator('.original').waitFor();
    await row(page, k1).locator('.q-text', { hasText: '(et les trottoirs)' }).waitFor();
    await page.keyboard.press('p');
    await row(page, k1).waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement.closest('li')?.dataset.id), k2, 'focus on the next line');

    await page.keyboard.press('?');
    await page.locator('#shortcuts-dialog[open]').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'shortcuts-close');
    await lib.assertAccessible(page, 'the shortcuts dialog');
    await page.keyboard.press('Escape');
    await page.locator('#shortcuts-dialog:not([open])').waitFor({ state: 'attached' });
    assert.equal(await page.evaluate(() => document.activeElement.closest('li')?.dataset.id), k2, 'focus back where it was');

    await page.keyboard.press('k');
    await page.keyboard.press('n');
    await row(page, k2).locator('.q-detail').waitFor();
    await page.keyboard.press('r');
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'SELECT');
    await page.keyboard.press('ArrowDown'); // duplicate
    await page.keyboard.press('Tab');
    await page.keyboard.type('Déjà posée par un autre habitant.');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Confirm rejection');
    await page.keyboard.press('Enter');
    await row(page, k2).waitFor({ state: 'detached' });
    const mine = lib.expectOk(await denis.get(`/api/events/${ev.id}/my-questions`), 200, 'my-questions');
    assert.equal(mine.questions.find((x) => x.id === k2).reject_reason, 'duplicate');
    const published = lib.expectOk(await stack.get(`/api/events/${ev.id}/transcript.json`), 200, 'transcript');
    assert.ok(published.messages.some((m) => m.id === k1 && m.text.endsWith('(et les trottoirs)')));
    await lib.assertAccessible(page, 'the console after a keyboard-only run');
  });

  it('an open line and its forms pass axe-core, and the console reflows at 320 px', async () => {
    const k3 = await ask(camille, 'Dernière question : un parking vélo sécurisé ?');
    await row(anne, k3).waitFor();
    await openRow(anne, k3);
    await lib.assertAccessible(anne, 'an expanded line');
    await row(anne, k3).getByRole('button', { name: 'Refuser', exact: true }).click();
    await lib.assertAccessible(anne, 'an expanded line with its reject form');
    await anne.keyboard.press('Escape');
    assert.equal(await anne.evaluate(() => document.activeElement.dataset.action), 'reject', 'focus back on Reject');
    for (const page of [anne, bruno]) {
      await page.setViewportSize({ width: 320, height: 640 });
      for (const tab of ['queue', 'polls', 'library', 'controls', 'audit']) {
        await page.click(`#tab-${tab}`);
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
        assert.equal(await lib.horizontalOverflow(page), null, `no sideways scrolling at 320 px (${tab})`);
      }
      await page.click('#tab-queue');
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    await row(anne, k3).locator('.q-toggle').click();
  });

  it('switches to English, open line, panels and all', async () => {
    const k4 = await ask(denis, 'Last one: will there be a bike-share scheme?', 'en');
    await row(anne, k4).waitFor();
    await openRow(anne, k4);
    await anne.getByRole('button', { name: 'English' }).click();
    // The English catalogue is fetched on demand (i18n.js), then applied.
    await lib.waitInPage(anne, () => document.documentElement.lang === 'en', null, { what: '<html lang="en">' });
    assert.equal(await anne.textContent('#tab-audit'), 'Audit log');
    assert.equal(await row(anne, k4).locator('[data-action="publish"]').textContent(), 'Publish');
    assert.equal(await anne.getAttribute('#filter-state option[value="hidden"]', 'data-i18n'), 'mod.state_hidden');
    assert.equal(await anne.textContent('#filter-state option[value="hidden"]'), 'Set aside (silent ban)');
    assert.match(await anne.textContent('#filter-summary'), /questions? shown$/);
    await anne.click('#tab-controls');
    assert.equal(await anne.textContent('#shield-toggle'), 'Turn the shield on');
    await anne.click('#tab-queue');
    await anne.getByRole('button', { name: 'Français' }).click();
    await row(anne, k4).locator('.q-toggle').click();
  });

  it('no console had a script error or a Content-Security-Policy violation', async () => {
    await lib.assertNoProblems(anne, 'Anne\'s console');
    await lib.assertNoProblems(bruno, 'Bruno\'s console');
  });

  describe('a queue of 500', () => {
    let big;
    let page;

    before(async () => {
      big = await stack.createEvent({ title: 'Consultation : 500 questions' });
      // 50 visitors from 10 addresses, 10 questions each: within every limit.
      const askers = [];
      for (let a = 0; a < 10; a++) {
        for (let v = 0; v < 5; v++) askers.push(await stack.join(big.id, `Habitant ${a}-${v}`, { from: `127.0.0.${20 + a}` }));
      }
      const quarters = ['nord', 'sud', 'est', 'ouest'];
      let n = 0;
      await Promise.all(askers.map(async (visitor) => {
        for (let i = 0; i < 10; i++) {
          const k = n++;
          lib.expectOk(await visitor.ask(big.id, `Proposition n°${k} pour le quartier ${quarters[k % 4]} : plus d’arceaux`, 'fr'), 202, 'ask');
        }
      }));
    });

    after(async () => {
      if (page) await page.context().close();
    });

    it('shows the 500 pending questions and filters them by text', async () => {
      const inv = await stack.invite(big.id, { role: 'moderator', label: 'Chloé (mairie)' });
      page = await lib.openPage(browser, { locale: 'fr-FR' });
      await page.goto(inv.url);
      await page.waitForSelector('#console:not([hidden])');
      await lib.waitInPage(page, () => document.querySelectorAll('#pending > li').length === 500, null,
        { what: '500 lines', timeout: 30000 });
      assert.equal(await page.textContent('#count-pending'), '500');
      assert.equal(await page.evaluate(() => performance.getEntriesByName('palabre:queue-rendered').length), 1);
      const height = await page.evaluate(() => document.querySelector('#pending').getBoundingClientRect().height);
      assert.ok(height < 500 * 60, `500 compact lines (${height} px)`);
      await page.fill('#filter-text', 'quartier nord');
      await lib.waitInPage(page, () => document.querySelectorAll('#pending > li').length === 125, null, { what: '125 lines' });
      await page.fill('#filter-text', 'n°123 ');
      await lib.waitInPage(page, () => document.querySelectorAll('#pending > li').length === 1, null, { what: 'one line' });
      assert.match(await page.textContent('#pending > li .q-text'), /Proposition n°123 pour/);
      await page.fill('#filter-text', '');
      await lib.waitInPage(page, () => document.querySelectorAll('#pending > li').length === 500, null, { what: '500 again' });
      assert.ok(await page.evaluate(() => performance.getEntriesByName('palabre:filter-applied').length) >= 3);
      await lib.assertNoProblems(page, 'a console with 500 questions');
    });
  });
});

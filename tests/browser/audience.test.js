'use strict';
// The audience on the visitor page, through the real stack: visitors support
// (+1) published questions and vote in live polls the moderators open and
// close (the moderators act through the API with their invite's Bearer
// token); "my questions" tells an author why a question was set aside,
// that it was grouped with a similar one, or that it was edited; the thread
// marks edited questions and signs merged ones with every author. Supports
// and votes are done with the keyboard; axe-core checks the new states.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');

const Q_SUPPORT = 'Faut-il rendre la rue du Port piétonne ?';
const Q_OTHER = 'Combien coûtera la rénovation du gymnase ?';
const POLL_Q = 'Faut-il un marché le dimanche matin ?';
const POLL_MULTI_Q = 'Quels jours pour la collecte des encombrants ?';
const Q_REJECT = 'Pourquoi pas une patinoire sur la place ?';
const Q_EDIT = 'Quand ouvrira la piscine ?';
const Q_EDITED = 'Quand la piscine municipale rouvrira-t-elle ?';
const Q_DUP = 'Et le parking de la gare ?';
const Q_TARGET = 'Que devient le parking de la gare pendant les travaux ?';

describe('the audience supports questions and votes in polls from the visitor page', () => {
  let stack;
  let browser;
  let ev;
  let mod;
  let camille;
  let denis;
  let qSupport;
  let qOther;
  let poll;

  before(async () => {
    stack = await lib.startStack();
    ev = await stack.createEvent({
      title: 'Conseil municipal ouvert',
      guests: [{ name: 'Anne Martin', role: 'Maire' }],
      languages: ['fr', 'en'],
    });
    const invites = await stack.invite(ev.id);
    mod = stack.bearer(invites.moderator_token, 'moderator', ev.id);
    const lou = await stack.join(ev.id, 'Lou');
    qSupport = lib.expectOk(await lou.ask(ev.id, Q_SUPPORT, 'fr'), 202, 'ask').id;
    qOther = lib.expectOk(await lou.ask(ev.id, Q_OTHER, 'fr'), 202, 'ask').id;
    for (const id of [qSupport, qOther]) lib.expectOk(await mod.act(ev.id, id, 'publish'), 200, 'publish');
    browser = await lib.launch();
  });

  after(async () => {
    if (browser) await browser.close();
    if (stack) await stack.stop();
  });

  const supportButton = (id) => `#thread li[data-id="${id}"] .support-button`;
  const supportCount = (id) => `#thread li[data-id="${id}"] .support-count`;

  async function waitText(page, selector, expected, what) {
    await lib.waitInPage(page, ([sel, text]) => {
      const el = document.querySelector(sel);
      return !!el && el.textContent.trim() === text;
    }, [selector, expected], { what: `${what} (${selector} = "${expected}")` });
  }

  async function settled(page) {
    await lib.waitInPage(page, () => document.querySelector('#thread').getAttribute('aria-busy') === 'false',
      null, { what: 'the thread to finish its replay' });
  }

  it('a visitor supports a question with the keyboard and another visitor sees the count change live', async () => {
    camille = await lib.visitAs(browser, stack, ev.id, 'Camille');
    denis = await lib.visitAs(browser, stack, ev.id, 'Denis');
    for (const page of [camille, denis]) {
      await page.locator(supportButton(qSupport)).waitFor();
      await waitText(page, supportCount(qSupport), '0 soutien', 'no support yet');
    }
    assert.equal(await camille.getAttribute(supportButton(qSupport), 'aria-pressed'), 'false');
    assert.equal(await camille.locator(supportButton(qSupport)).textContent(), '+1 Je soutiens cette question');

    await lib.tabTo(camille, supportButton(qSupport), { max: 30 });
    await camille.keyboard.press('Space');
    await lib.waitInPage(camille, (sel) => document.querySelector(sel).getAttribute('aria-pressed') === 'true',
      supportButton(qSupport), { what: 'the button to show as pressed' });
    assert.equal(await camille.getAttribute(supportButton(qSupport), 'aria-disabled'), 'true');
    await waitText(camille, supportCount(qSupport), '1 soutien', 'the supporter\'s own count');
    await waitText(denis, supportCount(qSupport), '1 soutien', 'the count on the other page, live');

    await lib.tabTo(denis, supportButton(qSupport), { max: 30 });
    await denis.keyboard.press('Enter');
    await lib.waitInPage(denis, (sel) => document.querySelector(sel).getAttribute('aria-pressed') === 'true',
      supportButton(qSupport), { what: 'the second visitor\'s button pressed' });
    await waitText(camille, supportCount(qSupport), '2 soutiens', 'two supports, live');
    await waitText(denis, supportCount(qSupport), '2 soutiens', 'two supports');
    // The focus stayed on the button, which says it is pressed.
    assert.equal(await denis.evaluate(() => document.activeElement.className), 'support-button');
  });

  it('a supported question cannot be supported again, even after a reload', async () => {
    const sent = await lib.recordRoute(camille, '**/support');
    // aria-disabled: Playwright would wait for it to be enabled; a person can still press it.
    await camille.click(supportButton(qSupport), { force: true });
    await camille.keyboard.press('Space');
    await camille.reload();
    await camille.locator(supportButton(qSupport)).waitFor();
    await waitText(camille, supportCount(qSupport), '2 soutiens', 'the count after a reload');
    assert.equal(await camille.getAttribute(supportButton(qSupport), 'aria-pressed'), 'true', 'remembered as supported');
    await camille.click(supportButton(qSupport), { force: true });
    // A request would leave at once; give it the time to reach the route.
    await lib.sleep(300);
    assert.equal(sent.length, 0, 'no request for a question already supported');
    await camille.unroute('**/support');
  });

  it('a question that gets an answer stops offering support and keeps its count', async () => {
    lib.expectOk(await mod.post(`/api/events/${ev.id}/answers`, { question_id: qSupport, text: 'Une étude sera lancée en janvier.' }), 201, 'answer');
    for (const page of [camille, denis]) {
      await page.locator(`#thread li[data-id="${qSupport}"] .msg-answer`).waitFor();
      await lib.waitInPage(page, (sel) => !document.querySelector(sel), supportButton(qSupport),
        { what: 'the support button to go' });
      await waitText(page, supportCount(qSupport), '2 soutiens', 'the count stays');
    }
    // The other question still takes supports.
    assert.equal(await denis.locator(supportButton(qOther)).count(), 1);
  });

  it('a visitor who has not joined sees the counts but no support button', async () => {
    const reader = await lib.visitAs(browser, stack, ev.id, null);
    await reader.locator(supportCount(qOther)).waitFor();
    await settled(reader);
    assert.equal(await reader.locator('#thread .support-button').count(), 0);
    await reader.context().close();
  });

  it('the moderators open a poll: two visitors vote, a double click counts once, and both see the results live', async () => {
    poll = lib.expectOk(await mod.post(`/api/events/${ev.id}/polls`, { question: POLL_Q, options: ['Oui', 'Non', 'Sans avis'] }), 201, 'open poll');
    const card = (page) => page.locator(`#thread li[data-id="${poll.id}"]`);
    for (const page of [camille, denis]) {
      await card(page).locator('.poll-form').waitFor();
      await lib.waitInPage(page, () => /Nouveau sondage/.test(document.querySelector('#status').textContent), null,
        { what: 'the new poll to be announced' });
    }
    assert.equal(await card(denis).locator('legend').textContent(), POLL_Q);
    assert.equal(await card(denis).locator('input[type=radio]').count(), 3);
    await lib.assertAccessible(denis, 'visitor page with an open poll');

    // Camille: the mouse, and a double click on Vote.
    await card(camille).getByLabel('Oui').check();
    await card(camille).locator('.poll-vote').dblclick();
    await card(camille).locator('.poll-results').waitFor();
    assert.match(await card(camille).locator('.poll-status').textContent(), /votre vote est enregistré/);

    // Denis: the keyboard only. Tab into the radio group, arrow to "Non", Tab to Vote, Enter.
    await lib.tabTo(denis, `#poll-${poll.id}-opt-0`, { max: 30 });
    await denis.keyboard.press('ArrowDown');
    assert.equal(await denis.evaluate(() => document.activeElement.id), `poll-${poll.id}-opt-1`);
    await denis.keyboard.press('Tab');
    assert.equal(await denis.evaluate(() => document.activeElement.textContent), 'Voter');
    await denis.keyboard.press('Enter');
    await card(denis).locator('.poll-results').waitFor();
    // Focus went to the sentence that replaced the form.
    assert.match(await denis.evaluate(() => document.activeElement.textContent), /votre vote est enregistré/);

    for (const page of [camille, denis]) {
      await waitText(page, `#thread li[data-id="${poll.id}"] .poll-total`, '2 votant·es au total', 'two voters, live');
      const figures = await card(page).locator('.poll-result').allTextContents();
      // Intl writes "50 %" with a narrow no-break space: compare words, not spaces.
      assert.deepEqual(figures.map((s) => s.replace(/\s+/g, ' ').trim()),
        ['Oui 1 voix (50 %)', 'Non 1 voix (50 %)', 'Sans avis 0 voix (0 %)']);
    }
    const polls = lib.expectOk(await stack.get(`/api/events/${ev.id}/polls`), 200, 'polls');
    assert.deepEqual(polls.items[0].results, [1, 1, 0], 'the double click counted once');
    assert.equal(polls.items[0].votes, 2);
    // The bar repeats the figure, hidden from screen readers.
    assert.equal(await card(camille).locator('.poll-bar').first().getAttribute('aria-hidden'), 'true');
    assert.equal(await card(camille).locator('.poll-fill').first().evaluate((el) => el.style.width), '50%');
    await lib.assertAccessible(camille, 'visitor page after voting');
    await lib.guideScreenshot(camille, 'visitor-poll');
  });

  it('a visitor who has not joined sees the results and is invited to join to vote', async () => {
    const reader = await lib.visitAs(browser, stack, ev.id, null);
    const card = reader.locator(`#thread li[data-id="${poll.id}"]`);
    await card.locator('.poll-results').waitFor();
    assert.equal(await card.locator('.poll-form').count(), 0);
    assert.match(await card.locator('.poll-status').textContent(), /Pour voter, rejoignez le débat/);
    await waitText(reader, `#thread li[data-id="${poll.id}"] .poll-total`, '2 votant·es au total', 'the results');
    await reader.context().close();
  });

  it('a poll with several answers takes checkboxes, with Space', async () => {
    const multi = lib.expectOk(await mod.post(`/api/events/${ev.id}/polls`,
      { question: POLL_MULTI_Q, options: ['Lundi', 'Mercredi', 'Samedi'], multiple: true }), 201, 'open poll');
    const card = denis.locator(`#thread li[data-id="${multi.id}"]`);
    await card.locator('.poll-form').waitFor();
    assert.equal(await card.locator('input[type=checkbox]').count(), 3);
    assert.match(await card.locator('.hint').textContent(), /Plusieurs réponses possibles/);
    // Vote with nothing chosen: told so, politely.
    await card.locator('.poll-vote').focus();
    await denis.keyboard.press('Enter');
    assert.match(await card.locator('[role=alert]').textContent(), /au moins une réponse/);
    await lib.tabTo(denis, `#poll-${multi.id}-opt-0`, { max: 5, shift: true });
    await denis.keyboard.press('Space');
    await denis.keyboard.press('Tab');
    await denis.keyboard.press('Tab');
    await denis.keyboard.press('Space');
    await lib.tabTo(denis, `#thread li[data-id="${multi.id}"] .poll-vote`, { max: 3 });
    await denis.keyboard.press('Enter');
    await waitText(denis, `#thread li[data-id="${multi.id}"] .poll-total`, '1 votant·e au total', 'one voter');
    const figures = await card.locator('.poll-figure').allTextContents();
    assert.deepEqual(figures.map((s) => s.replace(/\s/g, ' ')), ['1 voix (100 %)', '0 voix (0 %)', '1 voix (100 %)']);
  });

  it('the moderators close the poll: every page says so, and the final result stays after a reload', async () => {
    lib.expectOk(await mod.post(`/api/events/${ev.id}/polls/${poll.id}/close`, {}), 200, 'close poll');
    for (const page of [camille, denis]) {
      const card = page.locator(`#thread li[data-id="${poll.id}"][data-state="closed"]`);
      await card.waitFor();
      assert.equal(await card.locator('.badge').textContent(), 'Sondage terminé');
      assert.match(await card.locator('.poll-heading').textContent(), /Résultat final/);
      await lib.waitInPage(page, () => /Sondage terminé/.test(document.querySelector('#status').textContent), null,
        { what: 'the closure to be announced' });
    }
    await denis.reload();
    const card = denis.locator(`#thread li[data-id="${poll.id}"][data-state="closed"]`);
    await card.waitFor();
    await waitText(denis, `#thread li[data-id="${poll.id}"] .poll-total`, '2 votant·es au total', 'the final result after a reload');
    assert.equal(await card.locator('.poll-form').count(), 0);
    // The open poll is still open after the reload, and shows the vote as given (polls_voted).
    const multi = denis.locator('#thread li.msg-poll[data-state="open"]');
    await multi.locator('.poll-status.ok').waitFor();
    await settled(denis);
    await lib.assertAccessible(denis, 'visitor page with a closed poll');
  });

  it('a rejected question shows its reason in "my questions"', async () => {
    await lib.askOnPage(camille, Q_REJECT);
    const item = lib.myQuestion(camille, Q_REJECT);
    await item.locator('[data-status="pending"]').waitFor();
    const id = await item.getAttribute('data-id');
    lib.expectOk(await mod.act(ev.id, id, 'reject', { reason: 'off_topic', note: 'note interne' }), 200, 'reject');
    await camille.click('#mine-refresh');
    await item.locator('[data-status="rejected"]').waitFor();
    assert.equal(await item.locator('.mine-note').textContent(), 'Motif\u00a0: hors sujet.');
    assert.doesNotMatch(await item.textContent(), /note interne/, 'the moderators\' note stays private');
  });

  it('a question edited by the moderators is marked in the thread and in "my questions"', async () => {
    await lib.askOnPage(camille, Q_EDIT);
    const item = lib.myQuestion(camille, Q_EDIT);
    await item.locator('[data-status="pending"]').waitFor();
    const id = await item.getAttribute('data-id');
    lib.expectOk(await mod.act(ev.id, id, 'edit', { text: Q_EDITED }), 200, 'edit');
    lib.expectOk(await mod.act(ev.id, id, 'publish'), 200, 'publish');
    for (const page of [camille, denis]) {
      const msg = page.locator(`#thread li[data-id="${id}"]`);
      await msg.locator('.msg-edited').waitFor();
      assert.equal(await msg.locator('.msg-edited').textContent(), '(modifiée par la modération)');
      assert.equal(await msg.locator('.msg-text').textContent(), Q_EDITED);
    }
    const mine = camille.locator(`#my-questions li[data-id="${id}"]`);
    await mine.locator('[data-status="published"]').waitFor();
    await mine.locator('.mine-note', { hasText: 'Modifiée par la modération.' }).waitFor();
  });

  it('a duplicate grouped with a similar question: the thread names both authors and the author is told where it went', async () => {
    await lib.askOnPage(denis, Q_DUP);
    await lib.myQuestion(denis, Q_DUP).locator('[data-status="pending"]').waitFor();
    const dup = await lib.myQuestion(denis, Q_DUP).getAttribute('data-id');
    await lib.askOnPage(camille, Q_TARGET);
    await lib.myQuestion(camille, Q_TARGET).locator('[data-status="pending"]').waitFor();
    const target = await lib.myQuestion(camille, Q_TARGET).getAttribute('data-id');
    lib.expectOk(await mod.act(ev.id, dup, 'merge', { into: target }), 200, 'merge');
    lib.expectOk(await mod.act(ev.id, target, 'publish'), 200, 'publish');
    const msg = denis.locator(`#thread li[data-id="${target}"]`);
    await msg.waitFor();
    assert.equal(await msg.locator('.msg-author').textContent(), 'Camille, Denis');

    await denis.click('#mine-refresh');
    const mine = denis.locator(`#my-questions li[data-id="${dup}"]`);
    await mine.locator('[data-status="merged"]').waitFor();
    assert.equal(await mine.locator('.badge').textContent(), 'Regroupée');
    const link = mine.locator('a.merged-link');
    await link.waitFor();
    assert.match(await link.textContent(), /Que devient le parking de la gare/);
    await link.focus();
    await denis.keyboard.press('Enter');
    assert.equal(await denis.evaluate(() => document.activeElement.dataset.id), target, 'the link leads to the question');
  });

  it('a support or a vote the server refuses is said on the page, not dropped', async () => {
    const eva = await lib.visitAs(browser, stack, ev.id, 'Eva');
    await eva.locator(supportButton(qOther)).waitFor();
    const refuse = (status, code) => (route) => route.fulfill({
      status, contentType: 'application/json', body: JSON.stringify({ error: { code, message: code } }),
    });
    // 409: the question was answered or withdrawn meanwhile.
    await eva.route('**/support', refuse(409, 'conflict'));
    await eva.click(supportButton(qOther));
    const error = eva.locator(`#thread li[data-id="${qOther}"] .support-error`);
    await error.waitFor();
    assert.equal(await error.getAttribute('role'), 'alert');
    assert.match(await error.textContent(), /ne peut plus être soutenue/);
    assert.equal(await eva.locator(supportButton(qOther)).count(), 0, 'no button that cannot work');

    // 403: the visitor was banned meanwhile.
    await eva.route('**/votes', refuse(403, 'banned'));
    const card = eva.locator('#thread li.msg-poll[data-state="open"]');
    await card.getByLabel('Lundi').check();
    await card.locator('.poll-vote').click();
    await lib.waitInPage(eva, () => /exclu/.test(document.activeElement.textContent || ''), null,
      { what: 'the focus on the sentence saying the visitor is banned' });
    assert.match(await card.locator('.poll-status').textContent(), /exclu/);
    assert.match(await eva.textContent('#ask-closed'), /exclu/, 'the question box says so too');
    await lib.assertAccessible(eva, 'visitor page after refused actions');
    await lib.assertNoProblems(eva, 'visitor page after refused actions');
    await eva.context().close();
  });

  it('the page reflows at 320 px with supports and polls', async () => {
    await denis.setViewportSize({ width: 320, height: 640 });
    await denis.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    assert.equal(await lib.horizontalOverflow(denis), null, 'visitor page at 320 px');
  });

  it('no page had a script error or a Content-Security-Policy violation', async () => {
    await lib.assertNoProblems(camille, 'first visitor');
    await lib.assertNoProblems(denis, 'second visitor');
  });
});

'use strict';
// A whole debate in three browsers at once: a visitor (French interface), a
// moderator (English interface, from the moderator invite URL) and the
// invited guest (from the guest invite URL), driven with the keyboard where
// a person would use it. Everything the visitor sees arrives live, through
// the public stream.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const lib = require('./lib');

const Q_EDIT = 'Quel budget pour les pistes cyclables en 2027 ?';
const Q_EDITED = 'Quel budget pour les pistes cyclables en 2027 et 2028 ?';
const Q_FORWARD = 'Madame la maire, comment les projets seront-ils choisis ?';
const Q_REJECT = 'Question hors sujet, à refuser';
const Q_SCRIPT = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">Et les écoles ?';
const ANSWER = 'Par un vote des habitants, quartier par quartier, en mars.';
const ANNOUNCEMENT = 'Pause de cinq minutes : le débat reprend à 19 h 10.';

describe('a debate with a visitor, a moderator and a guest, each in their own browser', () => {
  let stack;
  let browser;
  let ev;
  let invites;
  let visitor;
  let moderator;
  let guest;

  before(async () => {
    stack = await lib.startStack();
    ev = await stack.createEvent({
      title: 'Budget participatif 2027',
      description: 'Les habitants interrogent la maire sur le budget participatif.\nPosez vos questions !',
      guests: [{ name: 'Anne Martin', role: 'Maire' }],
      languages: ['fr', 'en'],
      branding: { color: '#7a1f5c', organiser: 'Ville de Montreuil-sur-Loire' },
    });
    invites = await stack.invite(ev.id);
    browser = await lib.launch();
    visitor = await lib.openPage(browser, { locale: 'fr-FR' });
    moderator = await lib.openPage(browser, { locale: 'en-GB' });
    guest = await lib.openPage(browser, { locale: 'fr-FR' });
  });

  after(async () => {
    if (browser) await browser.close();
    if (stack) await stack.stop();
  });

  it('the moderator opens the invite link and the token leaves the address bar', async () => {
    await moderator.goto(invites.moderator_url);
    await moderator.waitForSelector('#console:not([hidden])');
    assert.ok(!moderator.url().includes('#t='), `token removed from ${moderator.url()}`);
    assert.match(await moderator.textContent('h1'), /Budget participatif 2027/);
    await lib.waitInPage(moderator, () => document.querySelector('#connection').dataset.state === 'open',
      null, { what: 'the staff stream to open' });
  });

  it('the guest opens the guest invite link', async () => {
    await guest.goto(invites.guest_url);
    await guest.waitForSelector('#console:not([hidden])');
    assert.ok(!guest.url().includes('#t='), `token removed from ${guest.url()}`);
    assert.match(await guest.textContent('#todo-empty'), /Aucune question/);
  });

  it('the visitor joins with a pseudonym using the keyboard only', async () => {
    await visitor.goto(lib.pageUrl(stack, `e/${ev.id}`));
    await visitor.waitForSelector('#join-form:not([hidden])');
    assert.equal(await visitor.getAttribute('html', 'lang'), 'fr');
    assert.equal(await visitor.textContent('#event-title'), 'Budget participatif 2027');
    await lib.waitInPage(visitor, () => document.querySelector('#connection').dataset.state === 'open',
      null, { what: 'the public stream to open' });
    await lib.tabTo(visitor, '#join-name');
    await visitor.keyboard.type('Camille');
    await visitor.keyboard.press('Enter');
    await visitor.waitForSelector('#joined:not([hidden])');
    assert.equal(await visitor.textContent('#joined-name'), 'Camille');
  });

  it('the visitor asks four questions and sees each one received', async () => {
    const texts = [Q_EDIT, Q_FORWARD, Q_REJECT, Q_SCRIPT];
    for (let i = 0; i < texts.length; i++) {
      await lib.tabTo(visitor, '#question', { max: 6, shift: i > 0 });
      await visitor.keyboard.type(texts[i]);
      if (i === 0) {
        await lib.tabTo(visitor, '#ask-submit', { max: 4 });
        await visitor.keyboard.press('Enter');
      } else {
        await visitor.keyboard.press('Control+Enter');
      }
      await lib.waitInPage(visitor, (n) => document.querySelectorAll('#my-questions [data-status="pending"]').length === n,
        i + 1, { what: `${i + 1} questions shown as received` });
    }
    assert.equal(await visitor.inputValue('#question'), '', 'the box is empty again');
    const statuses = await visitor.$$eval('#my-questions .badge', (els) => els.map((e) => e.textContent));
    assert.deepEqual(statuses, Array(4).fill('Reçue, en attente de modération'));
  });

  it('the moderator sees the four questions arrive live, with the counter', async () => {
    await lib.waitInPage(moderator, () => document.querySelectorAll('#pending > li').length === 4,
      null, { what: 'four pending cards' });
    assert.equal(await moderator.textContent('#count-pending'), '4');
    const order = await moderator.$$eval('#pending .msg-text', (els) => els.map((e) => e.textContent));
    assert.deepEqual(order, [Q_EDIT, Q_FORWARD, Q_REJECT, Q_SCRIPT], 'oldest first');
  });

  it('the moderator edits a question, then publishes it, with the keyboard', async () => {
    const card = moderator.locator('#pending > li', { hasText: Q_EDIT });
    // One line per question: its button opens it (and claims it).
    await card.locator('.q-toggle').focus();
    await moderator.keyboard.press('Enter');
    await card.getByRole('button', { name: 'Edit', exact: true }).focus();
    await moderator.keyboard.press('Enter');
    assert.equal(await moderator.evaluate(() => document.activeElement.tagName), 'TEXTAREA');
    await moderator.keyboard.press('Control+A');
    await moderator.keyboard.type(Q_EDITED);
    await moderator.keyboard.press('Tab');
    assert.equal(await moderator.evaluate(() => document.activeElement.textContent), 'Save');
    await moderator.keyboard.press('Enter');
    const edited = moderator.locator('#pending > li', { hasText: Q_EDITED });
    await edited.locator('.original').waitFor();
    assert.match(await edited.locator('.original').textContent(), /pistes cyclables en 2027 \?/);

    await edited.getByRole('button', { name: 'Publish', exact: true }).focus();
    await moderator.keyboard.press('Enter');
    await moderator.locator('#published > li', { hasText: Q_EDITED }).waitFor();
    assert.equal(await moderator.locator('#pending > li', { hasText: Q_EDITED }).count(), 0);
    // Focus went to the next pending card, not to the top of the page.
    const focused = await moderator.evaluate(() => document.activeElement.closest('#pending > li')?.textContent || '');
    assert.match(focused, /comment les projets/);
  });

  it('the visitor sees the edited question appear live and its status turn to published', async () => {
    await visitor.locator('#thread > li.msg-question', { hasText: Q_EDITED }).waitFor();
    await lib.waitInPage(visitor, () => document.querySelectorAll('#my-questions [data-status="published"]').length === 1,
      null, { what: 'one question shown as published' });
  });

  it('the moderator forwards a question and the guest sees it arrive', async () => {
    const card = moderator.locator('#pending > li', { hasText: Q_FORWARD });
    await card.locator('.q-toggle').click();
    await card.getByRole('button', { name: 'Forward to guest', exact: true }).click();
    await moderator.locator('#forwarded > li', { hasText: Q_FORWARD }).waitFor();
    await guest.locator('#todo > li', { hasText: Q_FORWARD }).waitFor();
    assert.equal(await guest.textContent('#todo-count'), '1');
  });

  it('the moderator rejects a question with a reason', async () => {
    const card = moderator.locator('#pending > li', { hasText: Q_REJECT });
    await card.locator('.q-toggle').click();
    await card.getByRole('button', { name: 'Reject', exact: true }).click();
    await moderator.getByLabel('Reason for rejecting').selectOption('off_topic');
    await moderator.getByLabel('Note for the team').fill('Hors sujet');
    await card.getByRole('button', { name: 'Confirm rejection' }).click();
    await lib.waitInPage(moderator, () => document.querySelector('#count-rejected').textContent === '1',
      null, { what: 'the rejected counter' });
    assert.equal(await moderator.locator('#pending > li', { hasText: Q_REJECT }).count(), 0);
  });

  it('the guest answers and the visitor sees the answer under its question, live', async () => {
    const card = guest.locator('#todo > li', { hasText: Q_FORWARD });
    await card.locator('textarea').focus();
    await guest.keyboard.type(ANSWER);
    await guest.keyboard.press('Tab');
    await guest.keyboard.press('Enter');
    await guest.locator('#done > li', { hasText: ANSWER }).waitFor();
    assert.equal(await guest.locator('#todo > li').count(), 0);

    const question = visitor.locator('#thread > li.msg-question', { hasText: Q_FORWARD });
    await question.locator('.answers > li.msg-answer', { hasText: ANSWER }).waitFor();
    assert.match(await question.locator('.msg-answer .msg-author').textContent(), /\S/, 'the answer names its author');
  });

  it('the visitor finds the rejected question marked as such in "my questions"', async () => {
    // Rejections are not public: the page learns them from its periodic
    // GET my-questions.
    await visitor.locator('#my-questions li', { hasText: Q_REJECT }).locator('[data-status="rejected"]')
      .waitFor({ timeout: 30000 });
  });

  it('an announcement appears in the visitor\'s thread', async () => {
    await moderator.locator('#announce-text').fill(ANNOUNCEMENT);
    await moderator.locator('#announce-form button[type=submit]').click();
    await visitor.locator('#thread > li.msg-announcement', { hasText: ANNOUNCEMENT }).waitFor();
    // The box empties once the POST is answered, which may come after the
    // stream already carried the announcement to the visitor.
    await lib.waitInPage(moderator, () => document.querySelector('#announce-text').value === '', null,
      { what: 'the announcement box to empty' });
  });

  it('takes a screenshot of the visitor page mid-debate for the README', async () => {
    const docs = path.join(lib.SOURCE_DIR, 'docs');
    await visitor.setViewportSize({ width: 1200, height: 900 });
    await visitor.evaluate(() => {
      document.activeElement.blur();
      window.scrollTo(0, 0);
    });
    // Written next to the build so that a test run leaves the tree clean;
    // PALABRE_SCREENSHOT_DIR=docs refreshes the README's picture.
    const build = process.env.PALABRE_BUILD_DIR || path.join(lib.SOURCE_DIR, 'build');
    const wanted = process.env.PALABRE_SCREENSHOT_DIR;
    const target = wanted ? path.resolve(lib.SOURCE_DIR, wanted === 'docs' ? docs : wanted) : path.join(build, 'screenshots');
    fs.mkdirSync(target, { recursive: true });
    await visitor.screenshot({ path: path.join(target, 'screenshot-visitor.png'), fullPage: true });
  });

  it('a question holding <script> is shown as text and runs nothing', async () => {
    const card = moderator.locator('#pending > li', { hasText: 'Et les écoles' });
    await card.locator('.q-toggle').click();
    await card.getByRole('button', { name: 'Publish', exact: true }).click();
    const item = visitor.locator('#thread > li.msg-question', { hasText: 'Et les écoles' });
    await item.waitFor();
    assert.equal(await item.locator('.msg-text').textContent(), Q_SCRIPT);
    assert.equal(await visitor.locator('#thread script, #thread img').count(), 0);
    assert.equal(await moderator.locator('#published script, #published img').count(), 0);
    for (const page of [visitor, moderator, guest]) {
      assert.equal(await page.evaluate(() => window.__xss), undefined);
    }
  });

  it('the moderator withdraws a published question and it leaves the visitor\'s thread', async () => {
    const card = moderator.locator('#published > li', { hasText: Q_EDITED });
    await card.locator('.q-toggle').click();
    await card.getByRole('button', { name: 'Withdraw from thread' }).click();
    await card.getByRole('button', { name: 'Confirm withdrawal' }).click();
    await lib.waitInPage(visitor, (text) => !Array.from(document.querySelectorAll('#thread > li'))
      .some((li) => li.textContent.includes(text)), Q_EDITED, { what: 'the withdrawn question to disappear' });
    // The rest of the thread is still there, in order.
    const kinds = await visitor.$$eval('#thread > li', (els) => els.map((e) => e.dataset.kind));
    assert.deepEqual(kinds, ['question', 'announcement', 'question']);
  });

  it('the moderator bans an author, with a reason and a confirmation, and the visitor is told', async () => {
    const card = moderator.locator('#published > li', { hasText: Q_FORWARD });
    await card.locator('.q-toggle').click();
    await card.getByRole('button', { name: 'Ban author' }).click();
    assert.match(await card.locator('.inline-form').textContent(), /Ban Camille from this debate\?/);
    await card.getByLabel('Reason for the ban').fill('Propos répétés hors charte');
    await card.getByRole('button', { name: 'Confirm ban' }).click();
    await card.locator('[data-status="banned"]').waitFor();
    assert.equal(await card.getByRole('button', { name: 'Ban author' }).count(), 0);

    // The page learns of the ban from "my questions" (refreshed on its own
    // while a question is pending, or with this button), before any new post.
    await visitor.click('#mine-refresh');
    await lib.waitInPage(visitor, () => document.querySelector('#question').disabled, null,
      { what: 'the question box to close for the banned visitor' });
    assert.match(await visitor.textContent('#ask-closed'), /exclu/);
    assert.ok(await visitor.isDisabled('#ask-submit'));
  });

  it('no page scrolls sideways on a 360 px wide phone', async () => {
    for (const [name, page] of [['visitor', visitor], ['moderator', moderator], ['guest', guest]]) {
      await page.setViewportSize({ width: 360, height: 740 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
      assert.equal(await lib.horizontalOverflow(page), null, `${name} page at 360 px`);
    }
    const index = await lib.openPage(browser, { viewport: { width: 360, height: 740 } });
    await index.goto(lib.pageUrl(stack, ''));
    await index.locator('#live li').first().waitFor();
    assert.equal(await lib.horizontalOverflow(index), null, 'index page at 360 px');
    await index.context().close();
  });

  it('no page had a script error or a Content-Security-Policy violation', async () => {
    await lib.assertNoProblems(visitor, 'visitor page');
    await lib.assertNoProblems(moderator, 'moderator page');
    await lib.assertNoProblems(guest, 'guest page');
  });
});

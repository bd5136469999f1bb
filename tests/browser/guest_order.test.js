'use strict';
// The guest console follows the moderators: the order they arrange (PUT
// guest-queue) and the question they mark as answered "now" arrive live
// (`queue` frames) and survive a reload; the guest may sort by support
// instead, live; prepared answers are written in the console, inserted into
// a question's answer box, edited and published, and the public thread shows
// the edited text. The moderators act through the API with their invite's
// Bearer token; the guest uses the keyboard where a person would.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');

const QUESTIONS = [
  'Les cantines passeront-elles au bio ?',
  'Quand la piscine rouvrira-t-elle ?',
  'Où en est le projet de piste cyclable ?',
];
const PREPARED_TITLE = 'Piste cyclable : calendrier';
const PREPARED_TEXT = 'Les travaux de la piste cyclable commencent en mars.';
const ADDED = ' Le tronçon du centre-ville ouvrira en juin.';

// Runs in the page before its scripts: keeps every sentence #status says.
function recordAnnouncements() {
  window.__announced = [];
  document.addEventListener('DOMContentLoaded', () => {
    const el = document.getElementById('status');
    new MutationObserver(() => {
      if (el.textContent) window.__announced.push(el.textContent);
    }).observe(el, { childList: true, characterData: true, subtree: true });
  });
}

describe('the guest console follows the moderators\' order and uses prepared answers', () => {
  let stack;
  let browser;
  let ev;
  let invites;
  let mod;
  let guest;
  let ids;
  let visitors;

  before(async () => {
    stack = await lib.startStack();
    ev = await stack.createEvent({
      title: 'Questions à la maire',
      guests: [{ name: 'Anne Martin', role: 'Maire' }],
      languages: ['fr', 'en'],
    });
    invites = await stack.invite(ev.id);
    mod = stack.bearer(invites.moderator_token, 'moderator', ev.id);
    visitors = [];
    for (const name of ['Lou', 'Sami', 'Inès']) visitors.push(await stack.join(ev.id, name));
    ids = [];
    for (let i = 0; i < QUESTIONS.length; i++) {
      ids.push(lib.expectOk(await visitors[i].ask(ev.id, QUESTIONS[i], 'fr'), 202, 'ask').id);
    }
    // Published (so that visitors may support them), then forwarded in this order.
    for (const id of ids) lib.expectOk(await mod.act(ev.id, id, 'publish'), 200, 'publish');
    for (const id of ids) lib.expectOk(await mod.act(ev.id, id, 'forward'), 200, 'forward');
    // One prepared answer written before the event, through the API.
    const guestApi = stack.bearer(invites.guest_token, 'guest', ev.id);
    lib.expectOk(await guestApi.post(`/api/events/${ev.id}/prepared-answers`,
      { title: 'Cantines', text: 'La moitié des repas sera bio dès la rentrée.' }), 201, 'prepared answer');
    browser = await lib.launch();
  });

  after(async () => {
    if (browser) await browser.close();
    if (stack) await stack.stop();
  });

  const order = (page) => page.$$eval('#todo > li', (els) => els.map((e) => e.dataset.id));

  async function waitOrder(page, expected, what) {
    await lib.waitInPage(page, (want) => {
      const got = Array.from(document.querySelectorAll('#todo > li'), (e) => e.dataset.id);
      return got.join() === want.join();
    }, expected, { what });
  }

  const arrange = async (body) => lib.expectOk(await mod.put(`/api/events/${ev.id}/guest-queue`, body), 200, 'PUT guest-queue');

  it('opens in the order of forwarding', async () => {
    guest = await lib.openPage(browser, { initScript: recordAnnouncements });
    await guest.goto(invites.guest_url);
    await guest.waitForSelector('#console:not([hidden])');
    await waitOrder(guest, ids, 'three questions in the order of forwarding');
    await lib.waitInPage(guest, () => document.querySelector('#connection').dataset.state === 'open', null,
      { what: 'the staff stream to open' });
    assert.equal(await guest.locator('#todo > li[aria-current]').count(), 0, 'no question is "now" yet');
  });

  it('follows the order the moderators arrange and the question they mark "now", live', async () => {
    // The guest is typing an answer to the last question meanwhile.
    const typing = guest.locator(`#todo > li[data-id="${ids[2]}"] textarea`);
    await typing.focus();
    await guest.keyboard.type('Brouillon en cours');

    await arrange({ order: [ids[2], ids[0], ids[1]], now: ids[0] });
    await waitOrder(guest, [ids[0], ids[2], ids[1]], '"now" first, then the moderators\' order');
    const first = guest.locator('#todo > li').first();
    assert.equal(await first.getAttribute('aria-current'), 'true');
    assert.ok(await first.locator('.now-badge').isVisible());
    assert.equal(await first.locator('.now-badge').textContent(), 'En cours');
    assert.match(await first.locator('h3').textContent(), /En cours/, 'the heading says it too');
    assert.equal(await guest.locator('.now-badge:visible').count(), 1);
    await lib.waitInPage(guest, () => /Question en cours/.test(document.querySelector('#status').textContent), null,
      { what: 'the "now" question to be announced' });

    // The card moved, the focus and the draft stayed.
    assert.equal(await guest.evaluate(() => document.activeElement.closest('li.card')?.dataset.id), ids[2]);
    await guest.keyboard.type(' et suite');
    assert.equal(await typing.inputValue(), 'Brouillon en cours et suite');
    await typing.fill('');

    await arrange({ order: [ids[1]], now: ids[1] });
    await waitOrder(guest, [ids[1], ids[2], ids[0]], 'the new "now" first, the others in their previous order');
    assert.equal(await guest.locator('#todo > li').first().getAttribute('aria-current'), 'true');
    assert.equal(await guest.locator('#todo > li[aria-current]').count(), 1);
  });

  it('shows the same order and "now" after a reload, without announcing past arrangements again', async () => {
    await guest.reload();
    await guest.waitForSelector('#console:not([hidden])');
    await waitOrder(guest, [ids[1], ids[2], ids[0]], 'the order after a reload');
    assert.equal(await guest.locator('#todo > li').first().getAttribute('aria-current'), 'true');
    // A new "now": its frame comes after every frame the reload replayed.
    await arrange({ order: [ids[1]], now: ids[2] });
    await waitOrder(guest, [ids[2], ids[1], ids[0]], 'the new "now" first');
    await lib.waitInPage(guest, () => window.__announced.some((s) => /Question en cours/.test(s)), null,
      { what: 'the new "now" to be announced' });
    const said = await guest.evaluate(() => window.__announced.filter((s) => /Question en cours/.test(s)));
    assert.equal(said.length, 1, `one announcement, for the new "now" only: ${JSON.stringify(said)}`);
  });

  it('sorts by support, live, and back to the moderators\' order', async () => {
    await arrange({ order: ids, now: null });
    await waitOrder(guest, ids, 'the moderators\' order without "now"');
    assert.equal(await guest.locator('#todo > li[aria-current]').count(), 0);
    // Two supports for the third question, one for the second.
    for (const v of visitors.slice(0, 2)) lib.expectOk(await v.post(`/api/events/${ev.id}/questions/${ids[2]}/support`, {}), 200, 'support');
    lib.expectOk(await visitors[0].post(`/api/events/${ev.id}/questions/${ids[1]}/support`, {}), 200, 'support');
    await lib.waitInPage(guest, (id) => document.querySelector(`#todo > li[data-id="${id}"] .guest-supports`)?.textContent === '2 soutiens',
      ids[2], { what: 'the support count on the card, live' });

    // With the keyboard: the radio group, then an arrow to "most supported first".
    await guest.focus('#sort-moderators');
    await guest.keyboard.press('ArrowDown');
    assert.ok(await guest.isChecked('#sort-support'));
    await waitOrder(guest, [ids[2], ids[1], ids[0]], 'the most supported first');

    // Three supports for the first question: it goes to the top by itself.
    for (const v of visitors) lib.expectOk(await v.post(`/api/events/${ev.id}/questions/${ids[0]}/support`, {}), 200, 'support');
    await waitOrder(guest, [ids[0], ids[2], ids[1]], 'the order following the supports live');
    assert.equal(await guest.locator(`#todo > li[data-id="${ids[0]}"] .guest-supports`).textContent(), '3 soutiens');

    await guest.keyboard.press('ArrowUp');
    assert.ok(await guest.isChecked('#sort-moderators'));
    await waitOrder(guest, ids, 'the moderators\' order again');
  });

  it('adds a prepared answer, inserts it into a question\'s answer box, edits it and publishes it', async () => {
    const reader = await lib.openPage(browser);
    await reader.goto(lib.pageUrl(stack, `e/${ev.id}`));
    await reader.locator(`#thread li[data-id="${ids[2]}"]`).waitFor();

    await guest.locator('#prepared-list > li', { hasText: 'Cantines' }).waitFor();
    assert.ok(await guest.isHidden('#prepared-empty'));
    await guest.focus('#prepared-title');
    await guest.keyboard.type(PREPARED_TITLE);
    await guest.keyboard.press('Tab');
    await guest.keyboard.type(PREPARED_TEXT);
    await lib.tabTo(guest, '#prepared-submit', { max: 3 });
    await guest.keyboard.press('Enter');
    await guest.locator('#prepared-list > li', { hasText: PREPARED_TITLE }).waitFor();
    assert.equal(await guest.inputValue('#prepared-title'), '', 'the form is empty again');
    assert.equal(await guest.locator('#prepared-list > li').count(), 2);

    const card = guest.locator(`#todo > li[data-id="${ids[2]}"]`);
    const select = card.getByLabel('Réponse préparée');
    await select.selectOption({ label: PREPARED_TITLE });
    await select.focus();
    await guest.keyboard.press('Tab');
    assert.equal(await guest.evaluate(() => document.activeElement.textContent), 'Insérer une réponse préparée');
    await guest.keyboard.press('Enter');
    const area = card.locator('textarea');
    assert.equal(await area.inputValue(), PREPARED_TEXT, 'the text is in the box');
    assert.equal(await guest.evaluate(() => document.activeElement.tagName), 'TEXTAREA', 'the focus is in the box, to edit it');
    await guest.keyboard.type(ADDED);
    await guest.keyboard.press('Tab');
    await guest.keyboard.press('Enter');
    await guest.locator('#done > li', { hasText: PREPARED_TEXT + ADDED }).waitFor();

    const answer = reader.locator(`#thread li[data-id="${ids[2]}"] .msg-answer .msg-text`);
    await answer.waitFor();
    assert.equal(await answer.textContent(), PREPARED_TEXT + ADDED, 'the public thread shows the edited text');
    await lib.assertNoProblems(reader, 'visitor page');
    await reader.context().close();
  });

  it('the console with prepared answers and a question "now" passes axe-core and reflows at 320 px', async () => {
    await arrange({ order: [ids[1]], now: ids[1] });
    await lib.waitInPage(guest, (id) => document.querySelector('#todo > li[aria-current="true"]')?.dataset.id === id,
      ids[1], { what: 'the "now" question' });
    await lib.assertAccessible(guest, 'guest console with prepared answers and a question "now"');
    await lib.guideScreenshot(guest, 'guest-console');
    // An error in the prepared-answer form, too.
    await guest.click('#prepared-submit');
    await guest.locator('#prepared-form-error:not(:empty)').waitFor();
    assert.equal(await guest.evaluate(() => document.activeElement.id), 'prepared-title');
    await lib.assertAccessible(guest, 'guest console with an error in the prepared-answer form');

    await guest.setViewportSize({ width: 320, height: 640 });
    await guest.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    assert.equal(await lib.horizontalOverflow(guest), null, 'guest console at 320 px');
  });

  it('no script error or Content-Security-Policy violation', async () => {
    await lib.assertNoProblems(guest, 'guest console');
  });
});

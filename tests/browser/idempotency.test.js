'use strict';
// A question or a moderator's action is made once, however the network
// behaves: each carries an Idempotency-Key made once per question (or per
// click) and sent again, unchanged, with every retry; transient failures
// (network, 502/503/504, 409 idempotency_in_progress) are retried by the page
// itself; a question is never dropped silently.
//
// The cases marked "(server)" need the server's side of the contract
// (docs/API.md, "Idempotency"): a repeat of a request that the server has
// already carried out is answered with the first answer. The others hold
// whatever the server does with the header.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');

const QUESTIONS = /\/api\/events\/[^/]+\/questions$/;

describe('a question or an action is made once, however the network behaves', () => {
  let stack;
  let browser;
  let admin;

  before(async () => {
    stack = await lib.startStack();
    admin = stack.asAdmin();
    browser = await lib.launch();
  });

  after(async () => {
    if (browser) await browser.close();
    if (stack) await stack.stop();
  });

  const visit = (eventId, name) => lib.visitAs(browser, stack, eventId, name);

  const ask = lib.askOnPage;

  const mine = lib.myQuestion;

  async function pendingTexts(eventId) {
    const queue = lib.expectOk(await admin.get(`/api/events/${eventId}/queue`), 200, 'queue');
    return queue.pending.map((q) => q.text);
  }

  function assertOneKey(requests, what) {
    const keys = requests.map((r) => r.key);
    assert.ok(keys[0] && lib.IDEMPOTENCY_KEY_RE.test(keys[0]), `${what}: a valid Idempotency-Key (${keys[0]})`);
    assert.deepEqual(keys, keys.map(() => keys[0]), `${what}: the same key on every attempt`);
    return keys[0];
  }

  it('a question whose first sending meets a 502 is sent again by itself, with the same key, and arrives once', async () => {
    const ev = await stack.createEvent({ title: 'Débat, passerelle capricieuse' });
    const page = await visit(ev.id, 'Patiente');
    const requests = await lib.recordRoute(page, QUESTIONS, (route, n) => (n === 1
      ? route.fulfill({ status: 502, contentType: 'text/html', body: '<html><body>502 Bad Gateway</body></html>' })
      : route.continue()));
    await ask(page, 'Question qui passe au second essai');
    const item = mine(page, 'Question qui passe au second essai');
    await item.locator('[data-status="pending"]').waitFor();
    assert.equal(await item.getByRole('button', { name: 'Réessayer' }).count(), 0, 'no retry asked of the visitor');
    assert.equal(requests.length, 2, 'one failed attempt, then one that arrived');
    assertOneKey(requests, 'the question');
    assert.deepEqual(await pendingTexts(ev.id), ['Question qui passe au second essai'], 'exactly one pending question');
    assert.equal(await page.locator('#my-questions li').count(), 1, 'listed once in "my questions"');
    await lib.assertNoProblems(page, 'visitor page');
    await lib.assertAccessible(page, 'visitor page after a retried question');
    await page.context().close();
  });

  it('while the first attempt is still being handled (409 idempotency_in_progress), the page waits Retry-After and sends the same key', async () => {
    const ev = await stack.createEvent({ title: 'Débat, serveur occupé' });
    const page = await visit(ev.id, 'Patiente');
    const requests = await lib.recordRoute(page, QUESTIONS, (route, n) => (n === 1
      ? route.fulfill({
        status: 409,
        headers: { 'Retry-After': '1', 'Cache-Control': 'no-store' },
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'idempotency_in_progress', message: 'A request with this key is in progress.' } }),
      })
      : route.continue()));
    await ask(page, 'Question pendant un envoi en cours');
    await mine(page, 'Question pendant un envoi en cours').locator('[data-status="pending"]').waitFor();
    assert.equal(requests.length, 2);
    assertOneKey(requests, 'the question');
    assert.ok(requests[1].at - requests[0].at >= 900, `Retry-After: 1 honoured (${requests[1].at - requests[0].at} ms)`);
    assert.deepEqual(await pendingTexts(ev.id), ['Question pendant un envoi en cours']);
    await page.context().close();
  });

  it('when every automatic attempt fails, the page says "failed", keeps the key across a reload, and the retry button sends it again', async () => {
    const ev = await stack.createEvent({ title: 'Débat, réseau coupé' });
    const page = await visit(ev.id, 'Obstinée');
    const failing = await lib.recordRoute(page, QUESTIONS, (route) => route.abort('connectionreset'));
    await ask(page, 'Question envoyée pendant la coupure');
    const item = mine(page, 'Question envoyée pendant la coupure');
    await item.locator('[data-status="failed"]').waitFor({ timeout: 30000 });
    assert.equal(failing.length, 5, 'one sending and four automatic retries, then the visitor decides');
    const key = assertOneKey(failing, 'the automatic attempts');
    const stored = await page.evaluate((id) => JSON.parse(localStorage.getItem(`palabre.outbox.${id}`)), ev.id);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].key, key, 'the key is kept with the question in localStorage');

    await page.unroute(QUESTIONS);
    await page.reload();
    await page.waitForSelector('#ask-form:not([hidden])');
    const again = await lib.recordRoute(page, QUESTIONS);
    await mine(page, 'Question envoyée pendant la coupure').getByRole('button', { name: 'Réessayer' }).click();
    await mine(page, 'Question envoyée pendant la coupure').locator('[data-status="pending"]').waitFor();
    assert.deepEqual(again.map((r) => r.key), [key], 'the retry button sends the same key');
    assert.deepEqual(await pendingTexts(ev.id), ['Question envoyée pendant la coupure']);
    assert.equal(await page.evaluate((id) => localStorage.getItem(`palabre.outbox.${id}`), ev.id), '[]',
      'the outbox is empty once the server has the question');
    await page.context().close();
  });

  it('a question still sending when the page was closed is sent again by itself, with its key, once', async () => {
    const ev = await stack.createEvent({ title: 'Débat, page rechargée' });
    const page = await visit(ev.id, 'Pressé');
    // What the outbox holds when the page is closed in the middle of a sending.
    const key = 'k-closed-while-sending-0001';
    await page.evaluate(([id, k]) => {
      localStorage.setItem(`palabre.outbox.${id}`, JSON.stringify([{
        localId: 'l-closed', key: k, text: 'Question en vol à la fermeture de la page', lang: 'fr',
        state: 'sending', createdAt: new Date().toISOString(),
      }]));
    }, [ev.id, key]);
    const requests = await lib.recordRoute(page, QUESTIONS);
    await page.reload();
    await mine(page, 'Question en vol à la fermeture').locator('[data-status="pending"]').waitFor();
    assert.deepEqual(requests.map((r) => r.key), [key], 'sent again once, with the key it was given');
    assert.deepEqual(await pendingTexts(ev.id), ['Question en vol à la fermeture de la page']);
    await page.context().close();
  });

  it('(server) a question whose answer is lost after the server took it is not created twice', async () => {
    const ev = await stack.createEvent({ title: 'Débat, réponse perdue' });
    const page = await visit(ev.id, 'Malchanceux');
    const replayed = [];
    page.on('response', (res) => {
      if (QUESTIONS.test(res.url()) && res.request().method() === 'POST') {
        replayed.push(res.headers()['idempotent-replayed'] || null);
      }
    });
    const requests = await lib.recordRoute(page, QUESTIONS, async (route, n) => {
      if (n !== 1) return route.continue();
      // The server creates the question; its answer is lost on the way back.
      const res = await route.fetch();
      assert.equal(res.status(), 202, 'the first attempt reached the server');
      return route.fulfill({ status: 502, contentType: 'text/html', body: '<html><body>502 Bad Gateway</body></html>' });
    });
    await ask(page, 'Question dont la réponse se perd');
    await mine(page, 'Question dont la réponse se perd').locator('[data-status="pending"]').waitFor();
    assert.equal(requests.length, 2);
    assertOneKey(requests, 'the question');
    assert.deepEqual(await pendingTexts(ev.id), ['Question dont la réponse se perd'],
      'one question: the server answered the repeat with the first answer');
    assert.equal(replayed[replayed.length - 1], 'true', 'the answer to the repeat says Idempotent-Replayed: true');
    assert.equal(await page.locator('#my-questions li').count(), 1);
    await page.context().close();
  });

  describe('the moderator console', () => {
    let ev;
    let citizen;
    let page;

    before(async () => {
      ev = await stack.createEvent({ title: 'Débat, modération sur réseau instable' });
      citizen = await stack.join(ev.id, 'Camille');
      const invites = await stack.invite(ev.id);
      page = await lib.openPage(browser);
      await page.goto(invites.moderator_url);
      await page.waitForSelector('#console:not([hidden])');
      await lib.waitInPage(page, () => document.querySelector('#connection').dataset.state === 'open',
        null, { what: 'the staff stream to open' });
    });

    after(async () => {
      if (page) await page.context().close();
    });

    async function askAndWait(text) {
      const id = lib.expectOk(await citizen.ask(ev.id, text, 'fr'), 202, 'ask').id;
      await page.locator(`#pending li[data-id="${id}"]`).waitFor();
      return id;
    }

    // One line per question: open it, then publish.
    async function publish(p, id) {
      const row = p.locator(`#pending li[data-id="${id}"]`);
      await row.locator('.q-toggle').click();
      await row.getByRole('button', { name: 'Publier', exact: true }).click();
    }

    async function publishedIds() {
      const res = lib.expectOk(await stack.get(`/api/events/${ev.id}/transcript.json`), 200, 'transcript');
      return res.messages.map((m) => m.id);
    }

    it('a publish that meets a 503 is retried by itself with the same key and publishes once', async () => {
      const id = await askAndWait('Quand les travaux commencent-ils ?');
      const pattern = new RegExp(`/questions/${id}/publish$`);
      const requests = await lib.recordRoute(page, pattern, (route, n) => (n === 1
        ? route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'store_unavailable', message: 'Redis is unavailable.' } }),
        })
        : route.continue()));
      await publish(page, id);
      await page.locator(`#published li[data-id="${id}"]`).waitFor();
      assert.equal(requests.length, 2);
      assertOneKey(requests, 'the publish');
      assert.deepEqual((await publishedIds()).filter((x) => x === id), [id], 'published once');
      await page.unroute(pattern);
    });

    it('two clicks are two actions with two keys', async () => {
      const one = await askAndWait('Première question à publier');
      const two = await askAndWait('Seconde question à publier');
      const requests = await lib.recordRoute(page, /\/questions\/[^/]+\/publish$/);
      await publish(page, one);
      await page.locator(`#published li[data-id="${one}"]`).waitFor();
      await publish(page, two);
      await page.locator(`#published li[data-id="${two}"]`).waitFor();
      assert.equal(requests.length, 2);
      assert.ok(requests.every((r) => lib.IDEMPOTENCY_KEY_RE.test(r.key || '')), 'both carry a key');
      assert.notEqual(requests[0].key, requests[1].key);
      await page.unroute(/\/questions\/[^/]+\/publish$/);
    });

    it('an announcement sent again unchanged after a failure keeps its key, and appears once', async () => {
      const pattern = /\/api\/events\/[^/]+\/announcements$/;
      const text = 'Le débat reprend dans cinq minutes.';
      const failing = await lib.recordRoute(page, pattern, (route) => route.abort('connectionreset'));
      await page.fill('#announce-text', text);
      await page.click('#announce-form button[type=submit]');
      await lib.waitInPage(page, () => document.querySelector('#announce-error').textContent !== '', null,
        { what: 'the announcement to fail after the automatic retries', timeout: 30000 });
      assert.equal(failing.length, 4, 'one sending and three automatic retries');
      const key = assertOneKey(failing, 'the announcement');
      await page.unroute(pattern);
      const again = await lib.recordRoute(page, pattern);
      await page.click('#announce-form button[type=submit]');
      await lib.waitInPage(page, () => document.querySelector('#announce-text').value === '', null,
        { what: 'the announcement to be published' });
      assert.deepEqual(again.map((r) => r.key), [key], 'the same announcement, the same key');
      const texts = (lib.expectOk(await stack.get(`/api/events/${ev.id}/transcript.json`), 200, 'transcript'))
        .messages.filter((m) => m.kind === 'announcement').map((m) => m.text);
      assert.deepEqual(texts, [text], 'published once');
      await page.unroute(pattern);
      await lib.assertNoProblems(page, 'moderator console');
      await lib.assertAccessible(page, 'moderator console after retried actions');
    });

    it('(server) a publish whose answer is lost after the server did it is answered with the first answer', async () => {
      const id = await askAndWait('Question dont la publication se perd');
      const pattern = new RegExp(`/questions/${id}/publish$`);
      const answers = [];
      page.on('response', (res) => {
        if (pattern.test(res.url())) answers.push({ status: res.status(), replayed: res.headers()['idempotent-replayed'] || null });
      });
      const requests = await lib.recordRoute(page, pattern, async (route, n) => {
        if (n !== 1) return route.continue();
        const res = await route.fetch();
        assert.equal(res.status(), 200, 'the first attempt reached the server');
        return route.abort('connectionreset');
      });
      await publish(page, id);
      await page.locator(`#published li[data-id="${id}"]`).waitFor();
      await lib.waitUntil(() => answers.length >= 1, { what: 'the answer to the repeat' });
      assert.equal(requests.length, 2);
      assertOneKey(requests, 'the publish');
      assert.deepEqual(answers[answers.length - 1], { status: 200, replayed: 'true' },
        'the repeat gets the first answer (200, Idempotent-Replayed), not 409 conflict');
      assert.deepEqual((await publishedIds()).filter((x) => x === id), [id], 'published once');
      await page.unroute(pattern);
    });
  });
});

'use strict';
// Abuse that clearing cookies used to defeat, through nginx: joins and
// questions are limited per network address too, a ban also refuses new
// visitor ids from the banned visitor's address, X-Forwarded-For counts
// only from a configured proxy, and Redis holds keyed hashes of addresses,
// never the addresses, each with an expiry.
// Loopback has a whole /8: each case speaks from its own 127.0.0.x.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, expectError, expectOk, cookiePair, Session } = require('../support/cluster');

const PROXY = '127.0.0.7';
let c;
let mod;
let names = 0;

// A brand-new browser (no cookie) joining debate `eventId` from `from`.
async function freshJoin(eventId, from, headers = {}) {
  return c.request('POST', `/api/events/${eventId}/join`, {
    body: { name: `Habitant ${++names}` }, headers: { Origin: c.origin, ...headers }, localAddress: from,
  });
}

function sessionOf(res, eventId) {
  const pair = cookiePair(res, 'palabre_v');
  assert.ok(pair, 'a visitor cookie');
  return new Session(c, { cookie: pair.pair, csrf: res.json.csrf_token, visitorId: res.json.visitor_id, eventId });
}

async function joinedFrom(eventId, from) {
  const res = await freshJoin(eventId, from);
  expectOk(res, 200, `join from ${from}`);
  return sessionOf(res, eventId);
}

function askFrom(v, from, text) {
  return v.post(`/api/events/${v.eventId}/questions`, { text, lang: 'fr' }, { localAddress: from });
}

async function newDebate(title) {
  const id = (await c.createEvent({ title })).id;
  const inv = await c.invite(id);
  return { id, mod: c.bearer(inv.moderator_token, 'moderator', id) };
}

before(async () => {
  c = await startCluster({
    workers: 2, nginxWorkers: 1,
    env: { PALABRE_JOINS_PER_ADDRESS: '5', PALABRE_QUESTIONS_PER_ADDRESS: '6', PALABRE_ADDRESS_WINDOW_S: '60' },
    renderArgs: ['--trusted-proxy', `${PROXY}/32`],
  });
});

after(async () => {
  if (c) await c.stop();
});

describe('per-address limits', () => {
  it('limits new visitor ids per address, with Retry-After, and not renaming', async () => {
    const { id } = await newDebate('Limite des arrivées');
    const first = await joinedFrom(id, '127.0.0.11');
    for (let i = 1; i < 5; i++) await joinedFrom(id, '127.0.0.11');
    const sixth = await freshJoin(id, '127.0.0.11');
    expectError(sixth, 429, 'rate_limited', 'the sixth new visitor from one address');
    assert.ok(Number(sixth.headers['retry-after']) >= 1, 'Retry-After');
    assert.equal(sixth.headers['set-cookie'], undefined, 'no session');
    // Someone already there may still change their pseudonym.
    expectOk(await first.post(`/api/events/${id}/join`, { name: 'Nouveau nom' }, { localAddress: '127.0.0.11' }), 200, 'rename');
    // Another address, and the same address in another debate, are not affected.
    await joinedFrom(id, '127.0.0.12');
    const other = await newDebate('Autre débat');
    await joinedFrom(other.id, '127.0.0.11');
  });

  it('limits questions per address across visitors', async () => {
    const { id, mod: m } = await newDebate('Limite des questions');
    const a = await joinedFrom(id, '127.0.0.21');
    const b = await joinedFrom(id, '127.0.0.21');
    const d = await joinedFrom(id, '127.0.0.21');
    for (const v of [a, b, d]) {
      for (let i = 0; i < 2; i++) expectOk(await askFrom(v, '127.0.0.21', `Question ${++names}`), 202, 'within the limit');
    }
    const pendingBefore = expectOk(await m.get(`/api/events/${id}/queue`), 200).pending.length;
    const seventh = await askFrom(a, '127.0.0.21', 'Une de trop');
    expectError(seventh, 429, 'rate_limited', 'the seventh question from one address');
    assert.ok(Number(seventh.headers['retry-after']) >= 1, 'Retry-After');
    assert.equal(expectOk(await m.get(`/api/events/${id}/queue`), 200).pending.length, pendingBefore, 'nothing queued');
    // The same visitor on another network (a phone leaving the Wi-Fi) may ask.
    expectOk(await askFrom(a, '127.0.0.22', 'Depuis la 4G'), 202, 'from another address');
  });

  it('ignores X-Forwarded-For from anyone but the configured proxy', async () => {
    const { id } = await newDebate('En-têtes de proxy');
    for (let i = 0; i < 5; i++) {
      expectOk(await freshJoin(id, '127.0.0.31', { 'X-Forwarded-For': `203.0.113.${i}` }), 200, 'join');
    }
    expectError(await freshJoin(id, '127.0.0.31', { 'X-Forwarded-For': '203.0.113.99' }), 429, 'rate_limited',
      'a forged X-Forwarded-For does not make a new address');
    // Through the trusted proxy, each citizen behind it counts on their own.
    for (let i = 0; i < 8; i++) {
      expectOk(await freshJoin(id, PROXY, { 'X-Forwarded-For': `198.51.100.${i}` }), 200, `citizen ${i} behind the proxy`);
    }
  });
});

describe('bans cover the address', () => {
  it('refuses new visitor ids from a banned visitor\'s address, not the others already there', async () => {
    const { id, mod: m } = await newDebate('Bannissement');
    const neighbour = await joinedFrom(id, '127.0.0.41');
    const troll = await joinedFrom(id, '127.0.0.41');
    expectOk(await askFrom(troll, '127.0.0.41', 'Message pénible'), 202, 'troll asks');
    expectOk(await m.post(`/api/events/${id}/bans`, { visitor_id: troll.visitorId, reason: 'spam' }), 201, 'ban');
    expectError(await askFrom(troll, '127.0.0.41', 'Encore'), 403, 'banned', 'the troll');
    // Clearing cookies: a new visitor id from the same address is refused.
    const again = await freshJoin(id, '127.0.0.41');
    expectError(again, 403, 'banned', 'a fresh join from the banned address');
    assert.equal(again.headers['set-cookie'], undefined, 'no session');
    // The neighbour on the same Wi-Fi, already there, goes on; so do other addresses.
    expectOk(await askFrom(neighbour, '127.0.0.41', 'Ma question légitime'), 202, 'the neighbour');
    await joinedFrom(id, '127.0.0.42');
    // Lifting the ban lifts the address too.
    assert.equal((await m.del(`/api/events/${id}/bans/${troll.visitorId}`)).status, 204, 'unban');
    await joinedFrom(id, '127.0.0.41');
  });
});

describe('what Redis keeps of addresses', () => {
  it('holds keyed hashes with an expiry, never an address', async () => {
    const keys = (await c.redisCli(['--scan', '--pattern', 'palabre:*'])).split('\n').filter(Boolean);
    const addressKeys = keys.filter((k) => /:(joinrate|qrate|vaddr|banaddr):|^palabre:addrkey:/.test(k));
    assert.ok(addressKeys.length > 5, `address keys exist (${addressKeys.length})`);
    for (const k of keys) assert.doesNotMatch(k, /127\.0\.0\.|203\.0\.113|198\.51\.100/, `key ${k} names no address`);
    for (const k of addressKeys) {
      const ttl = Number((await c.redisCli(['TTL', k])).trim());
      assert.ok(ttl > 0, `${k} expires (TTL ${ttl})`);
    }
    const dump = (await c.redisCli(['--scan', '--pattern', 'palabre:ev:*:vaddr:*'])).split('\n').filter(Boolean);
    for (const k of dump) {
      const v = (await c.redisCli(['GET', k])).trim();
      assert.match(v, /^[0-9a-f]{32}$/, `${k} holds a hash`);
    }
  });
});

describe('/healthz and /metrics behind a trusted proxy', () => {
  it('answer the monitoring addresses as realip resolves them, never the proxy itself', async () => {
    const via = (p, xff) => c.get(p, { localAddress: PROXY, headers: xff ? { 'X-Forwarded-For': xff } : {} });
    for (const p of ['/healthz', '/metrics']) {
      expectError(await via(p, '203.0.113.9'), 403, 'forbidden', `${p}: a remote client through the proxy`);
      expectError(await via(p, '127.0.0.1, 203.0.113.9'), 403, 'forbidden', `${p}: a forged loopback before the real client`);
      expectError(await via(p), 403, 'forbidden', `${p}: the proxy's own address is not a monitoring one`);
      assert.equal((await via(p, '127.0.0.1')).status, 200, `${p}: a local agent through the proxy`);
    }
  });
});

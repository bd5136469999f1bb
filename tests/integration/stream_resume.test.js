'use strict';
// The live stream never loses or repeats a message: reconnecting with
// Last-Event-ID (header, or ?last_event_id= for a new EventSource) replays
// exactly what was missed, even while messages keep coming, even when the
// reconnection lands on another worker. The long-poll waits when there is
// nothing new, answers within a second of a publication, and gives up after
// PALABRE_LONGPOLL_TIMEOUT_S. Streams parked on either worker receive what
// was published through the other.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startCluster, expectOk, waitUntil } = require('../support/cluster');

const LONGPOLL_TIMEOUT_S = 2;

let c;
let counter = 0;

async function newDebate(title) {
  const ev = await c.createEvent({ title });
  const inv = await c.invite(ev.id);
  return { id: ev.id, base: `/api/events/${ev.id}`, mod: c.bearer(inv.moderator_token) };
}

// Publishes one announcement; resolves {id, cursor, requestId}.
async function announce(debate, text = `Annonce ${++counter}`) {
  const res = await debate.mod.post(`${debate.base}/announcements`, { text, lang: 'fr' });
  const body = expectOk(res, 201, 'announcement');
  assert.match(body.id, /^n_/);
  assert.ok(body.cursor, 'the announcement answer carries its cursor');
  return { id: body.id, cursor: body.cursor, requestId: res.headers['x-request-id'] };
}

const lastUpstream = (line) => (line.upstream_addr || '').split(/,\s*/).pop();

before(async () => {
  c = await startCluster({ workers: 2, nginxWorkers: 1, env: { PALABRE_LONGPOLL_TIMEOUT_S: String(LONGPOLL_TIMEOUT_S) } });
});

after(async () => {
  if (c) await c.stop();
});

describe('Server-Sent Events resume', () => {
  it('skips and repeats nothing across many reconnections while messages keep coming', async () => {
    const d = await newDebate('Reprise');
    const N = 60;
    const published = [];
    let publishing = true;
    const publisher = (async () => {
      try {
        for (let i = 0; i < N; i++) published.push(await announce(d, `Message ${i + 1} / ${N}`));
      } finally {
        publishing = false;
      }
    })();

    const received = [];
    let last = null;
    let reconnects = 0;
    const deadline = Date.now() + 60000;
    while ((publishing || received.length < N) && Date.now() < deadline) {
      // Alternate the two ways of resuming.
      const useQuery = reconnects % 2 === 1 && last !== null;
      const path = useQuery ? `${d.base}/stream?last_event_id=${encodeURIComponent(last)}` : `${d.base}/stream`;
      const s = await c.sse(path, useQuery ? {} : { lastEventId: last });
      assert.equal(s.status, 200, `reconnect ${reconnects}: ${s.status} ${s.text}`);
      const want = 1 + (reconnects % 5);
      const have = () => s.messages().length;
      await waitUntil(() => have() >= want || (!publishing && received.length + have() >= N),
        { timeoutMs: 10000, intervalMs: 5, what: `${want} messages on reconnection ${reconnects} (${s.describe()})` });
      s.close();
      for (const f of s.messages()) {
        received.push({ id: f.data.id, cursor: f.id });
        last = f.id;
      }
      reconnects++;
    }
    await publisher;
    assert.ok(reconnects >= 10, `reconnected ${reconnects} times`);
    assert.deepEqual(received.map((r) => r.id), published.map((p) => p.id), 'every message exactly once, in order');
    assert.deepEqual(received.map((r) => r.cursor), published.map((p) => p.cursor), 'frame ids are the cursors');
  });

  it('replays exactly the frames after a given id, then goes on live', async () => {
    const d = await newDebate('Rejouer');
    const published = [];
    for (let i = 0; i < 12; i++) published.push(await announce(d));
    for (const k of [0, 5, 11]) {
      for (const how of ['header', 'query']) {
        const cursor = published[k].cursor;
        const s = how === 'header'
          ? await c.sse(`${d.base}/stream`, { lastEventId: cursor })
          : await c.sse(`${d.base}/stream?last_event_id=${encodeURIComponent(cursor)}`);
        assert.equal(s.status, 200);
        const marker = await announce(d, `Repère ${k} ${how}`);
        published.push(marker);
        const want = published.slice(k + 1);
        const got = await s.waitForCount(want.length, (f) => f.event === 'message', 10000, `${want.length} messages after #${k} (${how})`);
        s.close();
        assert.deepEqual(got.map((f) => f.data.id), want.map((p) => p.id), `after #${k} by ${how}`);
      }
    }
  });

  it('resumes on the other worker when the stream\'s worker goes away', async () => {
    const d = await newDebate('Panne');
    const first = await announce(d);
    // Worker 1 stopped: the stream lands on worker 0.
    await c.killWorker(1);
    const s = await c.sse(`${d.base}/stream`);
    await s.waitFor((f) => f.data.id === first.id, 10000, 'the first message');
    await c.startWorker(1);
    await c.killWorker(0);
    assert.ok(await s.waitForEnd(15000), 'the stream ends when its worker stops');
    // Published while the client is disconnected, through worker 1.
    const missed = [await announce(d), await announce(d)];
    const again = await c.sse(`${d.base}/stream`, { lastEventId: s.lastEventId });
    assert.equal(again.status, 200, again.text);
    const got = await again.waitForCount(2, (f) => f.event === 'message', 10000, 'the two missed messages');
    assert.deepEqual(got.map((f) => f.data.id), missed.map((m) => m.id));
    again.close();
    await c.startWorker(0);
    await c.waitHealthy();
  });
});

describe('long-poll', () => {
  let d;
  before(async () => { d = await newDebate('Long-poll'); });

  it('without `after`, answers at once with the latest cursor and the recent history', async () => {
    const published = [];
    for (let i = 0; i < 5; i++) published.push(await announce(d));
    const res = await c.poll(`${d.base}/poll`);
    const body = expectOk(res, 200, 'poll');
    assert.ok(res.elapsedMs < 2000, `answered at once (${res.elapsedMs} ms)`);
    assert.equal(body.cursor, published[4].cursor, 'the latest cursor');
    // A debate's history opens with its phase, announced when it was created.
    assert.deepEqual(body.items.map((i) => i.type), ['phase', 'message', 'message', 'message', 'message', 'message']);
    assert.equal(body.items[0].data.phase, 'live');
    assert.deepEqual(body.items.slice(1).map((i) => i.data.id), published.map((p) => p.id));
    for (const item of body.items) assert.ok(item.cursor);
  });

  it('waits when nothing is new and answers within a second of a publication', async () => {
    const start = expectOk(await c.poll(`${d.base}/poll`), 200);
    const pending = c.poll(`${d.base}/poll`, { after: start.cursor });
    // Leave the poll parked for a while before publishing.
    let settled = false;
    pending.then(() => { settled = true; }, () => { settled = true; });
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(settled, false, 'the long-poll waits while nothing is new');
    const t0 = Date.now();
    const m = await announce(d, 'Réveil');
    const res = await pending;
    const lag = Date.now() - t0;
    const body = expectOk(res, 200);
    assert.deepEqual(body.items.map((i) => i.data.id), [m.id]);
    assert.equal(body.cursor, m.cursor);
    assert.ok(lag < 1500, `answered ${lag} ms after the publication`);
  });

  it(`answers with empty items after PALABRE_LONGPOLL_TIMEOUT_S (${LONGPOLL_TIMEOUT_S} s)`, async () => {
    const start = expectOk(await c.poll(`${d.base}/poll`), 200);
    const res = await c.poll(`${d.base}/poll`, { after: start.cursor });
    const body = expectOk(res, 200);
    assert.deepEqual(body.items, []);
    assert.equal(body.cursor, start.cursor, 'the same cursor');
    assert.ok(res.elapsedMs >= LONGPOLL_TIMEOUT_S * 1000 - 300, `waited ${res.elapsedMs} ms`);
    assert.ok(res.elapsedMs < LONGPOLL_TIMEOUT_S * 1000 + 3000, `gave up after ${res.elapsedMs} ms`);
  });

  it('loses nothing when a client follows the cursor while messages keep coming', async () => {
    const start = expectOk(await c.poll(`${d.base}/poll`), 200);
    const N = 30;
    const published = [];
    const publisher = (async () => { for (let i = 0; i < N; i++) published.push(await announce(d)); })();
    const got = [];
    let cursor = start.cursor;
    const deadline = Date.now() + 60000;
    while (got.length < N && Date.now() < deadline) {
      const body = expectOk(await c.poll(`${d.base}/poll`, { after: cursor }), 200);
      for (const item of body.items) got.push(item.data.id);
      cursor = body.cursor;
    }
    await publisher;
    assert.deepEqual(got, published.map((p) => p.id));
  });
});

describe('two workers', () => {
  // Which worker holds a stream is decided by starting it while the other one
  // is stopped; nginx's access log then tells which worker each publication
  // went through.
  async function streamsOn(stopped, d, count) {
    await c.killWorker(stopped);
    const streams = [];
    for (let i = 0; i < count; i++) {
      const s = await c.sse(`${d.base}/stream`);
      assert.equal(s.status, 200, s.text);
      streams.push(s);
    }
    await c.startWorker(stopped);
    return streams;
  }

  async function publishThrough(d, worker, published) {
    const sock = `unix:${c.workerSocket(worker)}`;
    // nginx writes a log line just after the answer, so look at every
    // publication so far, not only the one just answered.
    await waitUntil(async () => {
      published.push(await announce(d));
      const ids = new Set(published.map((m) => m.requestId));
      const through = c.accessLog().filter((l) => ids.has(l.request_id) && lastUpstream(l) === sock);
      return through.length > 0 && published.length >= 6;
    }, { timeoutMs: 30000, intervalMs: 1, what: `publications through worker ${worker}` });
  }

  for (const [parked, other] of [[0, 1], [1, 0]]) {
    it(`delivers to streams parked on worker ${parked} what is published through worker ${other}`, async () => {
      const d = await newDebate(`Deux workers ${parked}`);
      const streams = await streamsOn(other, d, 6);
      const published = [];
      await publishThrough(d, other, published);
      for (const s of streams) {
        const got = await s.waitForCount(published.length, (f) => f.event === 'message', 10000, `${published.length} messages`);
        assert.deepEqual(got.map((f) => f.data.id), published.map((p) => p.id));
      }
      for (const s of streams) s.close();
      // The streams' own log lines (written when they end) confirm where they were.
      // Streams go to the workers' stream sockets (the hubs' doors).
      const sock = `unix:${c.streamSocket(parked)}`;
      await waitUntil(() => c.accessLog().filter((l) => l.uri === c.path(`${d.base}/stream`)).length >= streams.length,
        { timeoutMs: 10000, what: 'the streams in the access log' });
      const lines = c.accessLog().filter((l) => l.uri === c.path(`${d.base}/stream`));
      for (const l of lines) assert.equal(lastUpstream(l), sock, `stream served by worker ${parked}: ${JSON.stringify(l)}`);
    });
  }

  it('delivers an entry whose Pub/Sub wake-up was lost, within a few seconds', async () => {
    const d = await newDebate('Réveil perdu');
    const first = await announce(d);
    const s = await c.sse(`${d.base}/stream`);
    await s.waitFor((f) => f.event === 'message' && f.data.id === first.id, 5000, 'the first announcement');
    // Written into the stream as a change's script (apply.lua) does, but no worker is woken:
    // what a worker killed between its XADD and its PUBLISH leaves behind.
    const data = JSON.stringify({ id: 'n_silent', kind: 'announcement', author: 'moderation', text: 'Sans réveil', lang: 'fr', reply_to: null, ts: new Date().toISOString() });
    await c.redisCli(['XADD', `palabre:ev:{${d.id}}:pub`, '*', 't', 'message', 'd', data]);
    const t0 = Date.now();
    await s.waitFor((f) => f.event === 'message' && f.data.id === 'n_silent', 5000, 'the entry nobody announced');
    const second = await announce(d);
    await s.waitFor((f) => f.event === 'message' && f.data.id === second.id, 5000, 'the next announcement');
    assert.deepEqual(s.frames.filter((f) => f.event === 'message').map((f) => f.data.id), [first.id, 'n_silent', second.id]);
    s.close();
    assert.ok(Date.now() - t0 < 5000);
  });

  it('had no worker crash', () => {
    assert.deepEqual(c.unexpectedExits(), []);
  });
});

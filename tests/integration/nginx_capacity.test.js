'use strict';
// Palabre warns before nginx refuses streams (ops/stream_capacity.hpp):
// nginx/render passes nginx's stream capacity to the workers, whose board
// adds up the streams open on every worker of the host once a second. Here
// the capacity is rendered as 3 streams, so that three viewers reach it:
// /healthz says "warn" (200) with nginx_capacity "warn" and a warning text,
// /metrics has palabre_nginx_capacity_warning 1, and one worker logs it
// once for the episode; once the viewers leave, everything is back to ok.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startCluster, expectOk, waitUntil } = require('../support/cluster');

const CAPACITY = 3;
const WARNING = 'nginx is close to refusing streams';
let c;

before(async () => {
  // PALABRE_HOST_NAME: the host in labels and in the per-host sum, as on
  // hosts that share a system host name.
  c = await startCluster({ workers: 2, nginxWorkers: 1, env: { PALABRE_HOST_NAME: 'salle-a' },
    renderArgs: ['--stream-capacity', String(CAPACITY)] });
});

after(async () => {
  if (c) await c.stop();
});

function workerLogs() {
  return [0, 1].map((i) => fs.readFileSync(path.join(c.runDir, `worker-${i + 1}.log`), 'utf8')).join('\n');
}

async function health() {
  return expectOk(await c.get('/healthz'), 200, 'healthz');
}

describe('nginx stream capacity', () => {
  it('is ok while the streams stay below 90 % of what nginx holds', async () => {
    const body = await health();
    assert.equal(body.checks.nginx_capacity, 'ok');
    assert.equal(body.status, 'ok');
    assert.match((await c.get('/metrics')).text, new RegExp(`^palabre_nginx_stream_capacity\\{worker="salle-a:\\d+"\\} ${CAPACITY}$`, 'm'));
  });

  it('warns in /healthz, /metrics and the log once the streams reach it, and clears when they leave', async () => {
    const ev = await c.createEvent({ title: 'Salle comble' });
    // Both workers must have heard nginx's capacity (any request through nginx tells it).
    for (let i = 0; i < 4; i++) await c.get(`/api/events/${ev.id}`);
    const streams = [];
    try {
      for (let i = 0; i < CAPACITY; i++) {
        const s = await c.sse(`/api/events/${ev.id}/stream`);
        assert.equal(s.status, 200);
        streams.push(s);
      }
      const body = await waitUntil(async () => {
        const b = await health();
        return b.checks.nginx_capacity === 'warn' && b;
      }, { timeoutMs: 8000, what: '/healthz to warn about nginx capacity' });
      assert.equal(body.status, 'warn');
      assert.ok(body.warnings.some((w) => /nginx relays 3 streams of the 3/.test(w)), JSON.stringify(body));
      const metrics = await waitUntil(async () => {
        const t = (await c.get('/metrics')).text;
        return /^palabre_nginx_capacity_warning\{worker="[^"]+"\} 1$/m.test(t) && t;
      }, { timeoutMs: 8000, what: 'the capacity warning in /metrics' });
      assert.match(metrics, /^palabre_host_streams\{worker="[^"]+"\} 3$/m);
      await waitUntil(() => workerLogs().includes(WARNING), { timeoutMs: 5000, what: 'the warning in a worker log' });
      // Still at capacity a few board rounds later: no second log line.
      await new Promise((r) => setTimeout(r, 2500));
    } finally {
      for (const s of streams) s.close();
    }
    // Each worker that saw the episode logs it once (each keeps its own
    // state); with two workers, at most two lines for one episode.
    const lines = workerLogs().split('\n').filter((l) => l.includes(WARNING));
    assert.ok(lines.length >= 1 && lines.length <= 2, `one warning per worker and episode: ${lines.length}`);
    const line = JSON.parse(lines[0]);
    assert.equal(line.capacity, String(CAPACITY));
    const back = await waitUntil(async () => {
      const b = await health();
      return b.checks.nginx_capacity === 'ok' && b;
    }, { timeoutMs: 10000, what: '/healthz back to ok once the viewers left' });
    assert.equal(back.status, 'ok');
  });
});

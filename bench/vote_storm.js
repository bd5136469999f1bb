#!/usr/bin/env node
'use strict';
// bench/vote_storm.js — the vote storm of issue 11, driven by bench/run
// ("Votes" in docs/PERFORMANCE.md): V joined visitors vote on one poll
// within S seconds through nginx, some of them twice at once (a double
// submit), while a moderator's poll is open; every vote must be counted
// exactly once, and the poll's frames must stay at one a second at most.
//
//   node bench/vote_storm.js --url http://127.0.0.1:18700 --event bench \
//        --token <admin API token> [--voters 5000] [--seconds 10]
//        [--double 0.1] [--join-concurrency 64] [--sockets 128]
//        [--sessions FILE [--join-only 1]]
//
// With --sessions, the visitors' sessions are read from FILE instead of
// joining anew (each storm opens a poll of its own, so the same visitors
// vote again); --join-only 1 joins them, writes FILE and stops.
//
// Phases: join V visitors (paced, not timed), open a poll (3 options) as
// the moderator, subscribe to the public stream (one SSE connection that
// timestamps every `poll` frame), then send the votes at a steady rate over
// S seconds (each visitor's option is i % 3; a `--double` share of them
// sends the same vote twice at once), wait for the last frame, close the
// poll and read it back. Prints one JSON line on stdout:
//   votes: sent, ok (200), already_voted (409), errors, latency_ms
//          {p50,p90,p99,max} from send to the 2xx (or 409) answer;
//   expected / counted results per option (counted: the closed poll's);
//   poll_frames: count, min gap between two (ms), max per rolling second;
//   joins: time taken.
// Exit 0 when every vote was counted exactly once, 1 otherwise. Needs only
// Node's built-ins.

const http = require('node:http');
const { performance } = require('node:perf_hooks');

function args() {
  const a = { voters: 5000, seconds: 10, double: 0.1, joinConcurrency: 64, sockets: 128, joinOnly: 0 };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i += 2) {
    const k = v[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    a[k] = ['url', 'event', 'token', 'sessions'].includes(k) ? v[i + 1] : Number(v[i + 1]);
  }
  if (!a.url || !a.event || !a.token) {
    process.stderr.write('usage: vote_storm.js --url URL --event ID --token TOKEN [--voters N] [--seconds S] [--double F]\n');
    process.exit(2);
  }
  return a;
}

const opt = args();
const base = new URL(opt.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: opt.sockets });
const log = (msg) => process.stderr.write(`vote_storm: ${msg}\n`);

function request(method, path, { body, headers = {} } = {}) {
  return new Promise((resolve) => {
    const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const h = { ...headers };
    if (data) { h['Content-Type'] = 'application/json'; h['Content-Length'] = data.length; }
    const t0 = performance.now();
    const req = http.request({ host: base.hostname, port: base.port, method, path, headers: h, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, json, ms: performance.now() - t0 });
      });
    });
    req.on('error', (e) => resolve({ status: 0, error: e.message, ms: performance.now() - t0 }));
    if (data) req.write(data);
    req.end();
  });
}

const pct = (xs, p) => {
  if (!xs.length) return null;
  const s = [...xs].sort((x, y) => x - y);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] * 100) / 100;
};

async function joinAll() {
  const voters = new Array(opt.voters);
  let next = 0;
  const worker = async () => {
    while (next < opt.voters) {
      const i = next++;
      for (let attempt = 0; ; attempt++) {
        const r = await request('POST', `/api/events/${opt.event}/join`, { body: { name: `Votant ${i}`, lang: 'fr' } });
        if (r.status === 200) {
          const cookie = String(r.headers['set-cookie']).split(';')[0];
          voters[i] = { cookie, csrf: r.json.csrf_token };
          break;
        }
        if (attempt > 20) throw new Error(`join ${i}: ${r.status} ${JSON.stringify(r.json)}`);
        await new Promise((res) => setTimeout(res, 50 * (attempt + 1)));
      }
    }
  };
  await Promise.all(Array.from({ length: opt.joinConcurrency }, worker));
  return voters;
}

// One SSE connection on the public stream that notes when each `poll`
// frame of our poll arrives.
function watchPollFrames(pollId) {
  const arrivals = [];
  let last = null;
  const req = http.request({ host: base.hostname, port: base.port, path: `/api/events/${opt.event}/stream`,
    headers: { Accept: 'text/event-stream' } }, (res) => {
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      buf += chunk;
      let end;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, end);
        buf = buf.slice(end + 2);
        if (!/^event: poll$/m.test(frame)) continue;
        const data = (frame.match(/^data: (.*)$/m) || [])[1];
        try {
          const p = JSON.parse(data);
          if (p.id === pollId) { arrivals.push(performance.now()); last = p; }
        } catch { /* not JSON */ }
      }
    });
  });
  req.end();
  return { arrivals, lastFrame: () => last, stop: () => req.destroy() };
}

async function main() {
  const admin = { Authorization: `Bearer ${opt.token}` };
  const fs = require('node:fs');
  const tJoin = performance.now();
  let voters;
  if (opt.sessions && !opt.joinOnly && fs.existsSync(opt.sessions)) {
    voters = JSON.parse(fs.readFileSync(opt.sessions, 'utf8')).slice(0, opt.voters);
  } else {
    voters = await joinAll();
    log(`joined ${voters.length} visitors in ${((performance.now() - tJoin) / 1000).toFixed(1)} s`);
    if (opt.sessions) fs.writeFileSync(opt.sessions, JSON.stringify(voters));
    if (opt.joinOnly) process.exit(0);
  }
  const joinS = (performance.now() - tJoin) / 1000;

  const opened = await request('POST', `/api/events/${opt.event}/polls`, {
    headers: admin, body: { question: 'Banc d’essai : quelle option ?', options: ['A', 'B', 'C'], multiple: false } });
  if (opened.status !== 201) throw new Error(`open poll: ${opened.status} ${JSON.stringify(opened.json)}`);
  const pollId = opened.json.id;
  const frames = watchPollFrames(pollId);
  await new Promise((r) => setTimeout(r, 500));  // the stream is open and has the poll's first frame

  const latencies = [];
  const outcome = { sent: 0, ok: 0, already_voted: 0, errors: 0, error_samples: [] };
  const expected = [0, 0, 0];
  const vote = async (v, option) => {
    outcome.sent++;
    const r = await request('POST', `/api/events/${opt.event}/polls/${pollId}/votes`, {
      headers: { Cookie: v.cookie, 'X-CSRF-Token': v.csrf }, body: { options: [option] } });
    latencies.push(r.ms);
    if (r.status === 200) outcome.ok++;
    else if (r.status === 409 && r.json && r.json.error && r.json.error.code === 'already_voted') outcome.already_voted++;
    else {
      outcome.errors++;
      if (outcome.error_samples.length < 5) outcome.error_samples.push({ status: r.status, error: r.error || r.json });
    }
  };
  // A steady rate over the window: the storm's shape, not a single burst.
  const gapMs = (opt.seconds * 1000) / voters.length;
  const t0 = performance.now();
  const pending = [];
  const doubles = Math.round(voters.length * opt.double);
  for (let i = 0; i < voters.length; i++) {
    const due = t0 + i * gapMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const option = i % 3;
    expected[option]++;
    pending.push(vote(voters[i], option));
    // Every (1/double)-th visitor clicks twice: the same vote at once.
    if (doubles > 0 && i % Math.round(voters.length / doubles) === 0) pending.push(vote(voters[i], option));
  }
  await Promise.all(pending);
  const stormS = (performance.now() - t0) / 1000;
  // The count frame of the last votes goes out within about a second.
  await new Promise((r) => setTimeout(r, 2500));
  const closed = await request('POST', `/api/events/${opt.event}/polls/${pollId}/close`, { headers: admin, body: {} });
  await new Promise((r) => setTimeout(r, 300));
  frames.stop();

  const gaps = frames.arrivals.slice(1).map((t, i) => t - frames.arrivals[i]);
  let maxPerSecond = 0;
  for (let i = 0; i < frames.arrivals.length; i++) {
    let n = 0;
    while (i + n < frames.arrivals.length && frames.arrivals[i + n] - frames.arrivals[i] < 1000) n++;
    maxPerSecond = Math.max(maxPerSecond, n);
  }
  const counted = closed.json ? closed.json.results : null;
  const result = {
    voters: voters.length,
    window_s: opt.seconds,
    storm_s: Math.round(stormS * 100) / 100,
    join_s: Math.round(joinS * 10) / 10,
    votes: { ...outcome,
      latency_ms: { p50: pct(latencies, 50), p90: pct(latencies, 90), p99: pct(latencies, 99),
        max: pct(latencies, 100) } },
    expected,
    counted,
    counted_votes: closed.json ? closed.json.votes : null,
    exactly_once: !!counted && counted.every((n, i) => n === expected[i]) && closed.json.votes === voters.length,
    poll_frames: { count: frames.arrivals.length, min_gap_ms: gaps.length ? Math.round(Math.min(...gaps)) : null,
      max_per_rolling_second: maxPerSecond, last_votes: frames.lastFrame() ? frames.lastFrame().votes : null },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  agent.destroy();
  process.exit(result.exactly_once && outcome.errors === 0 ? 0 : 1);
}

main().catch((e) => { log(e.stack || String(e)); process.exit(1); });

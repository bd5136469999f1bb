'use strict';
// Palabre's snippet in a stock Debian server block, as docs/OPERATIONS.md
// tells ops to install it: the machine's own /etc/nginx/nginx.conf (from the
// nginx package; only its paths are moved into a temporary dir, so that it
// runs as the test user on a free port: user, pid, logs, include dirs, and
// the temporary-file dirs compiled in as /var/lib/nginx) with its stock
// worker_connections 768, a site's server block with a usual static-files
// regex location and an HSTS header, the rendered files linked into
// conf.d/ and snippets/. Every page and asset answers 200, every Palabre
// URL keeps the host's HSTS and Palabre's own headers, a debate works end
// to end, the JSON access log has the request id, /healthz and /metrics
// answer the monitoring addresses only, and one scrape of /metrics shows
// both workers.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');
const { startCluster, expectOk, expectError, waitUntil, sleep } = require('../support/cluster');

const SOURCE_DIR = path.resolve(__dirname, '..', '..');
const STOCK_CONF = '/etc/nginx/nginx.conf';
const PREFIX = '/palabre/';
const HSTS = 'max-age=63072000';

let c;      // the cluster: Redis, two workers (and its own private nginx, unused here)
let site;   // the same cluster seen through the Debian nginx
let dir;
let nginx;
let port;

function freePortSync() {
  const out = execFileSync(process.execPath, ['-e',
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"]);
  return Number(String(out).trim());
}

// The stock file with its paths moved under `d`, nothing else changed.
function debianConf(d) {
  let conf = fs.readFileSync(STOCK_CONF, 'utf8');
  const moves = [
    // Its workers run as whoever runs the test (as nginx/render does for the
    // private configuration): www-data could not reach the run dir's sockets.
    [/^user\s+[^;]+;\s*$/m, process.getuid() === 0
      ? `user ${os.userInfo().username} ${execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim()};`
      : '# (no user: nginx does not start as root)'],
    [/^pid\s+[^;]+;/m, `pid ${d}/nginx.pid;`],
    [/include\s+\/etc\/nginx\/modules-enabled\/\*\.conf;/, `include ${d}/modules-enabled/*.conf;`],
    [/error_log\s+\/var\/log\/nginx\/error\.log;/g, `error_log ${d}/error.log;`],
    [/access_log\s+\/var\/log\/nginx\/access\.log;/g, `access_log ${d}/access.log;`],
    [/include\s+\/etc\/nginx\/conf\.d\/\*\.conf;/, `include ${d}/conf.d/*.conf;`],
    [/include\s+\/etc\/nginx\/sites-enabled\/\*;/, `include ${d}/sites-enabled/*;`],
  ];
  for (const [re, to] of moves) {
    assert.match(conf, re, `the stock ${STOCK_CONF} has ${re}`);
    conf = conf.replace(re, to);
  }
  return conf;
}

function render(args) {
  return execFileSync('bash', [path.join(SOURCE_DIR, 'nginx', 'render'), ...args], { encoding: 'utf8' });
}

before(async () => {
  assert.ok(fs.existsSync(STOCK_CONF), `${STOCK_CONF} (Debian's nginx package) is needed`);
  c = await startCluster({ workers: 2, nginxWorkers: 1, prefix: PREFIX });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plb-deb-'));
  for (const sub of ['conf.d', 'sites-enabled', 'snippets', 'modules-enabled', 'www', 'cache', 'lib']) {
    fs.mkdirSync(path.join(dir, sub));
  }
  port = freePortSync();
  fs.writeFileSync(path.join(dir, 'nginx.conf'), debianConf(dir));
  // Debian compiles its temporary dirs in as /var/lib/nginx/*: moved too.
  fs.writeFileSync(path.join(dir, 'conf.d', 'test-paths.conf'), ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `${t}_temp_path ${dir}/lib/${t};`).join('\n') + '\n');

  // As docs/OPERATIONS.md says: render, link the http-level file into conf.d
  // and the snippet into snippets, put the site's headers in the host file.
  const out = path.join(dir, 'palabre');
  render(['--no-full', '--out', out, '--prefix', PREFIX, '--static-dir', path.join(SOURCE_DIR, 'static'),
    '--public-url', `http://127.0.0.1:${port}${PREFIX}`, '--cache-dir', path.join(dir, 'cache', 'palabre'),
    '--access-log', path.join(dir, 'palabre-access.log'),
    '--monitor-from', '127.0.0.1', '--monitor-from', '127.0.0.3',
    '--stream-capacity', '768', c.workerSocket(0), c.workerSocket(1)]);
  fs.symlinkSync(path.join(out, 'palabre-upstream.conf'), path.join(dir, 'conf.d', 'palabre.conf'));
  fs.symlinkSync(path.join(out, 'palabre.conf'), path.join(dir, 'snippets', 'palabre.conf'));
  const hostHeaders = path.join(out, 'palabre-host-headers.conf');
  fs.appendFileSync(hostHeaders, `add_header Strict-Transport-Security "${HSTS}" always;\n`);
  fs.writeFileSync(path.join(dir, 'www', 'site.css'), 'body { color: black }\n');
  fs.writeFileSync(path.join(dir, 'sites-enabled', 'site'), `
server {
    listen 127.0.0.1:${port};
    server_name localhost;
    root ${dir}/www;
    include ${hostHeaders};
    location / { try_files $uri $uri/ =404; }
    location ~* \\.(css|js|png|jpg|svg|ico)$ {
        expires 30d;
    }
    include ${dir}/snippets/palabre.conf;
    error_page 400 494 @palabre_workers_400;
    error_page 414 ${PREFIX}.palabre-error-414;
}
`);
  const base = ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')];
  execFileSync('nginx', ['-t', '-q', ...base], { stdio: 'pipe' });
  nginx = spawn('nginx', [...base, '-g', 'daemon off;'], { stdio: 'ignore' });
  // The same cluster, spoken to through the Debian nginx.
  site = Object.create(c);
  site.port = port;
  site.origin = `http://127.0.0.1:${port}`;
  await waitUntil(async () => (await site.get('/healthz').catch(() => ({ status: 0 }))).status === 200,
    { timeoutMs: 15000, what: 'the Debian nginx to answer /healthz' });
});

after(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((r) => nginx.once('exit', r));
    nginx.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    if (nginx.exitCode === null) nginx.kill('SIGKILL');
  }
  if (c) await c.stop();
  if (dir && process.env.PALABRE_KEEP_RUN_DIR !== '1') fs.rmSync(dir, { recursive: true, force: true });
});

function assertHeaders(res, what) {
  const h = res.headers;
  assert.equal(h['strict-transport-security'], HSTS, `${what}: the host's HSTS`);
  assert.match(h['content-security-policy'] || '', /default-src 'self'/, `${what}: Palabre's CSP`);
  assert.equal(h['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.match(h['x-request-id'] || '', /^[0-9a-f]{32}$/, `${what}: X-Request-Id`);
}

describe('the snippet in a stock Debian server block', () => {
  const S = {};

  it('renders the cache under /var/cache/palabre/nginx by default, where the package creates it', () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'plb-deb-r-'));
    try {
      render(['--no-full', '--out', d, c.workerSocket(0)]);
      const upstream = fs.readFileSync(path.join(d, 'palabre-upstream.conf'), 'utf8');
      assert.match(upstream, /fastcgi_cache_path \/var\/cache\/palabre\/nginx /);
      assert.match(upstream, /log_format palabre_workers_json escape=json/);
      assert.match(fs.readFileSync(path.join(d, 'palabre-log.conf'), 'utf8'),
        /^access_log \/var\/log\/nginx\/palabre-access\.log palabre_workers_json;$/m);
      // A second render keeps what ops wrote in the host's headers file.
      fs.appendFileSync(path.join(d, 'palabre-host-headers.conf'), 'add_header X-Site "kept" always;\n');
      render(['--no-full', '--out', d, c.workerSocket(0)]);
      assert.match(fs.readFileSync(path.join(d, 'palabre-host-headers.conf'), 'utf8'), /X-Site "kept"/);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('serves every page with the host HSTS and Palabre headers, despite the host regex location', async () => {
    const ev = await site.createEvent({ title: 'Sur un Debian' });
    const inv = await site.invite(ev.id);
    Object.assign(S, { id: ev.id, base: `/api/events/${ev.id}`, mod: site.bearer(inv.moderator_token) });
    const pages = ['/', `/e/${ev.id}`, `/e/${ev.id}/moderate`, `/e/${ev.id}/guest`, `/e/${ev.id}/stats`,
      `/e/${ev.id}/embed`, '/admin/', '/accessibilite', '/embed.js', '/guide/', '/r/abcdef'];
    const assets = new Set();
    for (const p of pages) {
      const res = await site.get(p);
      assert.equal(res.status, 200, `${p}: ${res.status} ${res.text.slice(0, 120)}`);
      assertHeaders(res, p);
      for (const m of res.text.matchAll(/(?:src|href)="([^"#?]+\.(?:js|css|svg|png|ico))"/g)) {
        if (!/^https?:/.test(m[1])) assets.add(new URL(m[1], site.origin + site.path(p)).href);
      }
    }
    assert.ok(assets.size >= 3, `the pages refer to assets: ${[...assets]}`);
    for (const a of assets) {
      const res = await site.get(a);
      assert.equal(res.status, 200, `${a} (the host's regex location must not take it): ${res.status}`);
      assertHeaders(res, a);
    }
    // The host's own regex location still serves the host's files.
    const css = await site.get('http://127.0.0.1:' + port + '/site.css');
    assert.equal(css.status, 200);
    assert.equal(css.headers['strict-transport-security'], HSTS);
  });

  it('runs a debate end to end: question, publication, seen on a stream, all with the headers', async () => {
    const details = await site.get(S.base);
    expectOk(details, 200, 'event details');
    assertHeaders(details, 'event details');
    const plain = await site.get(`${S.base}/thread.html`);
    assert.equal(plain.status, 200, plain.text.slice(0, 200));
    assertHeaders(plain, 'plain view');
    const pub = await site.sse(`${S.base}/stream`);
    assert.equal(pub.status, 200);
    assertHeaders({ headers: pub.headers }, 'public stream');
    try {
      const camille = await site.join(S.id, 'Camille', { lang: 'fr' });
      const asked = await camille.ask(S.id, 'Et le marché couvert ?', 'fr');
      const q = expectOk(asked, 202, 'question');
      assertHeaders(asked, 'POST question');
      expectOk(await S.mod.act(S.id, q.id, 'publish'), 200, 'publish');
      const f = await pub.waitFor((fr) => fr.event === 'message' && fr.data.id === q.id, 10000, 'the question on the stream');
      assert.equal(f.data.text, 'Et le marché couvert ?');
      S.requestId = asked.headers['x-request-id'];
    } finally {
      pub.close();
    }
  });

  it('writes the JSON access log with the request id and no client address', async () => {
    const file = path.join(dir, 'palabre-access.log');
    const lines = await waitUntil(() => {
      const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      const found = text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
      return found.some((l) => l.request_id === S.requestId) && found;
    }, { timeoutMs: 5000, what: 'the question in palabre-access.log' });
    const line = lines.find((l) => l.request_id === S.requestId);
    assert.equal(line.method, 'POST');
    assert.equal(line.status, 202);
    assert.ok(!('remote_addr' in line), 'no client address by default (docs/PRIVACY.md)');
  });

  it('answers /healthz and /metrics to the monitoring addresses only', async () => {
    for (const p of ['/healthz', '/metrics']) {
      assert.equal((await site.get(p)).status, 200, `${p} from 127.0.0.1`);
      assert.equal((await site.get(p, { localAddress: '127.0.0.3' })).status, 200, `${p} from 127.0.0.3 (--monitor-from)`);
      const far = await site.get(p, { localAddress: '127.0.0.2' });
      expectError(far, 403, 'forbidden', `${p} from 127.0.0.2`);
      assertHeaders(far, `${p} 403`);
      // A proxy nginx was not told about (no --trusted-proxy): refused.
      const proxied = await site.get(p, { headers: { 'X-Forwarded-For': '203.0.113.9' } });
      expectError(proxied, 403, 'forbidden', `${p} through an undeclared proxy`);
    }
  });

  it('shows every worker process in one scrape of /metrics, labelled', async () => {
    const pids = c.workerPids();
    assert.equal(pids.length, 2);
    const res = await waitUntil(async () => {
      const r = await site.get('/metrics');
      return pids.every((pid) => new RegExp(`^palabre_sse_streams\\{worker="[^"]+:${pid}"\\} \\d+$`, 'm').test(r.text)) && r;
    }, { timeoutMs: 10000, what: 'both workers in one scrape' });
    assert.match(res.text, /^palabre_scrape_workers 2$/m);
    // Each family once, whatever the number of workers.
    assert.equal(res.text.match(/^# TYPE palabre_sse_streams gauge$/mg).length, 1);
    assert.match(res.text, /^palabre_nginx_stream_capacity\{worker="[^"]+"\} 768$/m);
  });

  it('ships alerting rules and a dashboard that use only metrics /metrics really has', async () => {
    const scrape = (await site.get('/metrics')).text;
    const exposed = new Set([...scrape.matchAll(/^(palabre_[a-z_]+)[{ ]/mg)].map((m) => m[1]));
    const examples = path.join(SOURCE_DIR, 'docs', 'examples');
    // YAML through Debian's python3-yaml (./dev deps): valid, and its expressions.
    const rules = JSON.parse(execFileSync('python3', ['-c',
      'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))',
      path.join(examples, 'prometheus-rules.yml')], { encoding: 'utf8' }));
    const ruleExprs = rules.groups.flatMap((g) => g.rules.map((r) => {
      assert.ok(r.alert && r.expr && r.annotations.summary, `a complete rule: ${JSON.stringify(r)}`);
      return r.expr;
    }));
    const dashboard = JSON.parse(fs.readFileSync(path.join(examples, 'grafana-dashboard.json'), 'utf8'));
    const panelExprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    const queries = dashboard.templating.list.map((v) => v.query).filter((q) => typeof q === 'string');
    for (const expr of [...ruleExprs, ...panelExprs, ...queries]) {
      for (const [name] of expr.matchAll(/palabre_[a-z_]+/g)) {
        assert.ok(exposed.has(name), `${name} (in ${expr.trim()}) is not in a real scrape of /metrics`);
      }
    }
    assert.ok(ruleExprs.length >= 5 && panelExprs.length >= 8);
  });
});

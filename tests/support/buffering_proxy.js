'use strict';
// A second nginx in front of Palabre's, as a corporate or mobile-operator
// proxy that buffers responses: an SSE stream's headers get through, its
// frames stay held in the proxy's buffers (until they fill or the stream
// ends), while whole answers (pages, API calls, long-polls) pass as usual.
//
//   const proxy = await startBufferingProxy(c.port, { dir: c.runDir });
//   proxy.origin            // http://127.0.0.1:<free port>
//   await proxy.setBuffering(false);   // the network stops holding streams (reload)
//   await proxy.stop();
//
// Three directives make it hold the stream: proxy_buffering on, buffers
// larger than what a test's stream carries (2 MiB), and
// proxy_ignore_headers X-Accel-Buffering, since nginx would otherwise obey
// the worker's "X-Accel-Buffering: no" and pass the frames at once. The Host
// header is passed on, so that Palabre's same-origin checks see the origin
// the browser is on. A reload (SIGHUP) applies to new connections only:
// streams already held stay held until they end (worker_shutdown_timeout).

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const net = require('node:net');
const { Cluster, freePort, run, track, terminate, waitUntil, tail } = require('./cluster');

// The nginx workers of a master we started (cluster.js reads /proc the same way).
const workersOf = (master) => Cluster.prototype.nginxWorkers.call({ nginx: master });

function config({ dir, port, upstreamPort, buffering }) {
  return `# Rendered by tests/support/buffering_proxy.js
worker_processes 1;
pid ${dir}/proxy.pid;
error_log ${dir}/proxy-error.log warn;
worker_shutdown_timeout 2s;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path ${dir}/proxy-tmp/body;
    proxy_temp_path ${dir}/proxy-tmp/proxy;
    fastcgi_temp_path ${dir}/proxy-tmp/fastcgi;
    uwsgi_temp_path ${dir}/proxy-tmp/uwsgi;
    scgi_temp_path ${dir}/proxy-tmp/scgi;
    server {
        listen 127.0.0.1:${port};
        location / {
            proxy_pass http://127.0.0.1:${upstreamPort};
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_read_timeout 300s;
            proxy_buffering ${buffering ? 'on' : 'off'};
            proxy_buffer_size 64k;
            proxy_buffers 32 64k;
            proxy_busy_buffers_size 128k;
            proxy_max_temp_file_size 0;
            proxy_ignore_headers X-Accel-Buffering;
        }
    }
}
`;
}

function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => { s.destroy(); resolve(false); });
  });
}

/**
 * Starts the proxy in front of 127.0.0.1:upstreamPort, its files in `dir`.
 * Resolves {port, origin, setBuffering(on), stop()}.
 */
async function startBufferingProxy(upstreamPort, { dir }) {
  fs.mkdirSync(path.join(dir, 'proxy-tmp'), { recursive: true });
  const confFile = path.join(dir, 'proxy-nginx.conf');
  const args = ['-p', dir, '-c', confFile, '-e', path.join(dir, 'proxy-error.log')];
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    fs.writeFileSync(confFile, config({ dir, port, upstreamPort, buffering: true }));
    const check = await run('nginx', ['-t', '-q', ...args]);
    if (check.code !== 0) throw new Error(`nginx -t refused the proxy's configuration: ${check.stderr}`);
    const child = track(spawn('nginx', [...args, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] }));
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const up = await waitUntil(async () => {
      if (child.exitStatus) return 'exited';
      return (await canConnect(port)) ? 'up' : false;
    }, { timeoutMs: 10000, what: 'the buffering proxy to listen' });
    if (up === 'up') {
      return {
        port,
        origin: `http://127.0.0.1:${port}`,
        // Rewrites the configuration and reloads; new connections follow it.
        async setBuffering(on) {
          fs.writeFileSync(confFile, config({ dir, port, upstreamPort, buffering: on }));
          const t = await run('nginx', ['-t', '-q', ...args]);
          if (t.code !== 0) throw new Error(`nginx -t refused the proxy's configuration: ${t.stderr}`);
          const before = workersOf(child).map((w) => w.pid);
          child.kill('SIGHUP');
          await waitUntil(() => workersOf(child).some((w) => !w.shuttingDown && !before.includes(w.pid)),
            { timeoutMs: 10000, what: 'a new proxy worker after the reload' });
        },
        async stop() { await terminate(child, 'SIGTERM'); },
      };
    }
    await terminate(child, 'SIGKILL');
    if (attempt >= 5 || !/in use/.test(stderr + tail(path.join(dir, 'proxy-error.log'), 5))) {
      throw new Error(`the buffering proxy did not start: ${stderr} ${tail(path.join(dir, 'proxy-error.log'), 10)}`);
    }
  }
}

module.exports = { startBufferingProxy };

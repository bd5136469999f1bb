'use strict';
// A real SMTP server for the tests of the e-mail reminders, and a reader of
// the mails it received.
//
//   const { startMailSink } = require('../support/mail_sink');
//   const sink = await startMailSink();        // smtp://127.0.0.1:<sink.port>
//   ... env: { PALABRE_SMTP_URL: sink.url, PALABRE_SMTP_FROM: 'palabre@ville.example' }
//   const [m] = await sink.waitFor((m) => m.to === 'camille@example.org', 1);
//   sink.failNext(1);                          // the next DATA gets "451"
//   await sink.stop();
//
// The server is tests/support/smtp_sink.py on Debian's python3-aiosmtpd,
// run with /usr/bin/python3 (the one that has the package; a pyenv python3
// on PATH may not). It listens on a free loopback port and writes each mail
// to a file of its own directory; mails() parses them: headers (unfolded),
// the subject (RFC 2047 decoded), the text part (quoted-printable decoded)
// and attachments. Only Node.js built-ins.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { freePort, track, terminate, waitUntil } = require('./cluster');

const PYTHON = '/usr/bin/python3';

// The sinks' directories, removed when the test process exits even if a
// test crashed before stop() (cluster.js kills the tracked processes).
const liveDirs = new Set();
process.on('exit', () => {
  for (const dir of liveDirs) {
    try { fs.rmSync(dir, { recursive: true, force: true }); } catch (_) { /* best effort */ }
  }
});
const SCRIPT = path.join(__dirname, 'smtp_sink.py');

function decodeWords(value) {
  return value.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*(?==\?)?/g, (_, charset, enc, text) => {
    if (enc.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
    const bytes = text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  });
}

function quotedPrintable(text) {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

// Headers of one part: {lower-case name: [values]} (unfolded), and its body.
function splitPart(raw) {
  const sep = raw.indexOf('\r\n\r\n');
  const head = sep < 0 ? raw : raw.slice(0, sep);
  const body = sep < 0 ? '' : raw.slice(sep + 4);
  const headers = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    (headers[name] = headers[name] || []).push(line.slice(i + 1).trim());
  }
  return { headers, body };
}

function decodeBody(part) {
  const enc = ((part.headers['content-transfer-encoding'] || [])[0] || '').toLowerCase();
  if (enc === 'quoted-printable') return quotedPrintable(part.body);
  if (enc === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return part.body;
}

function parseMail(file) {
  const raw = fs.readFileSync(file).toString('latin1');
  const top = splitPart(raw);
  const header = (name) => (top.headers[name.toLowerCase()] || [])[0];
  const type = header('Content-Type') || 'text/plain';
  let text = '';
  const attachments = [];
  const boundary = /boundary="([^"]+)"/.exec(type);
  if (/^multipart\//i.test(type) && boundary) {
    for (const chunk of top.body.split(`--${boundary[1]}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const part = splitPart(chunk.replace(/^\r\n/, ''));
      const ptype = (part.headers['content-type'] || ['text/plain'])[0];
      const disposition = (part.headers['content-disposition'] || [''])[0];
      if (/attachment/i.test(disposition)) {
        const name = /filename="([^"]+)"/.exec(disposition);
        attachments.push({ contentType: ptype, filename: name ? name[1] : '', content: decodeBody(part) });
      } else if (/^text\/plain/i.test(ptype) && !text) {
        text = decodeBody(part);
      }
    }
  } else {
    text = decodeBody(top);
  }
  return {
    file,
    raw,
    to: header('X-Sink-Rcpt'),
    headers: top.headers,
    header,
    subject: decodeWords(header('Subject') || ''),
    text,
    attachments,
  };
}

class MailSink {
  constructor(dir, port) {
    this.dir = dir;
    this.mailDir = path.join(dir, 'mail');
    this.failFile = path.join(dir, 'fail');
    this.port = port;
    this.url = `smtp://127.0.0.1:${port}`;
    this.proc = null;
  }

  // Every mail received so far, oldest first.
  mails() {
    if (!fs.existsSync(this.mailDir)) return [];
    return fs.readdirSync(this.mailDir).filter((n) => n.endsWith('.eml'))
      .sort((a, b) => {
        const [ta, na] = a.split(/[-.]/).slice(0, 2).map(BigInt);
        const [tb, nb] = b.split(/[-.]/).slice(0, 2).map(BigInt);
        return ta === tb ? Number(na - nb) : (ta < tb ? -1 : 1);
      })
      .map((n) => parseMail(path.join(this.mailDir, n)));
  }

  // Resolves the matching mails once there are at least n of them.
  async waitFor(predicate, n = 1, { timeoutMs = 15000, what = `${n} matching mail(s)` } = {}) {
    let got = [];
    try {
      await waitUntil(() => {
        got = this.mails().filter(predicate);
        return got.length >= n;
      }, { timeoutMs, intervalMs: 100, what });
    } catch (e) {
      const seen = this.mails().map((m) => `${m.to}: ${m.subject}`).join('; ');
      throw new Error(`${e.message}; the sink holds: ${seen || 'nothing'}`);
    }
    return got;
  }

  // The next n DATA commands are answered "451 4.3.0" (a temporary failure).
  failNext(n) {
    fs.writeFileSync(this.failFile, String(n));
  }

  failuresLeft() {
    try {
      return Number(fs.readFileSync(this.failFile, 'utf8').trim() || '0');
    } catch (_) {
      return 0;
    }
  }

  async stop() {
    await terminate(this.proc, 'SIGTERM', 5000);
    fs.rmSync(this.dir, { recursive: true, force: true });
    liveDirs.delete(this.dir);
  }
}

async function startMailSink() {
  if (!fs.existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: the mail sink needs Debian's python3 with python3-aiosmtpd`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plb-mail-'));
  liveDirs.add(dir);
  for (let attempt = 1; ; attempt++) {
    const sink = new MailSink(dir, await freePort());
    sink.failNext(0);
    const proc = track(spawn(PYTHON, [SCRIPT, '--port', String(sink.port), '--dir', sink.mailDir, '--fail-file', sink.failFile],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' } }));
    proc.on('error', () => {});
    let out = '';
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    proc.stdout.on('data', (d) => { out += d; });
    proc.stderr.on('data', (d) => { out += d; });
    sink.proc = proc;
    try {
      await waitUntil(() => {
        if (proc.exitStatus) throw new Error(`the mail sink exited: ${out}`);
        return /listening \d+/.test(out);
      }, { timeoutMs: 10000, what: 'the mail sink to listen' });
      return sink;
    } catch (e) {
      await terminate(proc, 'SIGKILL');
      // Another process took the port between freePort() and the bind.
      if (attempt >= 3 || !/in use/i.test(out)) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw new Error(`${e.message}: ${out}`);
      }
    }
  }
}

module.exports = { startMailSink, parseMail };

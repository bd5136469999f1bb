#!/usr/bin/python3
"""A local SMTP server for the tests of the e-mail reminders.

    /usr/bin/python3 tests/support/smtp_sink.py --port 2525 --dir /tmp/x/mail [--fail-file /tmp/x/fail]

Listens on 127.0.0.1:<port> (Debian's python3-aiosmtpd; run it with
/usr/bin/python3, which has it) and stores each message it accepts as one
file in --dir, named <arrival ns>-<n>.eml and written under a temporary
name first, so a reader never sees half a mail. The file starts with
"X-Sink-Rcpt: <recipient>" lines (the envelope), then the message as
received.

--fail-file: when that file holds a number N > 0, the next DATA is
answered "451 4.3.0" (a temporary failure) and the file then holds N - 1;
the tests write it to make the sender retry.

Prints "listening <port>" once it accepts connections; stops on SIGTERM or
SIGINT.
"""

import argparse
import os
import signal
import threading
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out_dir, fail_file):
        self.out_dir = out_dir
        self.fail_file = fail_file
        self.lock = threading.Lock()
        self.count = 0

    def _take_failure(self):
        if not self.fail_file:
            return False
        try:
            with open(self.fail_file) as f:
                left = int(f.read().strip() or '0')
        except (OSError, ValueError):
            return False
        if left <= 0:
            return False
        with open(self.fail_file, 'w') as f:
            f.write(str(left - 1))
        return True

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self._take_failure():
                return '451 4.3.0 Temporary failure (test sink), try again later'
            self.count += 1
            name = f'{time.time_ns()}-{self.count}.eml'
        head = ''.join(f'X-Sink-Rcpt: {r}\r\n' for r in envelope.rcpt_tos).encode('ascii')
        body = envelope.original_content or envelope.content
        tmp = os.path.join(self.out_dir, '.' + name + '.tmp')
        with open(tmp, 'wb') as f:
            f.write(head + body)
        os.rename(tmp, os.path.join(self.out_dir, name))
        return '250 2.0.0 Stored'


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--dir', required=True)
    parser.add_argument('--fail-file', default='')
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(Sink(args.dir, args.fail_file), hostname=args.host, port=args.port)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    controller.start()
    print(f'listening {args.port}', flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


if __name__ == '__main__':
    main()

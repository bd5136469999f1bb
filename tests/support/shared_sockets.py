#!/usr/bin/env python3
"""Socket activation of several processes sharing the same sockets, as
systemd does for palabre@1, palabre@2 … with Sockets=palabre.socket
(systemd-socket-activate starts only one). Binds each --listen unix socket
(mode 0660, backlog 4096), then starts COUNT copies of COMMAND, each with the
sockets as descriptors 3, 4 … and LISTEN_FDS/LISTEN_PID set as sd_listen_fds()
expects; the environment (NOTIFY_SOCKET, WATCHDOG_USEC …) passes through.
Prints one line per process started, "pid <n>", then waits; SIGTERM or SIGINT
are passed on to every process still running, and it exits when all have.

Usage: shared_sockets.py --count N --listen PATH [--listen PATH] -- COMMAND [ARG]...
"""
import argparse
import fcntl
import os
import signal
import socket
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--count", type=int, default=1)
parser.add_argument("--listen", action="append", required=True)
parser.add_argument("command", nargs=argparse.REMAINDER)
args = parser.parse_args()
command = args.command[1:] if args.command[:1] == ["--"] else args.command

sockets = []
old_umask = os.umask(0o117)
for path in args.listen:
    if os.path.exists(path):
        os.unlink(path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(4096)
    sockets.append(s)
os.umask(old_umask)

children = []
for _ in range(args.count):
    pid = os.fork()
    if pid == 0:
        # Out of the way first, then into place: 3, 4 … may be taken.
        high = [fcntl.fcntl(s.fileno(), fcntl.F_DUPFD_CLOEXEC, 100) for s in sockets]
        for i, fd in enumerate(high):
            os.dup2(fd, 3 + i, inheritable=True)
        env = dict(os.environ, LISTEN_FDS=str(len(sockets)), LISTEN_PID=str(os.getpid()))
        os.execvpe(command[0], command, env)
    children.append(pid)
    print(f"pid {pid}", flush=True)


def pass_on(signum, _frame):
    for pid in children:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass


signal.signal(signal.SIGTERM, pass_on)
signal.signal(signal.SIGINT, pass_on)
status = 0
while children:
    try:
        pid, code = os.wait()
    except ChildProcessError:
        break
    if pid in children:
        children.remove(pid)
        status = status or os.waitstatus_to_exitcode(code)
sys.exit(status if status >= 0 else 1)

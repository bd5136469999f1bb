#!/usr/bin/env python3
"""What systemd's NOTIFY_SOCKET receives, for the tests: binds a unix
datagram socket at SOCKET and appends every message to LOG as one JSON line
{"pid": sender, "message": text} (the sender's pid from SO_PASSCRED), until
killed.

Usage: notify_listener.py SOCKET LOG
"""
import json
import os
import socket
import struct
import sys

path, log_path = sys.argv[1], sys.argv[2]
if os.path.exists(path):
    os.unlink(path)
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
sock.bind(path)
with open(log_path, "a", buffering=1) as log:
    log.write(json.dumps({"pid": os.getpid(), "message": "LISTENING=1"}) + "\n")
    while True:
        data, ancillary, _flags, _addr = sock.recvmsg(4096, socket.CMSG_SPACE(12))
        pid = 0
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                pid = struct.unpack("iII", payload[:12])[0]
        log.write(json.dumps({"pid": pid, "message": data.decode("utf-8", "replace")}) + "\n")

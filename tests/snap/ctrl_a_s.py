#!/usr/bin/env python3
"""ctrl_a_s.py: on a terminal, Ctrl-A s saves a snapshot (snap-test).

usage: ctrl_a_s.py RRV ELF SNAPSHOT: runs ELF on a pseudo-terminal, types
Ctrl-A s, then Ctrl-A x; exit 0 when SNAPSHOT was written.
"""
import os
import pty
import sys
import time

rrv, elf, snap = sys.argv[1:4]
pid, fd = pty.fork()
if pid == 0:
    os.execv(rrv, [rrv, "run", "--smp", "2", "--save-snapshot", snap, elf])
time.sleep(1.0)
os.write(fd, b"\x01s")
time.sleep(1.0)
os.write(fd, b"\x01x")
out = b""
try:
    while True:
        d = os.read(fd, 4096)
        if not d:
            break
        out += d
except OSError:
    pass
os.waitpid(pid, 0)
sys.exit(0 if b"snapshot saved to" in out and os.path.getsize(snap) > 0 else 1)

#!/usr/bin/env python3
"""drive.py: runs an emulator on a console, logging it and optionally typing.

usage: drive.py --log FILE [--timeout S] [--marker TEXT] [--times FILE]
                [--feed SCRIPT --prompt TEXT] -- COMMAND...

COMMAND's stdout and stderr go to FILE as they come. --times FILE gets
"marker SECONDS" (from start to the first output line equal to TEXT) and
"exit SECONDS". The exit status is COMMAND's, 124 when --timeout expired
(the process group is killed, as timeout(1) would), 2 for bad usage.

--feed types SCRIPT's lines on COMMAND's stdin one at a time, each only once
the marker has been seen and the output ends with the shell prompt TEXT: an
emulator whose UART drops input it has no room for (QEMU's 16550 while the
firmware or kernel resets the FIFO) must not get it early. Without --feed,
stdin is /dev/null and the emulator takes its input some other way (rrv's
--input).
"""
import argparse
import os
import select
import signal
import subprocess
import sys
import time


def parse(argv):
    p = argparse.ArgumentParser(prog="drive.py")
    p.add_argument("--log", required=True)
    p.add_argument("--timeout", type=float, default=300.0)
    p.add_argument("--marker", default="RRV-LINUX-READY")
    p.add_argument("--times")
    p.add_argument("--feed")
    p.add_argument("--prompt", default="rrv# ")
    p.add_argument("command", nargs="+")
    a = p.parse_args(argv)
    if a.timeout <= 0:
        p.error("--timeout must be positive")
    return a


def main(argv):
    a = parse(argv)
    lines = []
    if a.feed:
        try:
            with open(a.feed, encoding="utf-8") as f:
                lines = f.read().splitlines()
        except OSError as e:
            sys.exit(f"drive.py: cannot read {a.feed}: {e.strerror}")
    try:
        log = open(a.log, "wb")
    except OSError as e:
        sys.exit(f"drive.py: cannot write {a.log}: {e.strerror}")

    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            a.command, stdin=subprocess.PIPE if a.feed else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True)
    except OSError as e:
        sys.exit(f"drive.py: cannot run {a.command[0]}: {e.strerror}")

    marker = a.marker.encode()
    prompt = a.prompt.encode()
    marker_at = None
    partial = b""    # the output's unfinished last line
    since_send = b""  # output since the last line typed (prompt search)
    fd = proc.stdout.fileno()
    timed_out = False
    while True:
        left = a.timeout - (time.monotonic() - start)
        if left <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([fd], [], [], min(left, 1.0))
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            break  # the emulator closed its output: it is exiting
        log.write(chunk)
        log.flush()
        if marker_at is None:
            text = partial + chunk
            done, _, partial = text.rpartition(b"\n")
            if any(l.rstrip(b"\r") == marker for l in done.split(b"\n")):
                marker_at = time.monotonic() - start
                partial = b""
        since_send = (since_send + chunk)[-4096:]
        # Busybox's line editor asks the terminal for the cursor position
        # (ESC [ 6 n) right after the prompt; nobody answers, which is fine.
        if (lines and marker_at is not None
                and since_send.removesuffix(b"\x1b[6n").endswith(prompt)):
            since_send = b""
            try:
                proc.stdin.write(lines.pop(0).encode() + b"\n")
                proc.stdin.flush()
            except BrokenPipeError:
                lines = []
    if timed_out:
        os.killpg(proc.pid, signal.SIGKILL)
    rc = proc.wait()
    end = time.monotonic() - start
    if proc.stdin:
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass
    log.close()
    if a.times:
        with open(a.times, "w") as f:
            if marker_at is not None:
                f.write(f"marker {marker_at:.3f}\n")
            f.write(f"exit {end:.3f}\n")
    if timed_out:
        print(f"drive.py: {a.command[0]} timed out after {a.timeout:g} s",
              file=sys.stderr)
        return 124
    return rc if rc >= 0 else 128 - rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

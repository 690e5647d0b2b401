#!/usr/bin/env python3
"""gdb_robust.py: random and malformed packets, abrupt disconnects, against `rrv debug --gdb`.

usage: gdb_robust.py RRV TRACE [ROUNDS]

Run under an ASan+UBSan build (make asan). One server serves connection
after connection: each connection sends a burst of packets (well-formed
ones with random arguments, wrong checksums, oversized ones, garbage,
interrupt bytes) and then goes away at a random point — mid-packet,
mid-continue, or cleanly. After every connection the server must still
answer qSupported; at the end `k` must stop it with exit 0 and nothing on
stderr from the sanitizers. The trace must be unchanged.
"""
import hashlib
import os
import random
import re
import socket
import subprocess
import sys
import time

RRV, TRACE = sys.argv[1], sys.argv[2]
ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 300
rnd = random.Random(int(os.environ.get("SEED", "1234")))
failed = 0


def frame(payload: bytes, good=True):
    s = sum(payload) & 0xff
    if not good:
        s ^= 0x5a
    return b"$" + payload + b"#" + b"%02x" % s


def hexs(n):
    return "%x" % n


def random_packet():
    big = rnd.choice([0, 1, 8, 0x1000, 0xffffffff, 0xffffffffffffffff, 0x80000000, 0x80001000])
    n = rnd.choice([0, 1, 4, 8, 64, 4096, 100000, 0xffffffff])
    tid = rnd.choice(["0", "-1", "1", "2", "ff", "ffffffffffffffff", "", "zz", "-2"])
    choices = [
        f"m{hexs(big)},{hexs(n)}", f"m{hexs(big)}", "m,", "m-1,2",
        f"M{hexs(big)},{hexs(n)}:00ff", f"M{hexs(big)},2:zz", "M1,1:", f"X{hexs(big)},{hexs(n)}:abc",
        "X0,0:", f"p{hexs(rnd.randrange(0, 5000))}", f"p{hexs(big)}", "p", "pzz",
        f"P{hexs(rnd.randrange(0, 70))}=0011223344556677", "P20=11", "P=", "g", "G" + "00" * rnd.choice([0, 8, 264, 300]),
        f"Hg{tid}", f"Hc{tid}", f"Hx{tid}", f"T{tid}", "?", "qC", "qAttached", "qfThreadInfo", "qsThreadInfo",
        f"qXfer:features:read:target.xml:{hexs(big)},{hexs(n)}", "qXfer:features:read:other.xml:0,100",
        f"qXfer:threads:read::{hexs(big)},{hexs(n)}", "qXfer:threads:read::zz", "qXfer:",
        "qSupported:multiprocess+;swbreak+", "qSupported", f"qThreadExtraInfo,{tid}",
        "qRcmd," + "when".encode().hex(), "qRcmd,zz", "qRcmd,6", "qRcmd," + "info harts".encode().hex(),
        "qRcmd," + "x/4x 0x80000000".encode().hex(), "qRcmd," + "stepi 3".encode().hex(),
        f"Z{rnd.randrange(0, 7)},{hexs(big)},{hexs(n)}", f"z{rnd.randrange(0, 7)},{hexs(big)},{hexs(n)}",
        "Z0,", "Z2,80001000,0", "Z", "z",
        "vCont?", f"vCont;s:{tid}", f"vCont;c:{tid}", "vCont;s:1;c", "vCont;", "vCont;x", "vCont;S05:1",
        "vCont;t", "vMustReplyEmpty", "vKillx", "s", "c", "S05", "C05", "s80000000", "cxyz", "bs", "bc", "bx",
        "QStartNoAckMode", "QFoo", "qFoo", "", "#", "$", "}", "}}}}", "*", "\x03",
        "".join(chr(rnd.randrange(32, 127)) for _ in range(rnd.randrange(1, 50))),
    ]
    return rnd.choice(choices).encode("latin-1")


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.settimeout(30)
    return s


def drain(s, wait=0.05):
    s.settimeout(wait)
    try:
        while s.recv(65536):
            pass
    except (socket.timeout, ConnectionError, OSError):
        pass
    s.settimeout(30)


def alive(port, detach=False):
    """A fresh connection answers qSupported (and with detach, ends it)."""
    try:
        s = connect(port)
        s.sendall(frame(b"qSupported"))
        buf = b""
        deadline = time.time() + 60
        while b"#" not in buf.lstrip(b"+")[1:] and time.time() < deadline:
            d = s.recv(4096)
            if not d:
                break
            buf += d
        s.sendall(b"+" + (frame(b"D") if detach else b""))
        if detach:
            time.sleep(0.2)
        s.close()
        return b"PacketSize" in buf
    except OSError as e:
        print("connect failed:", e)
        return False


def main():
    global failed
    before = hashlib.sha256(open(TRACE, "rb").read()).hexdigest()
    p = subprocess.Popen([RRV, "debug", "--gdb", "0", TRACE], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    port = None
    for line in p.stderr:
        m = re.search(rb"listening on 127\.0\.0\.1:(\d+)", line)
        if m:
            port = int(m.group(1))
            break
    if port is None:
        print("FAIL the server did not start")
        sys.exit(1)
    # D ends a session; this test wants the server to keep going, so it
    # never sends D (or k) until the end, and drops connections instead.
    for r in range(ROUNDS):
        try:
            s = connect(port)
        except OSError as e:
            print(f"FAIL connection {r}: {e}; server status {p.poll()}")
            failed += 1
            break
        noack = rnd.random() < 0.3
        if noack:
            s.sendall(frame(b"QStartNoAckMode"))
            drain(s)
            s.sendall(b"+")
        for _ in range(rnd.randrange(1, 25)):
            kind = rnd.random()
            pkt = random_packet()
            if pkt[:1] in (b"D", b"k") or pkt.startswith(b"vKill"):
                continue
            if kind < 0.6:
                data = frame(pkt)
            elif kind < 0.7:
                data = frame(pkt, good=False)
            elif kind < 0.75:
                data = frame(b"m" + b"0" * rnd.choice([20000, 70000]))  # oversized
            elif kind < 0.85:
                data = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 64)))
            elif kind < 0.9:
                data = b"\x03"
            else:
                data = frame(pkt)[: rnd.randrange(1, len(frame(pkt)) + 1)]  # cut
            try:
                s.sendall(data)
                if not noack:
                    s.sendall(b"+")
                drain(s, 0.01)
            except OSError:
                break
        end = rnd.random()
        try:
            if end < 0.3:
                s.sendall(frame(b"c"))  # disconnect mid-continue
            elif end < 0.4:
                s.sendall(b"$m8000")  # disconnect mid-packet
            elif end < 0.5:
                s.sendall(frame(b"bc"))
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        s.close()
        if p.poll() is not None:
            print(f"FAIL the server exited (status {p.returncode}) after round {r}")
            failed += 1
            break
        if r % 25 == 0 and not alive(port):
            print(f"FAIL the server stopped answering after round {r}")
            failed += 1
            break
    if p.poll() is None:
        if not alive(port, detach=True):
            print("FAIL the server does not answer at the end")
            failed += 1
        # The last connection ended with D: the server stops.
    try:
        rc = p.wait(timeout=120)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = "timeout"
    err = p.stderr.read().decode("latin-1")
    if rc != 0:
        print(f"FAIL the server's exit status is {rc}: {err[-2000:]}")
        failed += 1
    if "AddressSanitizer" in err or "runtime error" in err or "LeakSanitizer" in err:
        print("FAIL sanitizer report:\n" + err[-4000:])
        failed += 1
    after = hashlib.sha256(open(TRACE, "rb").read()).hexdigest()
    if before != after:
        print("FAIL the trace changed")
        failed += 1
    print(f"gdb-robust: {ROUNDS} connections, {'FAILED' if failed else 'no crash, server alive, trace unchanged'}")
    sys.exit(1 if failed else 0)


main()

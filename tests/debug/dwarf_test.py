#!/usr/bin/env python3
"""dwarf_test.py: backtraces and source lines from the guest's DWARF (make debug-test).

usage: dwarf_test.py RRV GUEST_DIR FP_ELF OUT_DIR

tests/guests/deep_calls.c calls main -> dc_outer -> dc_middle -> dc_inner
-> dc_leaf (and dc_outer -> dc_finish); built -O2 it has no frame
pointers, so only its .debug_frame can unwind it. Checks, each on a
recording of the ELF named:
  1. deep_calls.elf: `bt` at dc_leaf shows the exact chain with each
     caller's file:line (the line of its call, found in the source), every
     caller found by CFI; it stays exact at every instruction from
     dc_middle's entry through dc_inner's prologue; a return address past
     the end of a function (dc_outer ends in a call) is named after the
     call; `info line` describes a line-table row;
  2. the same ELF with .debug_frame removed: only what ra gives (dc_leaf
     <- dc_inner), no invented frames;
  3. FP_ELF (deep_calls.c with -fno-omit-frame-pointer) without
     .debug_frame: the whole chain by frame records, at a leaf's entry, in
     its own frame, and after a call came back (no stale ra frame);
  4. a .debug_frame of garbage, and bad `info line` arguments: a clear
     message or a shorter backtrace, the session goes on.
"""
import os
import re
import struct
import subprocess
import sys

RRV, GDIR, FP_ELF, OUT = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "guests", "deep_calls.c")
OBJCOPY = "riscv64-unknown-elf-objcopy"
os.makedirs(OUT, exist_ok=True)
passed = failed = 0


def check(cond, msg):
    global passed, failed
    if cond:
        passed += 1
        print(f"PASS {msg}")
    else:
        failed += 1
        print(f"FAIL {msg}")
    return cond


class Session:
    """One `rrv debug` process; cmd() returns a command's output."""
    MARK = "@@rrv-test-done@@"

    def __init__(self, trace):
        self.p = subprocess.Popen([RRV, "debug", trace], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, bufsize=1)
        self.log = open(os.path.join(OUT, os.path.basename(trace) + ".session"), "w")

    def cmd(self, line):
        self.p.stdin.write(line + "\necho " + self.MARK + "\n")
        self.p.stdin.flush()
        out = []
        while True:
            l = self.p.stdout.readline()
            if not l:
                raise RuntimeError(f"rrv debug ended during {line!r}: "
                                   + self.p.stderr.read()[-500:])
            if l.strip() == self.MARK:
                break
            out.append(l)
        text = "".join(out)
        self.log.write(f"(rrv) {line}\n{text}")
        return text

    def close(self):
        self.p.stdin.write("quit\n")
        self.p.stdin.close()
        st = self.p.wait(timeout=60)
        self.log.close()
        return st


def record(name, elf):
    trace = os.path.join(OUT, f"{name}.rrv")
    r = subprocess.run([RRV, "record", "-o", trace, elf], capture_output=True, text=True,
                       timeout=120)
    ok = r.returncode == 0 and "deep_calls: " in r.stdout
    check(ok, f"record {name}: exit {r.returncode} {r.stdout.strip()} {r.stderr[-200:]}")
    return trace if ok else None


def strip_cfi(elf, name):
    out = os.path.join(OUT, name)
    subprocess.run([OBJCOPY, "--remove-section", ".debug_frame", elf, out], check=True)
    return out


FRAME = re.compile(r"^#(\d+)\s+0x([0-9a-f]+) in (\S+?)(?:\+\d+)?(?: at (\S+):(\d+))?(?: \[(\w+)\])?$")


def frames(text):
    """[(name, file, line, how)] of a `bt`."""
    rows = []
    for l in text.splitlines():
        m = FRAME.match(l.strip())
        if m:
            rows.append((m.group(3), m.group(4), int(m.group(5)) if m.group(5) else None,
                         m.group(6) or "pc"))
    return rows


def names(fr):
    return [f[0] for f in fr]


def src_line(snippet):
    """The line of deep_calls.c holding snippet (where a call is)."""
    for i, l in enumerate(open(SRC), 1):
        if snippet in l:
            return i
    raise KeyError(snippet)


CHAIN = ["dc_leaf", "dc_inner", "dc_middle", "dc_outer", "main", "_start"]


# ---- 1. CFI ----
def cfi():
    trace = record("deep", f"{GDIR}/deep_calls.elf")
    if not trace:
        return
    s = Session(trace)
    s.cmd("break dc_leaf")
    s.cmd("continue")
    fr = frames(s.cmd("bt"))
    check(names(fr) == CHAIN, f"bt at dc_leaf: {' <- '.join(names(fr))}")
    want = [("dc_inner", src_line("a = dc_leaf(x)")), ("dc_middle", src_line("dc_inner(x + 1)")),
            ("dc_outer", src_line("r = dc_middle(x)")), ("main", src_line("dc_outer(7)"))]
    got = [(f[0], f[2]) for f in fr[1:5] if f[1] == "tests/guests/deep_calls.c"]
    check(got == want, f"callers at the lines of their calls: {got}")
    check(fr and fr[-1][1] == "tests/guests/common/crt0.S", f"_start in crt0.S: {fr[-1:]}")
    check(all(f[3] == "cfi" for f in fr[1:]), f"callers found by CFI: {[f[3] for f in fr]}")
    t = s.cmd("info line")
    check(re.search(r'^Line \d+ of "tests/guests/deep_calls.c" starts at address 0x[0-9a-f]+ '
                    r'<dc_leaf> and ends at 0x[0-9a-f]+ <dc_leaf\+\d+>\.$', t.strip()) is not None,
          f"info line: {t.strip()}")
    s.cmd("continue")
    fr = frames(s.cmd("bt"))
    check(names(fr) == CHAIN and fr[1][2] == src_line("b = dc_leaf(a ^ 5)"),
          f"second call from dc_inner at its line: {fr[1:2]}")

    # Every instruction from dc_middle's entry to dc_leaf's: the
    # prologues move sp and save ra one instruction at a time.
    s.cmd("delete")
    s.cmd("goto start")
    s.cmd("break dc_middle")
    s.cmd("continue")
    s.cmd("delete")
    bad = []
    for step in range(40):
        fr = frames(s.cmd("bt"))
        n = names(fr)
        if n[0] == "dc_leaf":
            break
        if n[0] not in ("dc_middle", "dc_inner") or n[1:] != CHAIN[CHAIN.index(n[0]) + 1:]:
            bad.append(n)
        s.cmd("stepi")
    check(not bad and n[0] == "dc_leaf", f"exact at every instruction of the prologues ({step} "
          f"steps){': ' + str(bad[:2]) if bad else ''}")

    s.cmd("break dc_finish")
    s.cmd("continue")
    fr = frames(s.cmd("bt"))
    check(names(fr) == ["dc_finish", "dc_outer", "main", "_start"] and
          fr[1][2] == src_line("dc_finish(r + sink)"),
          f"a call that ends dc_outer is dc_outer's: {fr[:2]}")
    check(s.close() == 0, "session ends with exit 0")


# ---- 2. no CFI, no frame pointers ----
def no_cfi():
    trace = record("deep-nocfi", strip_cfi(f"{GDIR}/deep_calls.elf", "deep-nocfi.elf"))
    if not trace:
        return
    s = Session(trace)
    s.cmd("break dc_leaf")
    s.cmd("continue")
    fr = frames(s.cmd("bt"))
    check(names(fr) == ["dc_leaf", "dc_inner"] and fr[1][3] == "ra",
          f"without CFI: what ra gives, nothing invented: {fr}")
    s.close()


# ---- 3. frame pointers ----
def frame_pointers():
    trace = record("deep-fp", strip_cfi(FP_ELF, "deep-fp-nocfi.elf"))
    if not trace:
        return
    s = Session(trace)
    s.cmd("break dc_leaf")
    s.cmd("continue")
    fr = frames(s.cmd("bt"))
    check(names(fr) == CHAIN and [f[3] for f in fr] == ["pc", "ra", "fp", "fp", "fp", "fp"],
          f"leaf entry by ra then frame records: {[(f[0], f[3]) for f in fr]}")
    s.cmd("stepi 3")
    fr = frames(s.cmd("bt"))
    check(names(fr) == CHAIN, f"inside the leaf's own frame: {' <- '.join(names(fr))}")
    s.cmd("finish")
    fr = frames(s.cmd("bt"))
    check(names(fr) == CHAIN[1:] and all(f[3] == "fp" for f in fr[1:]),
          f"after a call came back, no stale ra frame: {[(f[0], f[3]) for f in fr]}")
    s.close()


# ---- 4. bad input ----
def bad_input():
    data = bytearray(open(f"{GDIR}/deep_calls.elf", "rb").read())
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    sec = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    strtab = sec[shstrndx][4]
    hit = 0
    for sh in sec:
        name = data[strtab + sh[0]:data.index(0, strtab + sh[0])].decode()
        if name == ".debug_frame":
            for k in range(sh[4] + 16, sh[4] + sh[5], 7):
                data[k] = (data[k] * 31 + 17) & 0xff
            hit += 1
    elf = os.path.join(OUT, "deep-garbage.elf")
    open(elf, "wb").write(data)
    trace = record("deep-garbage", elf)
    if not hit or not trace:
        check(hit, "found .debug_frame to damage")
        return
    s = Session(trace)
    s.cmd("break dc_leaf")
    s.cmd("continue")
    fr = frames(s.cmd("bt"))
    check(1 <= len(fr) <= 64 and fr[0][0] == "dc_leaf", f"damaged CFI: bt ends cleanly ({len(fr)} frames)")
    t = s.cmd("info line nosuchsymbol")
    check('No symbol "nosuchsymbol" in current context.' in t, f"info line nosuchsymbol: {t.strip()}")
    t = s.cmd("info line 0x5")
    check("No line number information available for address 0x5" in t, f"info line 0x5: {t.strip()}")
    check("Hart" in s.cmd("info harts"), "the session goes on")
    check(s.close() == 0, "quit ends it with exit 0")


cfi()
no_cfi()
frame_pointers()
bad_input()
print(f"dwarf-test: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)

#!/usr/bin/env python3
"""debug_bench.py: what time travel costs in `rrv debug` (make debug-bench).

usage: debug_bench.py RRV LONGRUN_ELF LINUX_DIR RUNS

  - reverse-stepi latency (median of RUNS*2) at the end of a single-hart
    trace of 10^9 instructions, and at the end of a 4-hart Linux boot trace;
  - reverse-continue to a write watchpoint on a variable written only at
    the start, across the whole single-hart trace, against replaying the
    same trace forward (`rrv replay --serial`), in one session;
  - the memory the checkpoints hold at the end.
Targets (DESIGN.md §10): reverse-stepi < 0.2 s (goal 0.05 s); the
reverse-continue at most 1.5x the forward replay.
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

RRV, ELF, LDIR, RUNS = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
tmp = tempfile.mkdtemp(prefix="rrv-debug-bench.")


class Session:
    MARK = "@@bench@@"

    def __init__(self, trace):
        self.p = subprocess.Popen([RRV, "debug", trace], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  text=True, bufsize=1)

    def cmd(self, line):
        t0 = time.monotonic()
        self.p.stdin.write(line + "\necho " + self.MARK + "\n")
        self.p.stdin.flush()
        out = []
        while True:
            l = self.p.stdout.readline()
            if not l:
                sys.exit(f"debug-bench: rrv debug ended during {line!r}")
            if l.strip() == self.MARK:
                return "".join(out), time.monotonic() - t0
            out.append(l)

    def close(self):
        self.p.stdin.write("quit\n")
        self.p.stdin.close()
        self.p.wait()


def rsi_latency(trace, label):
    s = Session(trace)
    _, t_end = s.cmd("goto end")
    lat = []
    for k in range(2 * RUNS):
        _, t = s.cmd("reverse-stepi")
        lat.append(t)
    mem = re.search(r"checkpoints hold (\d+) bytes", s.cmd("info checkpoints")[0])
    s.close()
    print(f"debug-bench: {label}: goto end {t_end:.2f} s; reverse-stepi median "
          f"{statistics.median(lat) * 1000:.1f} ms (max {max(lat) * 1000:.1f} ms, "
          f"{len(lat)} steps; target < 200 ms, goal 50 ms); checkpoints hold "
          f"{int(mem.group(1)) / 2**20:.1f} MiB" if mem else "")


def record(args, name):
    trace = os.path.join(tmp, name)
    r = subprocess.run([RRV, "record", "-o", trace, *args], capture_output=True, text=True)
    if r.returncode not in (0, 125):
        sys.exit(f"debug-bench: recording {name} failed: {r.stderr[-300:]}")
    return trace


long_trace = record(["--max-insns", "1000000000", ELF], "longrun.rrv")
rsi_latency(long_trace, "1 hart, 10^9 instructions")

# reverse-continue across the whole trace vs forward replay, interleaved.
fwd, rev = [], []
for k in range(RUNS):
    t0 = time.monotonic()
    subprocess.run([RRV, "replay", "--serial", "--quiet", long_trace],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    fwd.append(time.monotonic() - t0)
    s = Session(long_trace)
    s.cmd("goto end")
    s.cmd("watch marker")
    out, t = s.cmd("reverse-continue")
    if "watchpoint" not in out:
        sys.exit("debug-bench: reverse-continue did not find the write to marker")
    rev.append(t)
    s.close()
f, r = statistics.median(fwd), statistics.median(rev)
print(f"debug-bench: reverse-continue over 10^9 instructions {r:.2f} s, forward "
      f"serialized replay {f:.2f} s: {r / f:.2f}x (medians of {RUNS}; target <= 1.5x)")

inp = os.path.join(tmp, "linux.in")
with open(inp, "w") as fh:
    fh.write("\n\n\necho hello\npoweroff -f\n")
linux = record(["--smp", "4", "--memory", "512M", "--bios", f"{LDIR}/fw_jump.bin",
                "--kernel", f"{LDIR}/Image", "--initrd", f"{LDIR}/initrd.cpio.gz",
                "--append", "console=ttyS0 earlycon=sbi", "--input", inp,
                "--timeout", "300"], "linux.rrv")
rsi_latency(linux, "Linux, 4 harts")
for fn in os.listdir(tmp):
    os.unlink(os.path.join(tmp, fn))
os.rmdir(tmp)

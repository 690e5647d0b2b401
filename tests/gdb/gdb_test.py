#!/usr/bin/env python3
"""gdb_test.py: Debian's gdb-multiarch against `rrv debug --gdb` (make gdb-test).

usage: gdb_test.py RRV GUEST_DIR OUT_DIR

Batch gdb sessions on the project's SMP guests, the guest ELF given to gdb
for symbols; each check compares what gdb printed with what the REPL says
about the same trace:
  1. `info threads` lists every hart; `break` on a function every hart
     runs, `continue`, `bt`, `info registers`;
  2. `watch counter` at the end of a 4-hart racy-counter trace, then
     `reverse-continue`: the last write, on the hart and with the values
     `last-write counter` reports in the REPL;
  3. `stepi` / `reverse-stepi` round trips give identical registers;
     `reverse-stepi` at the start says "No more reverse-execution history";
     `continue` to the end says so too;
  4. `monitor when`, `monitor info harts`, `monitor goto`;
  5. the protocol on stdin/stdout (`target remote | rrv debug --gdb - T`);
  6. live: the same gdb script against `qemu-system-riscv64 -M virt -s -S`
     and `rrv run --gdb PORT --wait` on a single-hart guest stops at the
     same breakpoint with the same registers (QEMU is the reference for
     the packets); on 2 harts a watchpoint, stepping and continuing to
     the guest's exit;
  7. gdb's interrupt byte stops a running continue (trace and live).
"""
import os
import re
import socket
import subprocess
import sys
import time

RRV, GDIR, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
GDB = os.environ.get("GDB", "gdb-multiarch")
os.makedirs(OUT, exist_ok=True)
passed = failed = 0


def ok(msg):
    global passed
    passed += 1
    print(f"PASS {msg}")


def bad(msg):
    global failed
    failed += 1
    print(f"FAIL {msg}")


def check(cond, msg):
    (ok if cond else bad)(msg)
    return cond


def record(name, elf, smp):
    trace = os.path.join(OUT, f"{name}.rrv")
    r = subprocess.run([RRV, "record", "-o", trace, "--smp", str(smp), elf],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        bad(f"record {name}: exit {r.returncode}: {r.stderr[-300:]}")
        return None, ""
    return trace, r.stdout


class Server:
    """`rrv debug --gdb 0 TRACE` (or another rrv command serving gdb): the
    port it chose, read from stderr."""

    def __init__(self, trace, argv=None):
        self.p = subprocess.Popen(argv or [RRV, "debug", "--gdb", "0", trace],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        self.port = None
        self.err = []
        for line in self.p.stderr:
            self.err.append(line)
            m = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                break

    def wait(self):
        try:
            rc = self.p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = "timeout"
        self.err.append(self.p.stderr.read())
        err = "".join(self.err)
        if "Sanitizer" in err:
            bad("sanitizer report from rrv:\n" + err[-3000:])
        return rc


def gdb(elf, target, cmds, name):
    """Run gdb-multiarch in batch mode; returns its output."""
    args = [GDB, "-nx", "-batch", "-ex", "set pagination off", "-ex", "set confirm off",
            "-ex", "set width 0", elf, "-ex", f"target remote {target}"]
    for c in cmds:
        args += ["-ex", c]
    r = subprocess.run(args, capture_output=True, text=True, timeout=600)
    out = r.stdout + r.stderr
    with open(os.path.join(OUT, name + ".gdb.log"), "w") as f:
        f.write(" \\\n  ".join(args) + "\n\n" + out)
    return out


def session(trace, elf, cmds, name):
    s = Server(trace)
    if not check(s.port is not None, f"{name}: rrv debug --gdb listens ({''.join(s.err)[-200:]})"):
        return ""
    out = gdb(elf, f"127.0.0.1:{s.port}", cmds + ["detach"], name)
    rc = s.wait()
    check(rc == 0, f"{name}: rrv debug --gdb ends with 0 after gdb detaches (got {rc})")
    return out


def repl(trace, cmds):
    r = subprocess.run([RRV, "debug", trace], input="\n".join(cmds) + "\n",
                       capture_output=True, text=True, timeout=600)
    return r.stdout


def regs_block(out, marker):
    """The `info registers` lines after an echo marker."""
    part = out.split(marker, 1)[1] if marker in out else ""
    lines = []
    for l in part.splitlines()[1:]:
        if re.match(r"^(\w+)\s+0x[0-9a-f]+", l):
            lines.append(l.split()[0] + " " + l.split()[1])
        elif lines:
            break
    return lines


def main():
    trace = None
    # Lost updates need the harts to overlap on the host; on a loaded
    # 2-core host most recordings do not (6 of 10 seen): try up to 15.
    for attempt in range(15):
        trace, out = record(f"racy{attempt}", f"{GDIR}/racy_counter.elf", 4)
        m = re.search(r"racy_counter: (\d+) of (\d+)", out)
        if trace and m and int(m.group(1)) < int(m.group(2)):
            break
    if not check(trace is not None and m is not None, "racy counter recorded on 4 harts"):
        return
    final = int(m.group(1))
    elf = f"{GDIR}/racy_counter.elf"

    # 1. threads, a breakpoint every hart reaches, bt, registers.
    out = session(trace, elf, [
        "info threads", "break g_putdec", "continue", "bt", "info registers pc sp ra",
        "echo @@regs\\n", "info registers", "p $mstatus", "p $priv", "info all-registers",
    ], "threads")
    harts = sorted(set(re.findall(r'^\*?\s+\d+\s+Thread (\d+) "hart (\d+)"', out, re.M)))
    check(len(harts) == 4 and [h for _, h in harts] == ["0", "1", "2", "3"],
          f"info threads lists 4 harts named hart 0..3 ({harts})")
    check(re.search(r"Breakpoint 1, (0x[0-9a-f]+ in )?g_putdec", out) is not None,
          "continue stops at the breakpoint on g_putdec")
    check(re.search(r"#1 .* in main", out) is not None, "bt shows main calling g_putdec")
    check(re.search(r"^pc\s+0x[0-9a-f]+\s+0x[0-9a-f]+ <g_putdec", out, re.M) is not None,
          "info registers pc shows g_putdec")
    check(re.search(r"^\$1 = -?\d+", out, re.M) is not None,
          "p $mstatus prints a value (CSRs from the target description)")
    check(re.search(r"^mtvec\s+0x", out, re.M) is not None and re.search(r"^satp\s+0x", out, re.M),
          "info all-registers shows CSRs (mtvec, satp)")

    # 2. a write watchpoint in reverse, against the REPL's last-write.
    lw = repl(trace, ["continue", "last-write counter"])
    mh = re.search(r"hart (\d+)", lw.split("Last write to", 1)[-1])
    mo = re.search(r"Was = 0x[0-9a-f]+ \((\d+)\)", lw)
    mn = re.search(r"Now = 0x[0-9a-f]+ \((\d+)\)", lw)
    if not check(mh and mo and mn, "the REPL's last-write counter answers"):
        return
    lw_hart, lw_was, lw_now = int(mh.group(1)), int(mo.group(1)), int(mn.group(1))
    out = session(trace, elf, [
        "continue", "print counter", "watch counter", "reverse-continue", "print counter",
        "info threads",
    ], "watch")
    check("No more reverse-execution history." in out.split("watch counter")[0],
          "continue to the end: gdb says there is no more history")
    check(re.search(rf"^\$1 = {final}$", out, re.M) is not None,
          f"print counter at the end is the final value {final}")
    w = re.search(r"Hardware watchpoint \d+: counter\s+Old value = (\d+)\s+New value = (\d+)", out)
    cur = re.search(r"^\* \d+\s+Thread (\d+) \"hart (\d+)\"", out, re.M)
    check(w is not None and int(w.group(1)) == lw_now and int(w.group(2)) == lw_was,
          f"reverse-continue stops at the last write: Old = {w and w.group(1)} New = "
          f"{w and w.group(2)} (the REPL: was {lw_was}, now {lw_now})")
    check(cur is not None and int(cur.group(2)) == lw_hart,
          f"... on the writing hart ({cur and cur.group(2)}; the REPL says {lw_hart})")

    # 3. stepi / reverse-stepi round trips; the start of history.
    out = session(trace, elf, [
        "reverse-stepi", "break racy_counter.c:22", "continue", "delete",
        "thread 1", "echo @@before1\\n", "info registers", "thread 2", "echo @@before2\\n",
        "info registers",
        "stepi", "stepi", "thread 1", "stepi", "stepi", "stepi",
        "reverse-stepi", "reverse-stepi", "reverse-stepi", "thread 2", "reverse-stepi", "reverse-stepi",
        "thread 1", "echo @@after1\\n", "info registers", "thread 2", "echo @@after2\\n",
        "info registers",
    ], "stepi")
    check("No more reverse-execution history." in out.split("break racy_counter.c:22")[0],
          "reverse-stepi at the start: No more reverse-execution history")
    for t in ("1", "2"):
        before, after = regs_block(out, "@@before" + t), regs_block(out, "@@after" + t)
        check(len(before) >= 32 and before == after,
              f"thread {t}: registers identical after stepi on two harts and reverse-stepi back "
              f"({len(before)} lines)")

    # 4. monitor commands.
    out = session(trace, elf, [
        "monitor when", "monitor info harts", "break g_putdec", "continue", "monitor when",
        "monitor goto start", "maintenance flush register-cache", "monitor when", "p $pc",
        "monitor bogus-command",
    ], "monitor")
    ts = re.findall(r"t = (\d+)", out)
    check(len(ts) >= 3 and ts[0] == "0" and int(ts[1]) > 0 and ts[2] == "0",
          f"monitor when answers (t = {ts})")
    check(len(re.findall(r"^\s*\*?\s*\d+\s+.*(?:M|S|U)", out, re.M)) >= 4 or out.count("hart") >= 4,
          "monitor info harts lists the harts")
    check("Undefined command" in out or "unknown command" in out.lower(),
          "an unknown monitor command says so")

    # 5. over a pipe.
    out = gdb(elf, f"| {RRV} debug --gdb - {trace}", ["info threads", "break g_putdec", "continue",
                                                      "bt 1", "kill"], "pipe")
    check(re.search(r"Breakpoint 1, (0x[0-9a-f]+ in )?g_putdec", out) is not None and
          len(re.findall(r'Thread \d+ "hart \d+"', out)) >= 4,
          "target remote | rrv debug --gdb - TRACE: threads and a breakpoint")


# ---- 6. live, against QEMU ----
DTB_WINDOWS = ((0x8fe00000, 0x90000000), (0x87e00000, 0x88000000))  # rrv, QEMU (256M/128M RAM)


def reg_lines(out):
    return {l.split()[0]: int(l.split()[1], 16) for l in out.splitlines()
            if re.match(r"^[a-z][a-z0-9]*\s+0x[0-9a-f]+\s", l)}


def live_vs_qemu():
    elf = f"{GDIR}/hello.elf"
    script = ["break main", "continue", "info registers", "stepi", "stepi", "info registers",
              "p $mstatus", "p/x $misa", "x/8xw $pc", "bt"]
    s = Server(None, [RRV, "run", "--gdb", "0", "--wait", elf])
    if not check(s.port is not None, "rrv run --gdb 0 --wait listens"):
        return
    ours = gdb(elf, f"127.0.0.1:{s.port}", script + ["kill"], "live-rrv")
    s.wait()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        qport = probe.getsockname()[1]
    q = subprocess.Popen(["qemu-system-riscv64", "-M", "virt", "-bios", "none", "-nographic",
                          "-monitor", "none", "-serial", "null", "-smp", "1", "-kernel", elf,
                          "-gdb", f"tcp:127.0.0.1:{qport}", "-S"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(1.0)
    ref = gdb(elf, f"127.0.0.1:{qport}", script + ["kill"], "live-qemu")
    try:
        q.wait(timeout=30)
    except subprocess.TimeoutExpired:
        q.kill()
    check(re.search(r"Breakpoint 1, main", ours) is not None and
          re.search(r"Breakpoint 1, main", ref) is not None,
          "rrv run --gdb --wait and QEMU -s -S stop at the same breakpoint (main)")
    # Register by register, both stops; only pointers into the device tree
    # may differ (the DTB sits at the top of RAM on each board).
    halves_ours, halves_ref = ours.split("stepi", 1), ref.split("stepi", 1)
    same, differ = True, []
    for a, b in zip(halves_ours, halves_ref):
        ra, rb = reg_lines(a), reg_lines(b)
        for name in sorted(set(ra) | set(rb)):
            va, vb = ra.get(name), rb.get(name)
            if va == vb:
                continue
            dtb = va is not None and vb is not None and \
                DTB_WINDOWS[0][0] <= va < DTB_WINDOWS[0][1] and DTB_WINDOWS[1][0] <= vb < DTB_WINDOWS[1][1]
            if not dtb:
                same = False
                differ.append(f"{name}: rrv {va and hex(va)} qemu {vb and hex(vb)}")
    check(same and len(reg_lines(halves_ours[0])) >= 32,
          f"... with the same registers at both stops ({len(reg_lines(halves_ours[0]))} compared; "
          f"differ: {differ[:6]})")
    mo = re.search(r"^\$1 = (-?\d+)", ours, re.M)
    mq = re.search(r"^\$1 = (-?\d+)", ref, re.M)
    check(mo is not None and mq is not None and mo.group(1) == mq.group(1),
          f"p $mstatus agrees with QEMU ({mo and mo.group(1)} vs {mq and mq.group(1)})")
    xo = re.findall(r"^0x[0-9a-f]+ <main\+?\d*>:\s+(.*)$", ours, re.M)
    xq = re.findall(r"^0x[0-9a-f]+ <main\+?\d*>:\s+(.*)$", ref, re.M)
    check(xo and xo == xq, "x/8xw $pc reads the same code")


def live_smp():
    elf = f"{GDIR}/racy_counter.elf"
    s = Server(None, [RRV, "run", "--gdb", "0", "--wait", "--smp", "2", elf])
    if not check(s.port is not None, "rrv run --gdb on 2 harts listens"):
        return
    out = gdb(elf, f"127.0.0.1:{s.port}", [
        "info threads", "break main", "continue", "watch counter", "continue", "continue",
        "delete", "stepi", "info registers pc", "continue"], "live-smp")
    rc = s.wait()
    check(len(set(re.findall(r'Thread \d+ "hart (\d+)"', out))) == 2, "live: info threads lists 2 harts")
    w = re.findall(r"Hardware watchpoint 2: counter\s+Old value = (\d+)\s+New value = (\d+)", out)
    # Live harts stop a moment after the hit: another hart's increment may
    # land in between, so New is above Old, not always Old + 1.
    check(len(w) == 2 and all(int(n) > int(o) for o, n in w) and int(w[1][0]) == int(w[0][1]),
          f"live: a write watchpoint on counter stops twice with old/new values ({w})")
    check("exited normally" in out and rc == 0,
          f"live: continue runs to the guest's exit; gdb sees it (rrv exit {rc})")


# ---- 7. the interrupt byte ----
def frame(payload):
    return b"$" + payload + b"#" + b"%02x" % (sum(payload) & 0xff)


def read_packet(sock, timeout=60):
    sock.settimeout(timeout)
    buf = b""
    while True:
        m = re.search(rb"\$([^#]*)#[0-9a-f]{2}", buf)
        if m:
            return m.group(1).decode("latin-1")
        d = sock.recv(4096)
        if not d:
            return None
        buf += d


def interrupt(argv, name, delay):
    s = Server(None, argv)
    if not check(s.port is not None, f"{name}: listens"):
        return
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=60)
    sock.sendall(frame(b"QStartNoAckMode"))
    read_packet(sock)
    sock.sendall(b"+" + frame(b"vCont;c"))
    time.sleep(delay)
    t0 = time.time()
    sock.sendall(b"\x03")
    reply = read_packet(sock)
    dt = time.time() - t0
    check(reply is not None and reply.startswith("T02"),
          f"{name}: 0x03 stops a running continue: {reply!r} after {dt:.2f} s")
    sock.sendall(frame(b"k"))
    sock.close()
    s.wait()


# GDB_TEST_ONLY=live: the threaded parts alone (make tsan runs them).
if os.environ.get("GDB_TEST_ONLY") != "live":
    main()
    live_vs_qemu()
live_smp()
# A guest that spins until --timeout: seconds of replay to interrupt.
long_trace = os.path.join(OUT, "spin.rrv")
r = subprocess.run([RRV, "record", "-o", long_trace, "--timeout", "1", f"{GDIR}/triage_spin.elf"],
                   capture_output=True, text=True, timeout=120)
if check(r.returncode == 124, f"a spinning guest recorded for 1 s (exit {r.returncode})"):
    interrupt([RRV, "debug", "--gdb", "0", long_trace], "rrv debug --gdb", 0.2)
interrupt([RRV, "run", "--gdb", "0", "--smp", "2", f"{GDIR}/idle_wfi.elf"], "rrv run --gdb", 0.5)
print(f"gdb-test: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)

#!/usr/bin/env python3
"""linux_debug.py: `rrv debug` on a 4-hart Debian Linux recording (make debug-linux-test).

usage: linux_debug.py RRV LINUX_DIR OUT_DIR

The recording runs a shell session that prints lines of the guest's own
/proc/kallsyms; the debugger, with no symbol file (the kernel's kallsyms
tables decoded from the Image), must give the same addresses. `break` on
do_idle, which every hart runs once it is up, then `continue` until every
hart has stopped there; `info harts` lists 4 harts in kernel functions;
`bt` shows do_idle called from cpu_startup_entry.
"""
import os
import re
import subprocess
import sys

RRV, LDIR, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
sys.argv = [sys.argv[0], RRV, "", OUT]
here = os.path.dirname(os.path.abspath(__file__))
src = open(os.path.join(here, "debug_test.py")).read()
exec(src.split("# ---- 1. the racy counter ----")[0])

names = ["do_idle", "start_kernel", "schedule", "panic", "cpu_startup_entry"]
script = os.path.join(OUT, "linux.in")
with open(script, "w") as f:
    f.write("\n\n\n")
    # The shell's start may flush a few bytes of input already queued (a
    # CI run lost the grep's first letter): throwaway lines first.
    f.write("echo rrv-sync\n" * 3)
    f.write("grep -E ' (" + "|".join(names) + ")$' /proc/kallsyms\n")
    f.write("poweroff -f\n")
trace = os.path.join(OUT, "linux.rrv")
r = subprocess.run([RRV, "record", "-o", trace, "--smp", "4", "--memory", "512M",
                    "--bios", f"{LDIR}/fw_jump.bin", "--kernel", f"{LDIR}/Image",
                    "--initrd", f"{LDIR}/initrd.cpio.gz",
                    "--append", "console=ttyS0 earlycon=sbi", "--input", script,
                    "--timeout", "300"], capture_output=True, text=True, timeout=400)
if not check(r.returncode == 0, f"Linux 4 harts recorded (exit {r.returncode})"):
    sys.exit(1)
guest = dict((m.group(3), int(m.group(1), 16)) for m in
             re.finditer(r"^([0-9a-f]{16}) (\w) (\w+)\r?$", r.stdout, re.M))
check(len(guest) >= 3, f"the guest printed {len(guest)} /proc/kallsyms lines")
s = Session(trace)
same = True
for name, addr in guest.items():
    t = s.cmd(f"break {name}")
    m = re.search(r"Breakpoint \d+ at (0x[0-9a-f]+)", t)
    if not m or int(m.group(1), 16) != addr:
        same = False
        bad(f"{name}: the debugger says {m.group(1) if m else '?'}, /proc/kallsyms {addr:#x}")
check(same, f"kallsyms from the Image match the guest's /proc/kallsyms ({', '.join(guest)})")
s.cmd("delete")
s.cmd("break do_idle")
seen = set()
for k in range(40):
    t = s.cmd("continue")
    m = re.search(r"Breakpoint \d+, hart (\d+)", t)
    if not m:
        break
    seen.add(int(m.group(1)))
    if len(seen) == 4:
        break
check(seen == {0, 1, 2, 3}, f"continue stops at do_idle on every hart ({sorted(seen)})")
bt_do_idle = s.cmd("bt")
# Harts visit the firmware (SBI calls, timer) often: stop at a function
# all of them run again and again until none is in M-mode at a stop.
s.cmd("break ktime_get")
rows = []
for k in range(200):
    t = s.cmd("info harts")
    rows = re.findall(r"^[* ] (\d)\s+0x(f{8}[0-9a-f]{8})\s+S\s+\d+\s+\w+\s+<(\w+)", t, re.M)
    if len(rows) == 4 or "Breakpoint" not in s.cmd("continue"):
        break
check(len(rows) == 4, f"info harts: 4 harts in S-mode kernel functions ({[r[2] for r in rows]})")
t = bt_do_idle
frames = re.findall(r"^#\d+\s+0x[0-9a-f]+ in (\w+)\+", t, re.M)
check(len(frames) >= 3 and frames[0] == "do_idle" and "cpu_startup_entry" in frames,
      f"bt: {' <- '.join(frames)}")
s.cmd("delete")
s.cmd("break do_idle")
s.cmd("goto start")
s.cmd("continue")
t = s.cmd("reverse-stepi")
check("cpu_startup_entry" in t, "reverse-stepi from do_idle's entry: back in the caller")
t = s.cmd("stepi")
check("<do_idle>" in t, "stepi: into do_idle again")
s.close()
print(f"debug-linux-test: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)

#!/usr/bin/env python3
"""snap_bench.py: Linux boot skipping with snapshots (make snap-bench).

Debian's Linux on 4 harts: seconds from start until the output of a shell
command appears, booting from scratch against restoring a snapshot taken at
the shell prompt, interleaved in one session; medians of RUNS each. Also the
snapshot's size on disk and the time rrv took to save it.

usage: snap_bench.py RRV LINUX_DIR RUNS
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

MARKER = b"snap-42"


def time_to_marker(cmd):
    """Seconds from launch until MARKER is printed; the run must then end 0."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         stdin=subprocess.DEVNULL)
    seen, buf = None, b""
    while True:
        chunk = p.stdout.read1(65536)
        if not chunk:
            break
        buf = (buf + chunk)[-4096:]
        if seen is None and (MARKER + b"\r\n" in buf or MARKER + b"\n" in buf):
            seen = time.monotonic() - t0
    st = p.wait()
    if seen is None or st != 0:
        sys.exit(f"snap-bench: {' '.join(cmd[:3])}...: exit {st}, marker "
                 f"{'seen' if seen else 'not seen'}")
    return seen


def main():
    rrv, d, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    tmp = tempfile.mkdtemp(prefix="rrv-snap-bench.")
    boot = [rrv, "run", "--smp", "4", "--memory", "512M",
            "--bios", f"{d}/fw_jump.bin", "--kernel", f"{d}/Image",
            "--initrd", f"{d}/initrd.cpio.gz",
            "--append", "console=ttyS0 earlycon=sbi", "--timeout", "300"]
    cmds = os.path.join(tmp, "cmds.in")
    with open(cmds, "w") as f:
        # The blank lines feed the firmware's and the kernel's receiver
        # flushes on the full boot (see README: scripted sessions).
        f.write("\n\n\necho snap-$((6 * 7))\npoweroff -f\n")
    restored_cmds = os.path.join(tmp, "rcmds.in")
    with open(restored_cmds, "w") as f:
        f.write("echo snap-$((6 * 7))\npoweroff -f\n")
    empty = os.path.join(tmp, "empty.in")
    open(empty, "w").close()
    snap = os.path.join(tmp, "prompt.rrs")
    saves = []
    for _ in range(runs):
        r = subprocess.run(boot + ["--input", empty, "--save-snapshot", snap,
                                   "--snapshot-on", "output:rrv# ",
                                   "--stop-after-snapshot"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL)
        m = re.search(rb"snapshot saved to .* ([0-9.]+) s\)", r.stderr)
        if r.returncode or not m:
            sys.exit("snap-bench: saving the prompt snapshot failed: "
                     + r.stderr.decode(errors="replace")[-300:])
        saves.append(float(m.group(1)))
    full, restore = [], []
    for _ in range(runs):
        full.append(time_to_marker(boot + ["--input", cmds]))
        restore.append(time_to_marker([rrv, "run", "--restore", snap,
                                       "--input", restored_cmds]))
    fb, rs = statistics.median(full), statistics.median(restore)
    print(f"snap-bench: Linux 4 harts, prompt snapshot {os.path.getsize(snap)} "
          f"bytes on disk, saved in {statistics.median(saves):.3f} s (median of {runs})")
    print(f"snap-bench: command output after a full boot {fb:.2f} s, after a "
          f"restore {rs:.3f} s: {fb / rs:.1f}x faster (medians of {runs} "
          f"interleaved; targets: restore < 1 s, >= 5x)")
    for f in (snap, cmds, restored_cmds, empty):
        os.unlink(f)
    os.rmdir(tmp)


if __name__ == "__main__":
    main()

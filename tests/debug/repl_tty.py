#!/usr/bin/env python3
"""repl_tty.py: `rrv debug` at a terminal (make debug-test).

usage: repl_tty.py RRV GUEST_DIR OUT_DIR

Drives the REPL through a pseudo-terminal, as a person would:
  - Ctrl-C during a long `continue` stops it at a consistent position and
    returns to the prompt; that position has the digest of the same
    position reached by `goto` in a fresh session;
  - Tab completes a command name; Enter repeats the last step command;
  - the history is written to ~/.rrv_history;
  - a long seek shows its progress on stderr (the terminal).
"""
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import time

RRV, GDIR, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
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


class Tty:
    def __init__(self, argv, home):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ["HOME"] = home
            os.environ["TERM"] = "xterm"
            os.execv(argv[0], argv)
        self.buf = ""
        self.log = open(os.path.join(OUT, "repl_tty.log"), "a")

    def read_until(self, pattern, timeout=60):
        """Everything up to and including the first match of pattern."""
        deadline = time.time() + timeout
        while True:
            m = re.search(pattern, self.buf)
            if m:
                out, self.buf = self.buf[:m.end()], self.buf[m.end():]
                return out
            left = deadline - time.time()
            if left <= 0:
                return None
            r, _, _ = select.select([self.fd], [], [], left)
            if not r:
                continue
            try:
                d = os.read(self.fd, 65536).decode("utf-8", "replace")
            except OSError:
                return None
            self.log.write(d)
            self.buf += d

    def send(self, text):
        os.write(self.fd, text.encode())

    def close(self):
        try:
            self.send("quit\n")
        except OSError:
            pass
        for _ in range(100):
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(st)
            time.sleep(0.1)
        os.kill(self.pid, 9)
        return None


PROMPT = r"\(rrv\) "


def main():
    trace = os.path.join(OUT, "tty-spin.rrv")
    r = subprocess.run([RRV, "record", "-o", trace, "--timeout", "4", "--smp", "2",
                        f"{GDIR}/triage_spin.elf"], capture_output=True, text=True, timeout=120)
    if not check(r.returncode == 124, f"a 2-hart guest spinning for 4 s recorded (exit {r.returncode})"):
        return
    home = tempfile.mkdtemp(prefix="rrv-tty-home.")
    t = Tty([RRV, "debug", trace], home)
    check(t.read_until(PROMPT) is not None, "the prompt appears on a terminal")

    # Ctrl-C stops a long continue.
    # Ctrl-C once the progress line shows (a movement over a second),
    # so it lands while the continue runs, however loaded the host is.
    t.send("continue\n")
    shown = t.read_until(r"replaying: t =", timeout=120)
    check(shown is not None, "a seek over a second shows its progress on the terminal")
    t.send("\x03")
    out = t.read_until(PROMPT, timeout=60)
    check(out is not None and re.search(r"[Ii]nterrupt", out) is not None,
          f"Ctrl-C stops a continue and the prompt comes back ({(out or '')[-120:]!r})")
    t.send("when\n")
    when = t.read_until(PROMPT)
    t.send("digest\n")
    dig = t.read_until(PROMPT)
    pos = re.findall(r"hart (\d+): icount (\d+), event (\d+)", when or "")
    tm = re.search(r"t = (\d+)", when or "")
    d1 = re.search(r"digest ([0-9a-f]+)", dig or "")
    check(len(pos) == 2 and tm and int(tm.group(1)) > 0 and d1,
          f"the session goes on after Ctrl-C: when says t = {tm and tm.group(1)}")

    # Tab completion, Enter repeats, history.
    # readline completes the word and appends a space.
    t.send("reverse-st\t3\n")
    out = t.read_until(PROMPT)
    check(out is not None and "reverse-stepi 3" in out.replace("\r", ""),
          "Tab completes reverse-st to reverse-stepi")
    t.send("stepi\n")
    a = t.read_until(PROMPT)
    t.send("\n")
    b = t.read_until(PROMPT)
    ia = re.search(r"icount (\d+)\]", a or "")
    ib = re.search(r"icount (\d+)\]", b or "")
    check(ia and ib and int(ib.group(1)) == int(ia.group(1)) + 1,
          f"Enter repeats stepi (icount {ia and ia.group(1)} -> {ib and ib.group(1)})")
    rc = t.close()
    check(rc == 0, f"quit ends the session with 0 (got {rc})")
    hist = os.path.join(home, ".rrv_history")
    check(os.path.exists(hist) and "continue" in open(hist).read(),
          "the history is kept in ~/.rrv_history")

    # The interrupted position is a real one: reached again with goto.
    if pos and d1:
        target = ",".join(f"{ic}" for _, ic, _ in pos)
        r = subprocess.run([RRV, "debug", trace], input=f"goto {target}\ndigest\n",
                           capture_output=True, text=True, timeout=300)
        d2 = re.search(r"digest ([0-9a-f]+)", r.stdout)
        check(d2 is not None and d2.group(1) == d1.group(1),
              f"the interrupted position, reached again with goto {target}, has the same digest")


main()
print(f"repl-tty: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)

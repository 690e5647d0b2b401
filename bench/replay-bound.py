#!/usr/bin/env python3
"""replay-bound.py: how fast any parallel replay of a trace can be.

A replaying hart may apply an ACQUIRE only after the RELEASEs it depends on
(its "after H:S" list), so the dependencies chain stretches of different
harts' instructions one after another. With every instruction costing the
same, the longest such chain (the critical path) bounds a parallel replay
from below however many host CPUs it has, and on N CPUs the bound is
max(chain, total / N). Spinning a recording did while the hart it waited
for was not running is replayed in full and lies on the chain: the bound
shows how much of a replay's time the recording's own schedule fixes.

usage: replay-bound.py TRACE [--rrv PATH] [--cpus N]
Prints the totals, the chain, its share of the total, the bound on N CPUs
as a share of a serialized replay's work, and each hart's part of the chain.
"""
import collections
import re
import subprocess
import sys

LINE = re.compile(r"hart (\d+) seq (\d+) icount (\d+) (\w+)(.*)")
DEP = re.compile(r"(\d+):(\d+)")


def die(msg):
    print("replay-bound: " + msg, file=sys.stderr)
    sys.exit(2)


def parse_args(argv):
    rrv, cpus, trace = "build/rrv", 2, None
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--rrv", "--cpus"):
            if i + 1 >= len(argv):
                die(a + " needs a value")
            if a == "--rrv":
                rrv = argv[i + 1]
            else:
                if not argv[i + 1].isdigit() or int(argv[i + 1]) < 1:
                    die("--cpus takes a positive whole number")
                cpus = int(argv[i + 1])
            i += 2
        elif a.startswith("-"):
            die("unknown option " + a)
        elif trace is None:
            trace = a
            i += 1
        else:
            die("one trace only")
    if trace is None:
        die("usage: replay-bound.py TRACE [--rrv PATH] [--cpus N]")
    return rrv, cpus, trace


def read_events(rrv, trace):
    """Per hart, in seq order: (icount, [(hart, seq), ...])."""
    try:
        p = subprocess.run([rrv, "events", trace], capture_output=True, text=True)
    except OSError as e:
        die("%s: %s" % (rrv, e.strerror))
    if p.returncode != 0:
        die("%s events %s: %s" % (rrv, trace, p.stderr.strip().splitlines()[-1:]))
    ev = collections.defaultdict(list)
    for n, line in enumerate(p.stdout.splitlines(), 1):
        m = LINE.match(line)
        if not m:
            continue
        h, seq, icount, rest = int(m[1]), int(m[2]), int(m[3]), m[5]
        if seq != len(ev[h]):
            die("line %d: hart %d event %d out of order" % (n, h, seq))
        deps = []
        if " after " in rest:
            deps = [(int(a), int(b)) for a, b in DEP.findall(rest.split(" after ", 1)[1])]
        ev[h].append((icount, deps))
    if not ev:
        die(trace + ": no events")
    return ev


def critical_path(ev):
    """finish[h][s]: the chain length (instructions) up to hart h's event s."""
    harts = sorted(ev)
    finish = {h: [None] * len(ev[h]) for h in harts}
    pos = {h: 0 for h in harts}
    moved = True
    while moved:
        moved = False
        for h in harts:
            while pos[h] < len(ev[h]):
                s = pos[h]
                icount, deps = ev[h][s]
                prev_ic = ev[h][s - 1][0] if s else 0
                t = (finish[h][s - 1] if s else 0) + icount - prev_ic
                ready = True
                for dh, ds in deps:
                    if dh not in finish or ds >= len(finish[dh]):
                        die("hart %d event %d depends on %d:%d, which does not exist" % (h, s, dh, ds))
                    if finish[dh][ds] is None:
                        ready = False
                        break
                    t = max(t, finish[dh][ds])
                if not ready:
                    break
                finish[h][s] = t
                pos[h] += 1
                moved = True
    stuck = [h for h in harts if pos[h] < len(ev[h])]
    if stuck:
        die("the dependencies form a cycle (harts %s never finish)" % stuck)
    return finish


def chain_parts(ev, finish):
    """Instructions of each hart on the longest chain (walked backwards)."""
    parts = collections.Counter()
    h = max(ev, key=lambda k: finish[k][-1])
    s = len(ev[h]) - 1
    while s >= 0:
        icount, deps = ev[h][s]
        prev_ic = ev[h][s - 1][0] if s else 0
        own = (finish[h][s - 1] if s else 0) + icount - prev_ic
        via = [d for d in deps if finish[d[0]][d[1]] == finish[h][s] and finish[h][s] > own]
        if via:
            h, s = via[0]
        else:
            parts[h] += icount - prev_ic
            s -= 1
    return parts


def main():
    rrv, cpus, trace = parse_args(sys.argv[1:])
    ev = read_events(rrv, trace)
    finish = critical_path(ev)
    per_hart = {h: ev[h][-1][0] for h in sorted(ev)}
    total = sum(per_hart.values())
    chain = max(finish[h][-1] for h in ev)
    bound = max(chain, total / cpus)
    print("%s: %d harts, %.3g instructions (%s)" % (
        trace, len(ev), total, " ".join("%d:%.3g" % kv for kv in per_hart.items())))
    print("  dependency chain: %.3g instructions, %.0f%% of all" % (chain, 100.0 * chain / total))
    print("  parallel replay on %d CPUs: at least %.0f%% of a serialized replay's work" % (
        cpus, 100.0 * bound / total))
    parts = chain_parts(ev, finish)
    print("  the chain by hart: " + " ".join(
        "%d:%.3g" % (h, parts[h]) for h in sorted(parts)))


if __name__ == "__main__":
    main()

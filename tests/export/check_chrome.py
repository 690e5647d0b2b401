#!/usr/bin/env python3
"""check_chrome.py JSON NHARTS [KIND...]: an `rrv export --chrome` file is
Chrome trace-event JSON as Perfetto and chrome://tracing read it: it parses
(a real JSON parser), every event has the fields its phase needs, every
flow start has its end, slices nest per track, metadata names every hart.
KIND: cat values that must occur (irq, wfi, exception, atomic, ownership,
uart, code). Prints one line per check; exits 1 on a failure."""
import json
import sys

path, nharts = sys.argv[1], int(sys.argv[2])
want = sys.argv[3:]
fails = 0


def check(ok, what):
    global fails
    print(("ok: " if ok else "FAIL: ") + what)
    fails += not ok


try:
    doc = json.load(open(path))
except ValueError as e:
    check(False, f"{path} parses as JSON: {e}")
    sys.exit(1)
check(True, f"{path} parses as JSON")
evs = doc.get("traceEvents")
check(isinstance(evs, list) and evs, "a non-empty traceEvents array")
need = {"X": ["dur"], "i": ["s"], "I": ["s"], "C": ["args"], "s": ["id"], "f": ["id"],
        "t": ["id"], "M": ["args"], "B": [], "E": []}
bad = []
for e in evs:
    ph = e.get("ph")
    miss = [k for k in ["ph", "name", "cat", "ts", "pid", "tid"] if k not in e]
    if ph not in need:
        miss.append(f"known ph (got {ph!r})")
    else:
        miss += [k for k in need[ph] if k not in e]
    if not isinstance(e.get("ts"), (int, float)) or e.get("ts", 0) < 0:
        miss.append("ts >= 0")
    if ph == "X" and not (isinstance(e.get("dur"), (int, float)) and e["dur"] >= 0):
        miss.append("dur >= 0")
    if ph in ("i", "I") and e.get("s") not in ("t", "p", "g"):
        miss.append("s in t/p/g")
    if ph == "C" and not all(isinstance(v, (int, float)) for v in e.get("args", {}).values()):
        miss.append("numeric counter args")
    if miss:
        bad.append((e, miss))
check(not bad, f"every one of {len(evs)} events has the fields its phase needs"
      + (f" (first bad: {bad[0]})" if bad else ""))

starts = {}
ends = {}
for e in evs:
    if e.get("ph") == "s":
        starts[e["id"]] = starts.get(e["id"], 0) + 1
    elif e.get("ph") == "f":
        ends[e["id"]] = ends.get(e["id"], 0) + 1
check(all(starts.get(i) == 1 and ends.get(i) == 1 for i in set(starts) | set(ends)),
      f"every flow start has its end ({len(starts)} starts, {len(ends)} ends)")

# Slices per track: properly nested (two either disjoint or one inside).
eps = 1e-6
nest_bad = None
by_tid = {}
for e in evs:
    if e.get("ph") == "X":
        by_tid.setdefault((e["pid"], e["tid"]), []).append((e["ts"], e["ts"] + e["dur"], e["name"]))
for tid, sl in by_tid.items():
    sl.sort(key=lambda s: (s[0], -s[1]))
    stack = []
    for s in sl:
        while stack and stack[-1][1] <= s[0] + eps:
            stack.pop()
        if stack and s[1] > stack[-1][1] + eps:
            nest_bad = (tid, stack[-1], s)
            break
        stack.append(s)
    if nest_bad:
        break
check(nest_bad is None, f"slices nest on every track ({sum(map(len, by_tid.values()))} slices)"
      + (f": {nest_bad}" if nest_bad else ""))
be = {}
for e in evs:
    if e.get("ph") in ("B", "E"):
        be[e["tid"]] = be.get(e["tid"], 0) + (1 if e["ph"] == "B" else -1)
check(all(v == 0 for v in be.values()), "B/E balanced per track")

names = {e["tid"]: e["args"].get("name") for e in evs
         if e.get("ph") == "M" and e.get("name") == "thread_name"}
check(all(names.get(h) == f"hart {h}" for h in range(nharts)),
      f"thread_name metadata names all {nharts} harts")
tids = {e["tid"] for e in evs if e.get("ph") != "M"}
check(tids <= set(range(nharts)), "events only on hart tracks")
cats = {e.get("cat") for e in evs}
for k in want:
    n = sum(1 for e in evs if e.get("cat") == k)
    check(n > 0, f"{n} events of kind {k}")
sys.exit(1 if fails else 0)

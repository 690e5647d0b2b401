#!/usr/bin/env python3
"""check_counts.py: the counts `rrv irqs --json` must give for tests/guests/irq_count.c."""
import json
import sys


def main():
    d = json.load(open(sys.argv[1]))
    nharts = int(sys.argv[2])
    srcs = {s["source"]: s for s in d["sources"]}
    s = srcs.get(10)
    errs = []

    def want(what, got, exp):
        if got != exp:
            errs.append("%s: %r, want %r" % (what, got, exp))

    if s is None:
        print("no source 10 in the report")
        return 1
    want("device rises", s["device_rises"], 25)
    want("injected", s["injected"], 0)
    want("claims", s["claims"], 25)
    want("claims by context", [(c["context"], c["claims"]) for c in s["claims_by_context"]], [(0, 25)])
    want("completes", s["completes"], 25)
    want("handled", s["handled"], 25)
    want("unhandled", s["unhandled"], 0)
    want("changes", [(c["what"], c["context"] if c["what"] != "priority" else None, c["new"])
                     for c in s["changes"]],
         [("priority", None, 1), ("enable", 0, 1), ("disable", 0, 0)])
    for c in s["changes"]:
        if not c["symbol"].startswith("main+"):
            errs.append("change %s at %s, not in main" % (c["what"], c["symbol"]))
    ctx0 = d["contexts"][0]
    want("context 0 claims", ctx0["claims"], 32)
    want("context 0 empty claims", ctx0["zero_claims"], 7)
    want("contexts", len(d["contexts"]), 2 * nharts)
    h0 = d["harts"][0]
    want("hart 0 interrupts", h0["interrupts"], {"MEI": 25})
    want("other harts' interrupts", [h["interrupts"] for h in d["harts"][1:]], [{}] * (nharts - 1))
    want("verdicts", d["verdicts"], [])
    if errs:
        print("; ".join(errs))
        return 1
    print("25 rises, 25 claims on context 0, 25 completes, 25 handled, 7 empty claims, "
          "MEI 25 on hart 0, priority/enable/disable in main")
    return 0


if __name__ == "__main__":
    sys.exit(main())

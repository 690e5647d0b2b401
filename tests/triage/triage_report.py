#!/usr/bin/env python3
"""triage_report.py: `rrv triage` explains each way a run ends (make triage-test).

usage: triage_report.py RRV HOOKS_RRV GUEST_DIR OUT_DIR README
       triage_report.py --linux RRV LINUX_FILES OUT_DIR README

For a guest of our own per failure (tests/guests/triage_*.c), recorded on
2 harts: `rrv triage --json` gives the right verdict, title, function,
hart and backtrace, and validates against the JSON Schema in README.md's
triage section (read from there, checked by a small validator of our own
and, when installed, by python3-jsonschema too). For the corrupted
pointer and the NULL call, the last write names the hart and function that
stored the bad value; two recordings of one bug give one signature;
damaged and cut traces still get a report (exit 1, never a crash); the
reproduce command stops at the fault; `rrv record --on-failure-only` keeps
only failing traces; `rrv info` names the end reason; `--stats` counts the
file's final size. --linux: Debian's kernel on 4 harts panics from
`echo c > /proc/sysrq-trigger`, and the title names sysrq_handle_crash.
HOOKS_RRV is a -DRRV_TEST_HOOKS build (for an injected rrv crash) or "-".
"""
import json
import os
import random
import re
import subprocess
import sys

passed = failed = 0


def ok(msg):
    global passed
    passed += 1
    print("PASS " + msg)


def bad(msg):
    global failed
    failed += 1
    print("FAIL " + msg)


def check(cond, msg, why=""):
    if cond:
        ok(msg)
    else:
        bad(msg + (": " + why if why else ""))
    return cond


def run(args, timeout=600, **kw):
    return subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, errors="replace", timeout=timeout, **kw)


# ---- the documented schema, and a validator for the JSON Schema it uses ----

def readme_schema(readme):
    text = open(readme).read()
    m = re.search(r"<!-- triage-schema-begin -->\n```json\n(.*?)```\n<!-- triage-schema-end -->",
                  text, re.S)
    if not m:
        raise SystemExit("triage_report.py: no triage schema in " + readme)
    return json.loads(m.group(1))


TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def type_ok(v, t):
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    return isinstance(v, TYPES[t])


def resolve(ref, root):
    node = root
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def errors(v, s, root, path="$"):
    if "$ref" in s:
        return errors(v, resolve(s["$ref"], root), root, path)
    if "oneOf" in s:
        n = sum(1 for sub in s["oneOf"] if not errors(v, sub, root, path))
        return [] if n == 1 else [f"{path}: matches {n} of oneOf"]
    out = []
    if "type" in s:
        ts = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(type_ok(v, t) for t in ts):
            return [f"{path}: {type(v).__name__} is not {ts}"]
    if "enum" in s and v not in s["enum"]:
        out.append(f"{path}: {v!r} not in {s['enum']}")
    if "pattern" in s and isinstance(v, str) and not re.search(s["pattern"], v):
        out.append(f"{path}: {v!r} does not match {s['pattern']}")
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k not in v:
                out.append(f"{path}: no {k}")
        props = s.get("properties", {})
        for k, sub in v.items():
            if k in props:
                out += errors(sub, props[k], root, f"{path}.{k}")
            elif isinstance(s.get("additionalProperties"), dict):
                out += errors(sub, s["additionalProperties"], root, f"{path}.{k}")
    if isinstance(v, list) and "items" in s:
        for i, item in enumerate(v):
            out += errors(item, s["items"], root, f"{path}[{i}]")
    return out


def schema_errors(doc, schema):
    errs = errors(doc, schema, schema)
    try:
        import jsonschema
        try:
            jsonschema.validate(doc, schema)
        except jsonschema.ValidationError as e:
            errs.append("jsonschema: " + e.message)
    except ImportError:
        pass
    return errs


# ---- helpers ----

def triage_json(rrv, trace, schema, name):
    p = run([rrv, "triage", "--json", trace])
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        bad(f"{name}: rrv triage --json is not JSON ({e}): {p.stdout[:200]!r} {p.stderr[:200]!r}")
        return None, p
    errs = schema_errors(doc, schema)
    check(not errs, f"{name}: the report validates against README's schema", "; ".join(errs[:3]))
    return doc, p


def frames(doc):
    return [f["pc"]["symbol"] for f in doc["backtrace"]]


def record(rrv, out, name, elf, status, extra=()):
    trace = os.path.join(out, name + ".rrv")
    p = run([rrv, "record", "-o", trace, "--smp", "2", "--timeout", "60", *extra, elf])
    check(p.returncode == status, f"{name}: recorded, exit {p.returncode}",
          f"want {status}: {p.stderr[:300]}")
    return trace


def expect(doc, name, verdict, title, hart=None, func=None, in_bt=()):
    if not doc:
        return
    check(doc["verdict"] == verdict and doc["complete"], f"{name}: verdict {doc['verdict']}",
          f"want {verdict}, complete: {doc['problem']}")
    check(doc["title"] == title, f"{name}: title \"{doc['title']}\"", f"want \"{title}\"")
    fail = doc["failure"]
    if hart is not None:
        check(fail is not None and fail["hart"] == hart, f"{name}: failing hart {hart}",
              json.dumps(fail)[:300])
    if func is not None and fail:
        check(fail["pc"]["symbol"] == func and fail["pc"]["file"] and fail["pc"]["line"] > 0,
              f"{name}: fails in {func} at {fail['pc']['file']}:{fail['pc']['line']}",
              json.dumps(fail["pc"]))
    if in_bt:
        bt = frames(doc)
        check(all(f in bt for f in in_bt), f"{name}: backtrace {' <- '.join(str(f) for f in bt)}",
              f"want {in_bt} in it")


def last_write(doc, name, hart, func, var):
    lw = doc and doc["last_write"]
    w = lw and lw["writer"]
    check(bool(w) and w["hart"] == hart and w["pc"]["symbol"] == func and
          lw["address"]["symbol"] == var and w["new_value"] == lw["pointer"],
          f"{name}: the bad pointer {lw and lw['pointer']} came from {var}, stored by hart {hart} "
          f"in {func}", json.dumps(lw)[:400])


# ---- the guest cases ----

def guests(rrv, hooks, gdir, out, schema):
    g = lambda n: os.path.join(gdir, n + ".elf")
    docs = {}

    t = record(rrv, out, "null-call", g("triage_null_call"), 126)
    d, _ = triage_json(rrv, t, schema, "null-call")
    expect(d, "null-call", "guest-fail", "instruction access fault at 0x0 called from dispatch_event",
           hart=0, in_bt=("dispatch_event", "main"))
    last_write(d, "null-call", 1, "unregister_handler", "handlers")
    docs["null-call"] = d

    t = record(rrv, out, "bad-pointer", g("triage_bad_pointer"), 126)
    d, _ = triage_json(rrv, t, schema, "bad-pointer")
    expect(d, "bad-pointer", "guest-fail", "load access fault in read_sensor", hart=0,
           func="read_sensor", in_bt=("read_sensor", "main"))
    check(d and d["failure"]["trap"]["cause"] == 5 and d["failure"]["at"] == "fault",
          "bad-pointer: the failure is exception 5 at the fault", json.dumps(d and d["failure"])[:200])
    last_write(d, "bad-pointer", 1, "corrupt_config", "shared_config")
    docs["bad-pointer"] = d
    if d:
        # The reproduce command at the fault stops where the report says.
        cmd = d["reproduce"][-1]
        args = [rrv] + re.findall(r"'[^']*'|\S+", cmd)[1:]
        args = [a.strip("'") for a in args] + ["--batch"]
        # From here: the command's paths are as the report printed them.
        p = run(args)
        check("read_sensor" in p.stdout and "#0" in p.stdout,
              f"bad-pointer: `{cmd}` shows the fault in read_sensor", p.stdout[-300:] + p.stderr[-200:])

    t = record(rrv, out, "check-ready", g("triage_check_ready"), 3)
    d, _ = triage_json(rrv, t, schema, "check-ready")
    expect(d, "check-ready", "guest-fail", "guest exit 3 in check_ready", hart=0,
           in_bt=("g_fail", "check_ready", "main"))

    t = record(rrv, out, "trap-loop", g("triage_trap_loop"), 123)
    d, _ = triage_json(rrv, t, schema, "trap-loop")
    expect(d, "trap-loop", "trap-loop", "trap loop in main", hart=0, func="main")
    check(d and d["failure"]["trap"]["cause"] == 2, "trap-loop: exception 2 (illegal instruction)")

    t = record(rrv, out, "hang", g("triage_hang"), 119, ("--hang-timeout", "1"))
    d, _ = triage_json(rrv, t, schema, "hang")
    expect(d, "hang", "hang", "hang: all harts idle, no interrupt pending")
    check(d and all(h["wfi"] for h in d["harts"]), "hang: every hart in WFI")

    t = record(rrv, out, "panic", g("triage_panic"), 122)
    d, _ = triage_json(rrv, t, schema, "panic")
    expect(d, "panic", "crash", "Kernel panic in do_exit")
    check(d and any("Kernel panic - not syncing" in l for l in d["crash_text"]) and
          any("---[ end Kernel panic" in l for l in d["console_tail"]),
          "panic: crash text and console tail")

    if hooks != "-":
        t = os.path.join(out, "rrv-crash.rrv")
        p = run([hooks, "record", "-o", t, "--smp", "2", g("triage_spin")],
                env=dict(os.environ, RRV_TEST_CRASH_AT="1:3000000"))
        check(p.returncode == 139, f"rrv-crash: recorded, exit {p.returncode}")
        d, _ = triage_json(rrv, t, schema, "rrv-crash")
        expect(d, "rrv-crash", "rrv-crash", "emulator crash (SIGSEGV)")

    # Text for people: the same title, and the commands.
    p = run([rrv, "triage", os.path.join(out, "bad-pointer.rrv")])
    check(p.returncode == 0 and "title:     load access fault in read_sensor" in p.stdout and
          "last written before that load by hart 1" in p.stdout and "reproduce:" in p.stdout,
          "bad-pointer: the text report", p.stdout[:300] + p.stderr[:200])
    return docs


def signatures(rrv, gdir, out, schema, docs):
    for name, guest in (("bad-pointer", "triage_bad_pointer"), ("null-call", "triage_null_call")):
        t = record(rrv, out, name + "-again", os.path.join(gdir, guest + ".elf"), 126)
        d, _ = triage_json(rrv, t, schema, name + "-again")
        first = docs.get(name)
        check(d and first and d["signature"] == first["signature"],
              f"{name}: two recordings, one signature \"{first and first['signature']}\"",
              f"{d and d['signature']}")
    a, b = docs.get("bad-pointer"), docs.get("null-call")
    check(a and b and a["signature"] != b["signature"], "two bugs, two signatures")


def damaged(rrv, out, schema):
    src = open(os.path.join(out, "bad-pointer.rrv"), "rb").read()
    n = len(src)
    rnd = random.Random(13)
    cases = [(f"cut at {k}", src[:k]) for k in (0, 23, 100, n // 3, n // 2, n - 40, n - 1)]
    for _ in range(10):
        b = bytearray(src)
        off = rnd.randrange(n)
        b[off] ^= 1 << rnd.randrange(8)
        cases.append((f"bit flipped at {off}", bytes(b)))
    path = os.path.join(out, "damaged.rrv")
    good = 0
    for what, data in cases:
        open(path, "wb").write(data)
        for mode in ("--json", None):
            p = run([rrv, "triage"] + ([mode] if mode else []) + [path])
            crashed = p.returncode < 0 or p.returncode >= 128 or "Sanitizer" in p.stderr
            if mode:
                try:
                    d = json.loads(p.stdout)
                    errs = schema_errors(d, schema)
                    partial = d["complete"] is False and d["problem"]
                except ValueError:
                    errs, partial = ["not JSON"], False
            else:
                errs, partial = [], "INCOMPLETE:" in p.stdout and "title:" in p.stdout
            # A flip in bytes nothing checks (none so far) could leave a whole trace.
            if crashed or errs or not (partial and p.returncode == 1):
                bad(f"damaged ({what}, {mode or 'text'}): exit {p.returncode} {errs[:2]} "
                    f"{p.stdout[:200]!r} {p.stderr[-300:]!r}")
            else:
                good += 1
    check(good == 2 * len(cases), f"damaged and cut traces: {good} of {2 * len(cases)} reports "
          "say what they miss, exit 1, no crash")


def cli(rrv, gdir, out):
    kept = os.path.join(out, "kept.rrv")
    p = run([rrv, "record", "--on-failure-only", "-o", kept, "--smp", "2",
             os.path.join(gdir, "triage_bad_pointer.elf")])
    check(p.returncode == 126 and os.path.exists(kept) and
          "rrv: failure: load access fault in read_sensor" in p.stderr and
          f"rrv: trace kept: {kept}" in p.stderr,
          "record --on-failure-only: a failing run keeps its trace and says why", p.stderr[-300:])
    gone = os.path.join(out, "clean.rrv")
    p = run([rrv, "record", "--on-failure-only", "-o", gone, os.path.join(gdir, "hello.elf")])
    check(p.returncode == 0 and not os.path.exists(gone),
          "record --on-failure-only: a clean run leaves no trace", p.stderr[-200:])
    p = run([rrv, "info", kept])
    check(re.search(r"^end: guest exit \(reason 1\), exit status 126", p.stdout, re.M),
          "rrv info names the end reason in words", p.stdout[-300:])
    st = os.path.join(out, "stats.rrv")
    p = run([rrv, "record", "--stats", "-o", st, "--smp", "2",
             os.path.join(gdir, "triage_check_ready.elf")])
    m = re.search(r"trace_bytes=(\d+)", p.stderr)
    check(m and int(m.group(1)) == os.path.getsize(st),
          f"record --stats: trace_bytes={m and m.group(1)} is the file's size "
          f"{os.path.getsize(st)}", p.stderr[-200:])


def linux(rrv, files, out, schema):
    f = lambda n: os.path.join(files, n)
    script = os.path.join(out, "sysrq.in")
    # Blank lines first: firmware and the 8250 driver each drop a byte.
    open(script, "w").write("\n\n\necho c > /proc/sysrq-trigger\n")
    t = os.path.join(out, "linux-sysrq.rrv")
    p = run([rrv, "record", "-o", t, "--smp", "4", "--memory", "512M", "--bios", f("fw_jump.bin"),
             "--kernel", f("Image"), "--initrd", f("initrd.cpio.gz"),
             "--append", "console=ttyS0 earlycon=sbi", "--input", script, "--timeout", "400"],
            timeout=900)
    open(os.path.join(out, "linux-sysrq.out"), "w").write(p.stdout)
    check(p.returncode == 122 and "sysrq triggered crash" in p.stdout,
          f"linux: echo c > /proc/sysrq-trigger on 4 harts recorded, exit {p.returncode}",
          p.stderr[-300:])
    d, _ = triage_json(rrv, t, schema, "linux")
    if not d:
        return
    check(d["verdict"] == "crash" and d["title"] == "Kernel panic in sysrq_handle_crash",
          f"linux: title \"{d['title']}\"", d["verdict"])
    check(d["signature"] == "Kernel panic in sysrq_handle_crash", "linux: signature")
    fail = d["failure"]
    bt = frames(d)
    check(fail is not None and fail["privilege"] == "S" and "sysrq_handle_crash" in bt and
          "panic" in bt, f"linux: hart {fail and fail['hart']}'s backtrace (kallsyms) "
          f"{' <- '.join(str(x) for x in bt[:5])}")
    check(any("sysrq triggered crash" in l for l in d["console_tail"]), "linux: console tail")
    # CPU 0 is OpenSBI's boot hart, the others follow in hart order.
    cpu = re.search(r"CPU: (\d+)", "\n".join(d["crash_text"]))
    boot = re.search(r"Boot HART ID\s*: (\d+)", p.stdout)
    if cpu and boot:
        n, b = int(cpu.group(1)), int(boot.group(1))
        others = [h for h in range(4) if h != b]
        want = b if n == 0 else others[n - 1]
        # At the end the walk may already see the whole chain (then the
        # report stays there); else it goes back to the call into panic().
        check(fail and fail["hart"] == want and fail["at"] in ("fault", "end"),
              f"linux: the failing hart is CPU {n}'s (hart {want}), at its call into panic() "
              f"or at the end with the whole chain",
              json.dumps(fail)[:200])


def main():
    if sys.argv[1] == "--linux":
        rrv, files, out, readme = sys.argv[2:6]
        os.makedirs(out, exist_ok=True)
        linux(rrv, files, out, readme_schema(readme))
    else:
        rrv, hooks, gdir, out, readme = sys.argv[1:6]
        os.makedirs(out, exist_ok=True)
        schema = readme_schema(readme)
        docs = guests(rrv, hooks, gdir, out, schema)
        signatures(rrv, gdir, out, schema, docs)
        damaged(rrv, out, schema)
        cli(rrv, gdir, out)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

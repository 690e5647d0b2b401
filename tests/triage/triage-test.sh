#!/bin/sh
# triage-test.sh: every way a run ends is classified (make triage-test).
#
# usage: triage-test.sh [--tsan] RRV HOOKS_RRV GUEST_DIR OUT_DIR
# HOOKS_RRV is a -DRRV_TEST_HOOKS build (for the injected crash), or "-".
# For each verdict a guest of our own (tests/guests/triage_*.c) is recorded
# on 2 harts: the exit status is the documented one, `rrv info` shows the
# verdict in END, and the trace replays (in parallel and serialized) to the
# same end, with the same output and exit status. Also: `rrv run` reports
# the same verdicts, a trace without a verdict (format 1.0) reads as
# "unknown" and still replays, and a release build ignores the crash hook.
set -u
tsan=0
if [ "${1:-}" = --tsan ]; then
	tsan=1
	shift
fi
rrv=$1 hooks=$2 gdir=$3 out=$4
mkdir -p "$out"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
scale=1
if [ $tsan = 1 ]; then
	scale=5
	TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}"
	export TSAN_OPTIONS
fi

# no_tsan_report FILE: under --tsan, stderr must hold no report.
no_tsan_report() {
	[ $tsan = 0 ] || ! grep -q ThreadSanitizer "$1"
}

# check_info NAME PATTERN: `rrv info` shows the verdict.
check_info() {
	"$rrv" info "$out/$1.rrv" >"$out/$1.info" 2>&1
	if grep -q -- "$2" "$out/$1.info"; then
		ok "$1: rrv info: $(grep '^verdict:' "$out/$1.info" | cut -c1-110)"
	else
		bad "$1: rrv info lacks '$2': $(grep -A2 '^end' "$out/$1.info" | head -c 300)"
	fi
}

# check_replays NAME STATUS SAYS: parallel and serialized replays end with
# STATUS, the recording's output and a line matching SAYS.
check_replays() {
	name=$1 want=$2 says=$3
	for mode in parallel serial; do
		flag=
		[ $mode = serial ] && flag=--serial
		"$rrv" replay $flag "$out/$name.rrv" >"$out/$name.$mode.out" \
			2>"$out/$name.$mode.err" </dev/null
		st=$?
		if [ $st -ne "$want" ]; then
			bad "$name $mode replay: exit $st, want $want: $(head -c 300 "$out/$name.$mode.err")"
		elif ! cmp -s "$out/$name.out" "$out/$name.$mode.out"; then
			bad "$name $mode replay: output differs from the recording"
		elif ! grep -q -- "$says" "$out/$name.$mode.err"; then
			bad "$name $mode replay: no '$says': $(head -c 300 "$out/$name.$mode.err")"
		elif ! no_tsan_report "$out/$name.$mode.err"; then
			bad "$name $mode replay: ThreadSanitizer report"
		else
			ok "$name $mode replay: exit $st, $(grep -o 'the recording ended with [a-z-]*' "$out/$name.$mode.err" || tail -n 1 "$out/$name.$mode.err" | cut -c1-60)"
		fi
	done
}

# case_of NAME STATUS STDERR INFO -- RECORD-ARGS: record, check, replay.
case_of() {
	name=$1 want=$2 msg=$3 info=$4
	shift 5
	"$rrv" record -o "$out/$name.rrv" --smp 2 --timeout $((60 * scale)) "$@" \
		>"$out/$name.out" 2>"$out/$name.err" </dev/null
	st=$?
	if [ $st -ne "$want" ]; then
		bad "$name record: exit $st, want $want: $(head -c 300 "$out/$name.err")"
		return
	fi
	if { [ -n "$msg" ] && ! grep -q -- "$msg" "$out/$name.err"; } ||
	   ! no_tsan_report "$out/$name.err"; then
		bad "$name record: stderr lacks '$msg': $(head -c 300 "$out/$name.err")"
		return
	fi
	ok "$name record: exit $st, $(grep -- "$msg" "$out/$name.err" | head -n 1 | cut -c1-100)"
	check_info "$name" "$info"
	check_replays "$name" "$want" "replay identical"
}

g=$gdir
case_of exit0 0 "" "^verdict: exit: the guest exited with code 0" -- "$g/hello.elf"
case_of guest-fail 3 "the guest reported failure: exit code 3" \
	"^verdict: guest-fail: .*exit code 3" -- "$g/triage_exit3.elf"
case_of trap-loop 123 "trap loop on hart 0: exception 2 (illegal instruction)" \
	"^verdict: trap-loop: trap loop on hart 0" -- "$g/triage_trap_loop.elf"
case_of hang 119 "hang: no hart retired" "^verdict: hang: no hart retired" \
	-- --hang-timeout 1 "$g/triage_hang.elf"
case_of hang-output 119 "hang: no console output for 1 s" "^verdict: hang: no console output" \
	-- --hang-output 1 "$g/triage_spin.elf"
case_of panic 122 "guest kernel crash (panic): .*Kernel panic - not syncing" \
	"^  | .*---\[ end Kernel panic" -- "$g/triage_panic.elf"

# A guest that spins retires instructions: --hang-timeout leaves it alone
# (the --timeout ends it).
"$rrv" run --smp 2 --hang-timeout 1 --timeout $((3 * scale)) "$g/triage_spin.elf" \
	>/dev/null 2>"$out/spin-run.err" </dev/null
st=$?
if [ $st -eq 124 ]; then ok "spinning guest is no hang (exit 124)"; else bad "spinning guest: exit $st: $(head -c 200 "$out/spin-run.err")"; fi

# Interrupted: a signal in the middle of a 4-hart recording finishes the
# trace, which replays identically up to there.
# (Through python, which gives rrv the signal's default action: sh starts
# background jobs with SIGINT ignored, nohup ignores SIGHUP, and rrv, like
# any well-behaved program, leaves an ignored signal ignored. A recording
# the signal did not end is killed after a minute: a failure, not a hang.)
for sig in TERM INT HUP; do
	name=sig$sig
	python3 -c 'import signal, subprocess, sys, time
s = getattr(signal, "SIG" + sys.argv[2].rsplit("sig", 1)[1])
p = subprocess.Popen(sys.argv[3:], stdin=subprocess.DEVNULL,
                     stdout=open(sys.argv[2] + ".out", "wb"),
                     stderr=open(sys.argv[2] + ".err", "wb"),
                     preexec_fn=lambda: signal.signal(s, signal.SIG_DFL))
time.sleep(float(sys.argv[1]))
p.send_signal(s)
try:
    sys.exit(p.wait(timeout=60))
except subprocess.TimeoutExpired:
    p.kill()
    sys.exit(99)' $scale "$out/$name" "$rrv" record -o "$out/$name.rrv" --smp 4 "$g/triage_spin.elf"
	st=$?
	case $sig in TERM) want=143 ;; INT) want=130 ;; HUP) want=129 ;; esac
	if [ $st -ne $want ] || ! grep -q "interrupted by SIG$sig" "$out/$name.err"; then
		bad "$name record: exit $st, want $want: $(head -c 300 "$out/$name.err")"
		continue
	fi
	ok "$name record: exit $st, $(head -n 1 "$out/$name.err")"
	check_info "$name" "^verdict: interrupted: interrupted by SIG$sig"
	check_replays "$name" $want "replay identical"
done

# rrv run reports the same verdicts.
"$rrv" run --smp 2 "$g/triage_trap_loop.elf" >/dev/null 2>"$out/run-loop.err" </dev/null
st=$?
if [ $st -eq 123 ] && grep -q "trap loop on hart 0" "$out/run-loop.err"; then
	ok "rrv run: trap loop, exit 123"
else
	bad "rrv run trap loop: exit $st: $(head -c 200 "$out/run-loop.err")"
fi
"$rrv" run --smp 2 "$g/triage_panic.elf" >/dev/null 2>"$out/run-panic.err" </dev/null
st=$?
if [ $st -eq 122 ] && grep -q "guest kernel crash (panic)" "$out/run-panic.err"; then
	ok "rrv run: kernel panic, exit 122"
else
	bad "rrv run panic: exit $st: $(head -c 200 "$out/run-panic.err")"
fi

# A trace without a verdict (END as format 1.0 wrote it) reads "unknown".
python3 - "$out/exit0.rrv" "$out/old.rrv" <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
out, off = bytearray(), 0
while off < len(data):
    magic, typ, flags, res, stored, raw, crc, hcrc = struct.unpack_from("<IBBHIIII", data, off)
    payload = data[off + 24: off + 24 + stored]
    if typ == 6:  # END: keep the 21 fixed bytes only
        payload = payload[:21]
        hdr = struct.pack("<IBBHIII", magic, typ, flags, res, 21, 21, zlib.crc32(payload))
        out += hdr + struct.pack("<I", zlib.crc32(hdr)) + payload
    else:
        out += data[off: off + 24 + stored]
    off += 24 + stored
open(sys.argv[2], "wb").write(out)
EOF
cp "$out/exit0.out" "$out/old.out"
check_info old "^verdict: unknown"
"$rrv" replay --quiet "$out/old.rrv" >/dev/null 2>"$out/old.err" </dev/null
st=$?
if [ $st -eq 0 ] && grep -q "replay identical" "$out/old.err"; then ok "old trace replays"; else bad "old trace: exit $st: $(head -c 200 "$out/old.err")"; fi

# rrv crashed: an injected SIGSEGV in hart 1 at icount 3M (test build).
if [ "$hooks" != - ]; then
	name=rrv-crash
	RRV_TEST_CRASH_AT=1:3000000 "$hooks" record -o "$out/$name.rrv" --smp 2 \
		"$g/triage_spin.elf" >"$out/$name.out" 2>"$out/$name.err" </dev/null
	st=$?
	if [ $st -eq 139 ] && grep -q "crashed: SIGSEGV" "$out/$name.err" &&
	   grep -q "#0 0x[0-9a-f]* machine_test_crash" "$out/$name.err" &&
	   grep -q "hart 1: pc 0x[0-9a-f]* icount 3000000" "$out/$name.err" &&
	   grep -q "ends with verdict rrv-crash" "$out/$name.err"; then
		ok "$name record: exit 139, backtrace from machine_test_crash, hart 1 at icount 3000000"
		check_info "$name" "^verdict: rrv-crash: rrv itself crashed (SIGSEGV)"
		check_replays "$name" 139 "replay reached the end of the recording"
	else
		bad "$name record: exit $st: $(head -c 600 "$out/$name.err")"
	fi
	RRV_TEST_CRASH_AT=1:3000000 "$rrv" run --smp 2 --timeout 1 "$g/triage_spin.elf" \
		>/dev/null 2>"$out/release.err" </dev/null
	st=$?
	if [ $st -eq 124 ]; then ok "release build ignores RRV_TEST_CRASH_AT"; else bad "release build with RRV_TEST_CRASH_AT: exit $st"; fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

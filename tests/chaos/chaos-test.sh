#!/bin/sh
# chaos-test.sh RRV GUESTS OUT: `rrv chaos` against plain `rrv record` on a
# guest whose bug needs a starved hart (tests/guests/chaos_starve.c), the
# kept trace replaying to the same failure, and chaos traces replaying
# identically. RUNS (default 20) recordings each way.
RRV=$1 GUESTS=$2 OUT=$3
RUNS=${RUNS:-20}
ELF=$GUESTS/chaos_starve.elf
mkdir -p "$OUT"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# Plain recordings: how often does the host alone starve hart 1 enough?
plain=0 i=0
while [ $i -lt "$RUNS" ]; do
	"$RRV" record -o "$OUT/plain.rrv" --smp 2 "$ELF" </dev/null >/dev/null 2>&1
	[ $? -eq 3 ] && plain=$((plain + 1))
	i=$((i + 1))
done
rm -f "$OUT/plain.rrv"

# The same number of chaos recordings, all of them (--keep-going).
rm -f "$OUT/chaos.rrv"
"$RRV" chaos --runs "$RUNS" --keep-going -o "$OUT/chaos.rrv" --smp 2 "$ELF" \
	>"$OUT/chaos.out" 2>"$OUT/chaos.err"
st=$?
chaos=$(sed -n 's/^rrv chaos: \([0-9]*\) of [0-9]* runs failed.*/\1/p' "$OUT/chaos.out")
chaos=${chaos:-0}
echo "plain rrv record: $plain of $RUNS runs failed; rrv chaos: $chaos of $RUNS"
[ "$chaos" -ge 1 ] && [ "$chaos" -ge $((5 * plain)) ] &&
	ok "chaos hits the failure at least 5x as often ($chaos vs $plain of $RUNS)" ||
	bad "chaos $chaos of $RUNS, plain $plain of $RUNS: not 5x"
[ $st -eq 1 ] && ok "rrv chaos exits 1 when a run failed" || bad "rrv chaos exit $st"
grep -q '^title: guest exit 3 in main' "$OUT/chaos.out" &&
	ok "the triage title is printed" || bad "no title: $(cat "$OUT/chaos.out")"
n=$(ls "$OUT" | grep -c '\.run')
[ "$n" -eq 0 ] && ok "passing traces deleted" || bad "$n run traces left behind"

# The kept trace replays to the same failure, identically.
if [ -f "$OUT/chaos.rrv" ]; then
	"$RRV" replay --quiet "$OUT/chaos.rrv" >/dev/null 2>"$OUT/replay.err"
	st=$?
	[ $st -eq 3 ] && ok "the kept trace replays to exit 3" || bad "kept trace replay exit $st"
	"$RRV" replay "$OUT/chaos.rrv" 2>/dev/null | grep -q 'FAIL hart 1 ready' &&
		ok "its replay prints the failed check" || bad "replay output lacks the FAIL line"
	"$RRV" replay --serial --quiet "$OUT/chaos.rrv" >/dev/null 2>&1
	st=$?
	[ $st -eq 3 ] && ok "and serialized too" || bad "serial replay exit $st"
else
	bad "no kept trace"
fi

# Every chaos recording replays as recorded, pass or fail (chaos changes
# only timing): a few seeds, each recording's status against its replay's.
for seed in 1 2 3 4; do
	"$RRV" record --chaos-seed $seed -o "$OUT/s$seed.rrv" --smp 2 "$ELF" \
		</dev/null >/dev/null 2>&1
	rec=$?
	"$RRV" replay --quiet "$OUT/s$seed.rrv" >/dev/null 2>"$OUT/s$seed.err"
	rep=$?
	[ $rec -eq $rep ] && ok "chaos seed $seed: recorded $rec, replayed $rep" ||
		bad "chaos seed $seed: recorded $rec, replayed $rep: $(cat "$OUT/s$seed.err")"
	rm -f "$OUT/s$seed.rrv"
done
# A 4-hart chaos recording of an SMP guest with atomics replays too.
"$RRV" record --chaos-seed 7 -o "$OUT/amo.rrv" --smp 4 "$GUESTS/amo_counter.elf" \
	</dev/null >/dev/null 2>&1
rec=$?
"$RRV" replay --quiet "$OUT/amo.rrv" >/dev/null 2>&1
rep=$?
[ $rec -eq 0 ] && [ $rep -eq 0 ] && ok "amo_counter on 4 harts under chaos: recorded and replayed" ||
	bad "amo_counter under chaos: recorded $rec, replayed $rep"
rm -f "$OUT/amo.rrv"

# Bad options.
"$RRV" chaos --runs 0 "$ELF" >/dev/null 2>&1; st=$?
[ $st -eq 2 ] && ok "--runs 0: exit 2" || bad "--runs 0: exit $st"
"$RRV" chaos --smp 2 >/dev/null 2>&1; st=$?
[ $st -eq 2 ] && ok "no image: exit 2" || bad "no image: exit $st"
"$RRV" chaos --bogus "$ELF" >/dev/null 2>&1; st=$?
[ $st -eq 2 ] && ok "unknown option: exit 2" || bad "unknown option: exit $st"

echo "chaos-test: $pass passed, $fail failed"
[ $fail -eq 0 ]

#!/bin/sh
# demo.sh: `make demo`: record the 4-hart demo guest, replay it in parallel
# and serialized, and say whether the replays were identical.
set -u
rrv=$1 elf=$2 out=$3
mkdir -p "$out"
trace=$out/demo.rrv
# Whether the race loses updates depends on how the host schedules the
# harts: record again (up to 5 times) until one run shows a lost update,
# so the debugger below has one to find.
attempt=1
while :; do
	echo "== rrv record -o $trace --smp 4 $elf"
	"$rrv" record -o "$trace" --smp 4 --timeout 60 --stats "$elf" 2>"$out/record.err" >"$out/record.out"
	st=$?
	cat "$out/record.out"
	[ $st -eq 0 ] || break
	grep -q "(0 updates lost" "$out/record.out" || break
	[ $attempt -lt 5 ] || { echo "   (no update lost in 5 recordings: the harts never overlapped)"; break; }
	echo "   no update was lost this time (the harts did not overlap): recording again"
	attempt=$((attempt + 1))
done
grep -E "stats: (insns|hart|trace)" "$out/record.err" | sed 's/^rrv: stats: /   /'
[ $st -eq 0 ] || { cat "$out/record.err"; exit 1; }
echo "== rrv info $trace"
"$rrv" info "$trace" | grep -E "^trace|^hart|^events|^end"
verdict=0
for mode in "" --serial; do
	echo "== rrv replay $mode $trace"
	"$rrv" replay $mode "$trace" >"$out/replay.out" 2>"$out/replay.err"
	rst=$?
	cat "$out/replay.err"
	if [ $rst -ne 0 ] || ! cmp -s "$out/record.out" "$out/replay.out"; then
		echo "   output or exit status differs from the recording"
		verdict=1
	else
		echo "   same output ($(wc -c <"$out/replay.out") bytes) and exit status as the recording"
	fi
done
if [ $verdict -eq 0 ]; then
	echo "== verdict: replay identical (parallel and serialized)"
else
	echo "== verdict: REPLAY DIFFERS"
fi

# The debugger: go to the end, find the store that wrote the racy
# counter's final value, go back through the writes before it, and find
# a lost update with a watchpoint (a store that does not advance it).
cat >"$out/debug.cmds" <<'CMDS'
continue
print racy_count
last-write racy_count
last-write
last-write
goto start
watch racy_count
CMDS
i=0
while [ $i -lt 20000 ]; do echo continue; i=$((i + 1)); done >>"$out/debug.cmds"
echo "== rrv debug $trace (scripted: continue to the end; last-write racy_count x3; watch racy_count)"
"$rrv" debug "$trace" <"$out/debug.cmds" >"$out/debug.out" 2>&1
awk "/Hardware watchpoint 1: 0x/ { exit } { print }" "$out/debug.out" | head -40
awk '/Old value/ { o = $4 + 0 } /New value/ { n = $4 + 0; if (o > 0 && n <= o && !shown) {
	print "== lost update found: a store wrote " n " over " o " (it loaded " n - 1 \
	    " before another hart stored)"; shown = 1 } }' "$out/debug.out"
exit $verdict

#!/bin/sh
# demo.sh: `make demo`: record the 4-hart demo guest, replay it in parallel
# and serialized, and say whether the replays were identical.
set -u
rrv=$1 elf=$2 out=$3
mkdir -p "$out"
trace=$out/demo.rrv
echo "== rrv record -o $trace --smp 4 $elf"
"$rrv" record -o "$trace" --smp 4 --timeout 60 --stats "$elf" 2>"$out/record.err" | tee "$out/record.out"
st=$?
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
exit $verdict

#!/bin/sh
# rr-bench.sh: record/replay costs, as medians of interleaved runs.
#
# usage: rr-bench.sh RRV LOWSHARE_ELF "CONTENDED_ELF..." [RUNS] ["REPLAY_ELF..."]
#   record/run time ratio on a low-sharing 2-hart guest (target <= 1.15),
#   replay/record ratio, trace bytes per million instructions, ownership
#   transfers per second on a contended-lock 4-hart guest, and parallel
#   against serialized replay of each REPLAY_ELF recorded on 8 harts (more
#   harts than host cores: how waiting harts give way to the one they wait on).
set -eu
rrv=$1 low=$2 locks=$3 runs=${4:-5} replays=${5:-}
tmp=${TMPDIR:-/tmp}/rrv-rrbench.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
timeit() { t0=$(now); "$@" >/dev/null 2>>"$tmp/err" || { echo "rr-bench: failed: $*" >&2; cat "$tmp/err" >&2; exit 1; }; t1=$(now); echo "$t1 - $t0" | bc -l; }

: >"$tmp/run"; : >"$tmp/rec"; : >"$tmp/rep"; : >"$tmp/bpm"
i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	timeit "$rrv" run --smp 2 "$low" >>"$tmp/run"
	timeit "$rrv" record -o "$tmp/low.rrv" --smp 2 "$low" >>"$tmp/rec"
	timeit "$rrv" replay --quiet "$tmp/low.rrv" >>"$tmp/rep"
	insns=$("$rrv" info "$tmp/low.rrv" | sed -n 's/^hart [0-9]*: \([0-9]*\) instructions.*/\1/p' | awk '{ s += $1 } END { print s }')
	size=$(stat -c %s "$tmp/low.rrv")
	echo "$size * 1000000 / $insns" | bc -l >>"$tmp/bpm"
done
run=$(median <"$tmp/run") rec=$(median <"$tmp/rec") rep=$(median <"$tmp/rep")
echo "rr-bench: low-sharing guest $(basename "$low"), 2 harts, median of $runs interleaved runs"
printf '  run     %7.3f s\n  record  %7.3f s   record/run    = %.3f (target <= 1.15)\n' "$run" "$rec" "$(echo "$rec / $run" | bc -l)"
printf '  replay  %7.3f s   replay/record = %.3f (target <= 1)\n' "$rep" "$(echo "$rep / $rec" | bc -l)"
printf '  trace   %7.1f bytes per million instructions\n' "$(median <"$tmp/bpm")"

for lock in $locks; do
: >"$tmp/xfer"
i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	t=$(timeit "$rrv" record -o "$tmp/lock.rrv" --smp 4 "$lock")
	acq=$("$rrv" info "$tmp/lock.rrv" | sed -n 's/.*ACQUIRE \([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
	echo "$acq / $t" | bc -l >>"$tmp/xfer"
done
printf 'rr-bench: contended guest %s, 4 harts: %.0f ownership transfers per second of recording (median of %s)\n' \
	"$(basename "$lock")" "$(median <"$tmp/xfer")" "$runs"
done

for g in $replays; do
	"$rrv" record -o "$tmp/rep8.rrv" --smp 8 "$g" >/dev/null 2>>"$tmp/err" ||
		{ echo "rr-bench: failed: record $g" >&2; cat "$tmp/err" >&2; exit 1; }
	: >"$tmp/par"; : >"$tmp/ser"
	i=0
	while [ $i -lt "$runs" ]; do
		i=$((i + 1))
		timeit "$rrv" replay --quiet "$tmp/rep8.rrv" >>"$tmp/par"
		timeit "$rrv" replay --quiet --serial "$tmp/rep8.rrv" >>"$tmp/ser"
	done
	par=$(median <"$tmp/par") ser=$(median <"$tmp/ser")
	printf 'rr-bench: contended guest %s, 8 harts on %s host cores: parallel replay %.3f s, serialized %.3f s, parallel/serialized = %.2f (median of %s)\n' \
		"$(basename "$g")" "$(nproc)" "$par" "$ser" "$(echo "$par / $ser" | bc -l)" "$runs"
done

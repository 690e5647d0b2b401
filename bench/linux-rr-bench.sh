#!/bin/sh
# linux-rr-bench.sh: what recording and replaying Debian's Linux costs, as
# medians of interleaved rounds: rrv run, rrv record and parallel rrv replay of
#   (a) a 4-hart (512 MB) boot to the shell, then four background shell loops
#       of a fixed number of iterations each, then poweroff;
#   (b) an 8-hart (1 GB) boot to the shell, then poweroff.
# Prints wall times, record/run and replay/record, and the guest instruction
# counts (--stats) of each, which show how much more the guest spins when
# recorded (its harts wait on harts whose host thread is not running), and
# how long a chain of instructions the recording's dependencies force one
# after another (bench/replay-bound.py), which bounds any parallel replay.
#
# usage: linux-rr-bench.sh [--rrv PATH] [--base PATH] [--files DIR]
#                          [--runs N] [--loops N] [--timeout S] [--only 4|8]
#
# DIR holds Image, fw_jump.bin and initrd.cpio.gz (make linux-files). --base
# PATH runs a second rrv binary in every round too (before/after figures of a
# change, interleaved so that the machine's load hits both alike). Every run
# must exit 0 and every replay must say "replay identical" with the
# recording's output: otherwise the benchmark fails. Logs go to DIR/rr-bench/.
rrv=build/rrv
base=
files=build/linux
runs=3
loops=5000
tmo=300
only=

usage() {
	echo "linux-rr-bench: $1" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage "$1 needs a value"
	case "$1" in
	--rrv) rrv=$2 ;;
	--base) base=$2 ;;
	--files) files=$2 ;;
	--runs) runs=$2 ;;
	--loops) loops=$2 ;;
	--timeout) tmo=$2 ;;
	--only) only=$2 ;;
	*) usage "unknown option $1" ;;
	esac
	shift 2
done
for n in "$runs" "$loops" "$tmo"; do
	case "$n" in ''|*[!0-9]*|0) usage "--runs, --loops and --timeout take positive whole numbers" ;; esac
done
case "$only" in ''|4|8) ;; *) usage "--only takes 4 or 8" ;; esac
for f in Image fw_jump.bin initrd.cpio.gz; do
	[ -r "$files/$f" ] || usage "$files/$f missing (make linux-files builds it)"
done
for b in "$rrv" $base; do
	[ -x "$b" ] || usage "$b is not built"
done

out=$files/rr-bench
mkdir -p "$out" || exit 2
# Blank lines first: the shell's start may flush input already queued.
printf '\n\n\nfor j in 1 2 3 4; do (i=0; while [ $i -lt %s ]; do i=$((i+1)); done; echo loop-$j-done) & done; wait\npoweroff -f\n' \
	"$loops" >"$out/loops.in"
printf '\n\n\npoweroff -f\n' >"$out/poweroff.in"

now() { date +%s.%N; }
median() {
	sort -g | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
load() { cut -d' ' -f1-3 /proc/loadavg; }
insns() { sed -n 's/^rrv: stats: insns=\([0-9]*\) .*/\1/p' "$1"; }

# timed TAG LOG COMMAND...: runs COMMAND with stdout to LOG.out and stderr to
# LOG.err; appends its seconds to $out/TAG.t and its instruction count to
# $out/TAG.i. Leaves its exit status in $st.
timed() {
	tag=$1 log=$2
	shift 2
	t0=$(now)
	"$@" >"$log.out" 2>"$log.err" </dev/null
	st=$?
	t1=$(now)
	echo "$t1 - $t0" | bc -l >>"$out/$tag.t"
	insns "$log.err" >>"$out/$tag.i"
}

fail() {
	echo "linux-rr-bench: $1; log $2" >&2
	tail -n 5 "$2" | tr -d '\r' | sed 's/^/    | /' >&2
	exit 1
}

# one BIN WHO CASE ROUND: run, record and replay of one case by one binary.
one() {
	bin=$1 who=$2 case=$3 r=$4
	if [ "$case" = 4 ]; then
		mach="--smp 4 --memory 512M" in=$out/loops.in
	else
		mach="--smp 8 --memory 1G" in=$out/poweroff.in
	fi
	set -- $mach --bios "$files/fw_jump.bin" --kernel "$files/Image" \
		--initrd "$files/initrd.cpio.gz" --append "console=ttyS0 earlycon=sbi" \
		--input "$in" --timeout "$tmo" --stats
	k=$who-$case
	log=$out/$k-run-$r
	timed "$k-run" "$log" "$bin" run "$@"
	{ [ $st = 0 ] && grep -q "Power down" "$log.out"; } ||
		fail "$who run ($case harts) round $r: exit status $st" "$log.out"
	log=$out/$k-record-$r
	timed "$k-record" "$log" "$bin" record -o "$out/$k.rrv" "$@"
	{ [ $st = 0 ] && grep -q "Power down" "$log.out"; } ||
		fail "$who record ($case harts) round $r: exit status $st" "$log.out"
	[ "$case" = 8 ] || grep -q "loop-4-done" "$log.out" ||
		fail "$who record round $r: the shell loops did not finish" "$log.out"
	cp "$log.out" "$out/$k.rec.out"
	log=$out/$k-replay-$r
	timed "$k-replay" "$log" "$bin" replay --stats "$out/$k.rrv"
	{ [ $st = 0 ] && grep -q "replay identical" "$log.err" &&
		cmp -s "$out/$k.rec.out" "$log.out"; } ||
		fail "$who replay ($case harts) round $r: exit status $st, not identical" "$log.err"
	# What the recording's dependencies leave to a parallel replay
	# (bench/replay-bound.py): untimed, between the timed runs.
	python3 "$(dirname "$0")/replay-bound.py" "$out/$k.rrv" --rrv "$bin" --cpus "$(nproc)" \
		>"$out/$k-bound-$r" 2>&1 &&
		sed -n 's/.*parallel replay on [0-9]* CPUs: at least \([0-9]*\)%.*/\1/p' \
			"$out/$k-bound-$r" >>"$out/$k-bound.t"
	rm -f "$out/$k.rrv"
}

cases="4 8"
[ -z "$only" ] || cases=$only
whos=new
[ -z "$base" ] || whos="base new"
for who in $whos; do
	for c in $cases; do
		for s in run record replay; do : >"$out/$who-$c-$s.t"; : >"$out/$who-$c-$s.i"; done
		: >"$out/$who-$c-bound.t"
	done
done
load0=$(load)
t_start=$(now)
r=0
while [ "$r" -lt "$runs" ]; do
	r=$((r + 1))
	for c in $cases; do
		# Alternate which binary goes first, so neither always runs on a
		# machine still busy with the other's leftovers.
		order=$whos
		[ -z "$base" ] || [ $((r % 2)) = 1 ] || order="new base"
		for who in $order; do
			bin=$rrv
			[ "$who" = new ] || bin=$base
			one "$bin" "$who" "$c" "$r"
		done
	done
done
t_all=$(echo "$(now) - $t_start" | bc -l)

sci() { awk '{ printf "%.2fe9", $1 / 1e9 }'; }
row() {
	printf '    %-7s %7.2f s  %s insns   (s: %s)\n' "$1" "$(median <"$out/$2.t")" \
		"$(median <"$out/$2.i" | sci)" "$(tr '\n' ' ' <"$out/$2.t" | awk '{ for (i = 1; i <= NF; i++) printf "%.1f ", $i }')"
}
echo "linux-rr-bench: Debian $(cat "$files/kernel.version" 2>/dev/null || echo kernel), medians of $runs interleaved rounds on $(nproc) host cores"
echo "  load average: $load0 at the start, $(load) at the end; $(printf '%.0f' "$t_all") s in all"
for c in $cases; do
	if [ "$c" = 4 ]; then
		echo "  4 harts, 512 MB: boot to the shell, 4 background shell loops of $loops iterations, poweroff"
	else
		echo "  8 harts, 1 GB: boot to the shell, poweroff"
	fi
	for who in $whos; do
		[ -z "$base" ] || echo "   $who ($( [ "$who" = new ] && echo "$rrv" || echo "$base"))"
		row run "$who-$c-run"
		row record "$who-$c-record"
		row replay "$who-$c-replay"
		run=$(median <"$out/$who-$c-run.t")
		rec=$(median <"$out/$who-$c-record.t")
		rep=$(median <"$out/$who-$c-replay.t")
		target=1.5
		[ "$c" = 4 ] || target=2
		printf '    record/run = %.2f (target <= %s)   replay/record = %.2f (target <= 1.0)   recorded/run insns = %.2f\n' \
			"$(echo "$rec / $run" | bc -l)" "$target" "$(echo "$rep / $rec" | bc -l)" \
			"$(echo "$(median <"$out/$who-$c-record.i") / $(median <"$out/$who-$c-run.i")" | bc -l)"
		[ ! -s "$out/$who-$c-bound.t" ] ||
			printf '    replay bound: a parallel replay on %s CPUs does at least %s%% of a serialized one'"'"'s work\n      one after another (the dependency chain, bench/replay-bound.py)\n' \
				"$(nproc)" "$(median <"$out/$who-$c-bound.t")"
	done
done

#!/bin/sh
# run-guests.sh: run the guests listed in a manifest on rrv or QEMU, one PASS/FAIL line per run.
#
# usage: run-guests.sh [--emu rrv|qemu] [--rrv PATH] [--dir ELFDIR]
#                      [--logs DIR] [--smp-min N] [--timeout-scale K] [--tsan]
#                      MANIFEST
# Manifest lines: NAME  HART-COUNT...  TIMEOUT-SECONDS  [qemu=ARG,ARG...]
#                 [input=FILE]
# ('#' starts a comment). qemu= adds QEMU options (commas become spaces), e.g.
# -icount for a guest that counts retired instructions exactly; rrv ignores it.
# input= names a file (relative to the manifest's directory) fed to the UART:
# rrv gets it as --input FILE. QEMU gets it on stdin, but paced: one line
# every $QEMU_LINE_DELAY seconds (default 0.01) after a $QEMU_INPUT_DELAY
# (default 0.5) start-up pause, because QEMU's 16550 drops what is in its
# receiver when the guest switches the FIFO on or off (at start-up or on a
# mode change), so input must not arrive ahead of the guest.
# A run passes when the emulator exits 0 (the guest's own exit code); with
# --tsan it must also leave no ThreadSanitizer report on stderr.
# Prints "N passed, N failed" last and exits 1 if any run failed.

emu=rrv
rrv=build/rrv
dir=build/guests
logs=
smp_min=1
scale=1
tsan=0

while [ $# -gt 1 ]; do
	case "$1" in
	--emu) emu=$2; shift 2 ;;
	--rrv) rrv=$2; shift 2 ;;
	--dir) dir=$2; shift 2 ;;
	--logs) logs=$2; shift 2 ;;
	--smp-min) smp_min=$2; shift 2 ;;
	--timeout-scale) scale=$2; shift 2 ;;
	--tsan) tsan=1; shift ;;
	*) echo "run-guests.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
manifest=$1
if [ -z "$manifest" ] || [ ! -r "$manifest" ]; then
	echo "run-guests.sh: no readable manifest given" >&2
	exit 2
fi
case "$emu" in
rrv|qemu) ;;
*) echo "run-guests.sh: --emu takes rrv or qemu" >&2; exit 2 ;;
esac
if [ "$emu" = rrv ] && [ ! -x "$rrv" ]; then
	echo "run-guests.sh: $rrv is not built" >&2
	exit 2
fi
[ -n "$logs" ] || logs=$dir/logs-$emu
mkdir -p "$logs" || exit 2

if [ $tsan = 1 ]; then
	# halt_on_error makes the first report fatal; the stderr scan below
	# also catches reports from a build that ignores TSAN_OPTIONS.
	TSAN_OPTIONS="halt_on_error=1 exitcode=66 $TSAN_OPTIONS"
	export TSAN_OPTIONS
fi

passed=0
failed=0

# pace_input FILE: FILE on stdout a line at a time, slowly enough for QEMU.
pace_input() {
	sleep "${QEMU_INPUT_DELAY:-0.5}"
	while IFS= read -r line || [ -n "$line" ]; do
		printf '%s\n' "$line" || return 0
		sleep "${QEMU_LINE_DELAY:-0.01}"
	done <"$1"
}

# run_one NAME SMP TIMEOUT QEMU-ARGS [INPUT]: one emulator run, output kept
# in the log dir.
run_one() {
	elf=$dir/$1.elf
	log=$logs/$1-smp$2.log
	err=$logs/$1-smp$2.err
	if [ ! -r "$elf" ] || { [ -n "$5" ] && [ ! -r "$5" ]; }; then
		echo "missing $elf or its input ${5:-}" >"$log"
		: >"$err"
		return 2
	fi
	if [ "$emu" = qemu ]; then
		# The host-side timeout stands in for rrv's --timeout (124 too).
		if [ -n "$5" ]; then
			pace_input "$5"
		fi | timeout -k 5 "$3" qemu-system-riscv64 -M virt -bios none \
			-nographic -monitor none -serial stdio -smp "$2" $4 \
			-kernel "$elf" >"$log" 2>"$err"
	elif [ -n "$5" ]; then
		"$rrv" run --smp "$2" --timeout "$3" --input "$5" "$elf" \
			</dev/null >"$log" 2>"$err"
	else
		"$rrv" run --smp "$2" --timeout "$3" "$elf" \
			</dev/null >"$log" 2>"$err"
	fi
}

while read -r name rest; do
	case "$name" in ''|'#'*) continue ;; esac
	# The last number is the timeout, the ones before it the hart counts.
	qargs=
	input=
	nums=
	for tok in $rest; do
		case "$tok" in
		qemu=*) qargs=$(echo "${tok#qemu=}" | tr ',' ' ') ;;
		input=*) input=$(dirname "$manifest")/${tok#input=} ;;
		*) nums="$nums $tok" ;;
		esac
	done
	set -- $nums
	if [ $# -lt 2 ]; then
		echo "run-guests.sh: bad manifest line for $name" >&2
		failed=$((failed + 1))
		continue
	fi
	eval "tmo=\${$#}"
	tmo=$((tmo * scale))
	while [ $# -gt 1 ]; do
		smp=$1
		shift
		[ "$smp" -ge "$smp_min" ] || continue
		run_one "$name" "$smp" "$tmo" "$qargs" "$input"
		rc=$?
		why=
		if [ $rc != 0 ]; then
			why="exit $rc"
			[ $rc = 124 ] && why="timeout after ${tmo}s"
		elif [ $tsan = 1 ] &&
		     grep -q 'WARNING: ThreadSanitizer' "$logs/$name-smp$smp.err"; then
			why="ThreadSanitizer report"
		fi
		if [ -z "$why" ]; then
			echo "PASS $name smp=$smp"
			passed=$((passed + 1))
		else
			echo "FAIL $name smp=$smp: $why (logs: $logs/$name-smp$smp.*)"
			tail -n 5 "$logs/$name-smp$smp.log" "$logs/$name-smp$smp.err" \
				2>/dev/null | sed 's/^/    /'
			failed=$((failed + 1))
		fi
	done
done <"$manifest"

echo "$passed passed, $failed failed"
[ $failed = 0 ]

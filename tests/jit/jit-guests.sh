#!/bin/sh
# jit-guests.sh: every guest of the manifest with the JIT compiling each
# block on its first entry (RRV_JIT_THRESHOLD=1) against the interpreter
# (--jit off): the same exit status at every hart count (the guests check
# themselves), and on one hart the same console output and the same
# instruction count (rrv run --stats), except for the guests that wait on
# host time (listed below). On more harts races decide the output.
#
# usage: jit-guests.sh RRV GUEST_DIR MANIFEST
set -u
rrv=$1 dir=$2 manifest=$3
tmp=${TMPDIR:-/tmp}/rrv-jit-guests.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
# Guests whose instruction count depends on host timing (they spin on mtime).
timed=" rv64mi timer_irq irq_count idle_wfi ipi_pingpong uart_echo pause_lock "
fail=0 n=0

run() { # name smp mode input
	in=/dev/null
	set -- "$1" "$2" "$3" "$4"
	if [ -n "$4" ]; then
		RRV_JIT_THRESHOLD=1 "$rrv" run --jit "$3" --stats --smp "$2" --timeout 60 \
			--input "$4" "$dir/$1.elf" >"$tmp/$3.out" 2>"$tmp/$3.err" </dev/null
	else
		RRV_JIT_THRESHOLD=1 "$rrv" run --jit "$3" --stats --smp "$2" --timeout 60 \
			"$dir/$1.elf" >"$tmp/$3.out" 2>"$tmp/$3.err" <"$in"
	fi
	echo "exit $?" >>"$tmp/$3.out"
}

insns() { sed -n 's/^rrv: stats: insns=\([0-9]*\) .*/\1/p' "$tmp/$1.err"; }

while read -r name rest; do
	case $name in ''|'#'*) continue ;; esac
	input=
	smps=
	for tok in $rest; do
		case $tok in
		input=*) input=$(dirname "$manifest")/${tok#input=} ;;
		*=*) ;;
		*) smps="$smps $tok" ;;
		esac
	done
	# The last number is the timeout.
	smps=$(echo $smps | awk '{ for (i = 1; i < NF; i++) printf "%s ", $i }')
	for smp in $smps; do
		n=$((n + 1))
		run "$name" "$smp" on "$input"
		run "$name" "$smp" off "$input"
		why=
		if [ "$smp" = 1 ]; then
			cmp -s "$tmp/on.out" "$tmp/off.out" || why="output or exit status differs"
		else
			[ "$(tail -1 "$tmp/on.out")" = "$(tail -1 "$tmp/off.out")" ] ||
				why="exit status differs"
		fi
		if [ -z "$why" ] && [ "$smp" = 1 ] && ! echo "$timed" | grep -q " $name "; then
			[ "$(insns on)" = "$(insns off)" ] ||
				why="insns $(insns on) with the JIT, $(insns off) without"
		fi
		grep -q '^rrv: stats: jit blocks=[1-9]' "$tmp/on.err" || why="${why:-no block compiled}"
		if [ -n "$why" ]; then
			echo "FAIL jit $name smp=$smp: $why"
			sed 's/^/  on:  /' "$tmp/on.out" | tail -5
			sed 's/^/  off: /' "$tmp/off.out" | tail -5
			fail=$((fail + 1))
		else
			echo "PASS jit $name smp=$smp ($(insns on) insns)"
		fi
	done
done <"$manifest"
echo "jit-guests: $((n - fail))/$n passed"
[ $fail = 0 ]

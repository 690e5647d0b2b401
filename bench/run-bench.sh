#!/bin/sh
# run-bench.sh: rrv's guest MIPS on a CPU benchmark and its speed against
# QEMU TCG on the same ELF (one hart), with the JIT tier and with the
# interpreter alone (--jit off), as medians of interleaved runs.
#
# usage: run-bench.sh RRV ELF [RUNS]
set -eu
rrv=$1 elf=$2 runs=${3:-5}
tmp=${TMPDIR:-/tmp}/rrv-bench.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

have_qemu=0
command -v qemu-system-riscv64 >/dev/null 2>&1 && have_qemu=1
: >"$tmp/rrv.t"; : >"$tmp/qemu.t"; : >"$tmp/interp.t"
i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	# Interleaved (rrv, QEMU, rrv, ...) so machine noise hits both alike.
	t0=$(now)
	"$rrv" run --stats "$elf" >"$tmp/rrv.out" 2>"$tmp/rrv.err" ||
		{ echo "bench: rrv run failed:" >&2; cat "$tmp/rrv.err" >&2; exit 1; }
	t1=$(now)
	echo "$t1 - $t0" | bc -l >>"$tmp/rrv.t"
	insns=$(sed -n 's/^rrv: stats: insns=\([0-9]*\) .*/\1/p' "$tmp/rrv.err")
	t0=$(now)
	"$rrv" run --jit off "$elf" >"$tmp/interp.out" 2>"$tmp/interp.err" ||
		{ echo "bench: rrv run --jit off failed:" >&2; cat "$tmp/interp.err" >&2; exit 1; }
	t1=$(now)
	echo "$t1 - $t0" | bc -l >>"$tmp/interp.t"
	cmp -s "$tmp/rrv.out" "$tmp/interp.out" ||
		{ echo "bench: the JIT and the interpreter printed different results" >&2; exit 1; }
	if [ $have_qemu = 1 ]; then
		t0=$(now)
		qemu-system-riscv64 -M virt -bios none -kernel "$elf" -smp 1 \
			-m 256M -display none -monitor none -serial stdio \
			</dev/null >"$tmp/qemu.out" 2>&1 ||
			{ echo "bench: qemu failed" >&2; exit 1; }
		t1=$(now)
		echo "$t1 - $t0" | bc -l >>"$tmp/qemu.t"
		if ! cmp -s "$tmp/rrv.out" "$tmp/qemu.out"; then
			echo "bench: rrv and QEMU printed different results:" >&2
			cat "$tmp/rrv.out" "$tmp/qemu.out" >&2
			exit 1
		fi
	fi
done
rt=$(median <"$tmp/rrv.t")
printf 'cpu-bench: %s (%s instructions, one hart, median of %s runs)\n' \
	"$(basename "$elf")" "$insns" "$runs"
printf '  %s\n' "$(cat "$tmp/rrv.out")"
it=$(median <"$tmp/interp.t")
printf '  rrv   %8.3f s  %8.1f MIPS\n' "$rt" "$(echo "$insns / $rt / 1000000" | bc -l)"
printf '  rrv --jit off  %8.3f s  %8.1f MIPS\n' "$it" "$(echo "$insns / $it / 1000000" | bc -l)"
if [ $have_qemu = 1 ]; then
	qt=$(median <"$tmp/qemu.t")
	printf '  qemu  %8.3f s  %8.1f MIPS (TCG, same ELF, same instruction count)\n' \
		"$qt" "$(echo "$insns / $qt / 1000000" | bc -l)"
	printf '  rrv speed / QEMU speed = %.3f (target >= 1.0); interpreter alone: %.3f\n' \
		"$(echo "$qt / $rt" | bc -l)" "$(echo "$qt / $it" | bc -l)"
else
	echo "  qemu-system-riscv64 not installed: no comparison"
fi

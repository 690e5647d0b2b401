#!/bin/sh
# bench.sh: seconds from start to the Linux test's RRV-LINUX-READY line on
# 4 harts, rrv against QEMU TCG on the same files, as medians of interleaved runs;
# rrv both on OpenSBI and on its built-in SBI (--bios builtin).
#
# usage: bench.sh [--rrv PATH] [--files DIR] [--runs N] [--timeout SECONDS]
#
# DIR holds Image, fw_jump.bin and initrd.cpio.gz (make linux-files). Each
# run boots to the shell, whose only input is poweroff -f; a run that does
# not reach the marker and exit 0 fails the benchmark (a time for a broken
# boot would mean nothing). Logs go to DIR/bench/.
here=$(dirname "$0")
rrv=${RRV:-build/rrv}
files=build/linux
runs=3
tmo=300
smp=4

usage() {
	echo "bench.sh: $1" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage "$1 needs a value"
	case "$1" in
	--rrv) rrv=$2 ;;
	--files) files=$2 ;;
	--runs) runs=$2 ;;
	--timeout) tmo=$2 ;;
	*) usage "unknown option $1" ;;
	esac
	shift 2
done
case "$runs" in ''|*[!0-9]*|0) usage "--runs takes a positive number" ;; esac
case "$tmo" in ''|*[!0-9]*|0) usage "--timeout takes whole seconds" ;; esac
for f in Image fw_jump.bin initrd.cpio.gz; do
	[ -r "$files/$f" ] || usage "$files/$f missing (make linux-files builds it)"
done
[ -x "$rrv" ] || usage "$rrv is not built"
command -v python3 >/dev/null 2>&1 || usage "python3 not found (it drives the console)"
have_qemu=0
command -v qemu-system-riscv64 >/dev/null 2>&1 && have_qemu=1

out=$files/bench
mkdir -p "$out" || exit 2
script=$out/poweroff.in
# Blank lines for the receiver flushes (see boot-test.sh), then poweroff.
printf '\n\n\npoweroff -f\n' >"$script"
append="console=ttyS0 earlycon=sbi"

median() {
	sort -g | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# one EMU I: one boot; appends the marker time to $out/EMU.t.
one() {
	log=$out/$1-$2.log
	bios=$files/fw_jump.bin
	[ "$1" = rrv-builtin ] && bios=builtin
	if [ "$1" != qemu ]; then
		python3 "$here/drive.py" --log "$log" --timeout $((tmo + 30)) \
			--times "$log.times" -- \
			"$rrv" run --smp $smp --memory 512M --bios "$bios" \
			--kernel "$files/Image" --initrd "$files/initrd.cpio.gz" \
			--append "$append" --input "$script" --timeout "$tmo"
	else
		python3 "$here/drive.py" --log "$log" --timeout "$tmo" \
			--times "$log.times" --feed "$script" -- \
			qemu-system-riscv64 -M virt -smp $smp -m 512M -display none \
			-monitor none -serial stdio -bios "$files/fw_jump.bin" \
			-kernel "$files/Image" -initrd "$files/initrd.cpio.gz" \
			-append "$append"
	fi
	rc=$?
	t=$(sed -n 's/^marker //p' "$log.times" 2>/dev/null)
	if [ "$rc" != 0 ] || [ -z "$t" ]; then
		echo "linux-bench: $1 run $2 failed (exit status $rc, marker ${t:-never}); log $log" >&2
		tail -n 5 "$log" | tr -d '\r' | sed 's/^/    | /' >&2
		exit 1
	fi
	echo "$t" >>"$out/$1.t"
}

: >"$out/rrv.t"
: >"$out/rrv-builtin.t"
: >"$out/qemu.t"
i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	# Interleaved (rrv, QEMU, rrv, ...) so machine noise hits both alike.
	one rrv $i
	one rrv-builtin $i
	[ $have_qemu = 0 ] || one qemu $i
done

rt=$(median <"$out/rrv.t")
bt=$(median <"$out/rrv-builtin.t")
echo "linux-bench: Debian $(cat "$files/kernel.version" 2>/dev/null || echo kernel) to RRV-LINUX-READY on $smp harts, median of $runs runs"
printf '  rrv   %7.2f s   (runs: %s)  OpenSBI\n' "$rt" "$(tr '\n' ' ' <"$out/rrv.t")"
printf '  rrv   %7.2f s   (runs: %s)  --bios builtin\n' "$bt" "$(tr '\n' ' ' <"$out/rrv-builtin.t")"
if [ $have_qemu = 1 ]; then
	qt=$(median <"$out/qemu.t")
	printf '  qemu  %7.2f s   (runs: %s)\n' "$qt" "$(tr '\n' ' ' <"$out/qemu.t")"
	printf '  rrv / qemu = %.2f (OpenSBI), %.2f (builtin)\n' "$(echo "$rt / $qt" | bc -l)" \
		"$(echo "$bt / $qt" | bc -l)"
else
	echo "  qemu-system-riscv64 not installed: no comparison"
fi

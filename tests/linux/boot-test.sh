#!/bin/sh
# boot-test.sh: boots Debian's riscv64 kernel to a busybox shell on N harts,
# types a few commands and checks the console log.
#
# usage: boot-test.sh [--emu rrv|qemu] [--rrv PATH] [--files DIR]
#                     [--logs DIR] [--smp N] [--timeout SECONDS]
#                     [--bios FILE|builtin]
#
# DIR (default build/linux) holds Image, fw_jump.bin and initrd.cpio.gz
# (tests/linux/fetch.sh and mkinitramfs.py make them). --emu qemu runs the
# same files on qemu-system-riscv64 -M virt, to check the test itself.
# The log is LOGS/EMU-smpN.log; each check prints one PASS/FAIL line, and
# the last line is "N passed, N failed" (exit status 0 only if none failed).
# --bios (rrv only) replaces DIR/fw_jump.bin: `builtin` boots the kernel on
# rrv's own SBI (log EMU-builtin-smpN.log).
here=$(dirname "$0")
emu=rrv
rrv=${RRV:-build/rrv}
files=build/linux
logs=
smp=1
tmo=300
bios=

usage() {
	echo "boot-test.sh: $1" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage "$1 needs a value"
	case "$1" in
	--emu) emu=$2 ;;
	--rrv) rrv=$2 ;;
	--files) files=$2 ;;
	--logs) logs=$2 ;;
	--smp) smp=$2 ;;
	--timeout) tmo=$2 ;;
	--bios) bios=$2 ;;
	*) usage "unknown option $1" ;;
	esac
	shift 2
done
case "$emu" in rrv|qemu) ;; *) usage "--emu takes rrv or qemu" ;; esac
case "$smp" in ''|*[!0-9]*|0) usage "--smp takes a number of harts" ;; esac
case "$tmo" in ''|*[!0-9]*|0) usage "--timeout takes whole seconds" ;; esac
[ -n "$logs" ] || logs=$files
for f in Image fw_jump.bin initrd.cpio.gz; do
	[ -r "$files/$f" ] || usage "$files/$f missing (make test-linux builds it)"
done
if [ "$emu" = rrv ]; then
	[ -x "$rrv" ] || usage "$rrv is not built"
else
	command -v qemu-system-riscv64 >/dev/null 2>&1 ||
		usage "qemu-system-riscv64 not installed (make deps)"
fi
mkdir -p "$logs" || exit 2
command -v python3 >/dev/null 2>&1 || usage "python3 not found (it drives the console)"

name=$emu-smp$smp
[ "$bios" = builtin ] && name=$emu-builtin-smp$smp
[ -n "$bios" ] || bios=$files/fw_jump.bin
log=$logs/$name.log
script=$logs/$name.in
passed=0
failed=0
pass() {
	echo "PASS $name $1"
	passed=$((passed + 1))
}
shown=
fail() {
	echo "FAIL $name $1: $2"
	if [ -z "$shown" ]; then
		shown=1
		echo "    last lines of $log:"
		tail -n 12 "$log" | tr -d '\r' | sed 's/^/    | /'
	fi
	failed=$((failed + 1))
}

# Three blank lines first: firmware and the kernel's 8250 driver each read
# (and so drop) a waiting byte when they reset the receiver; a blank line
# lost there costs nothing. poweroff -f ends the run through SBI system
# reset, which OpenSBI turns into a sifive_test write: exit status 0.
printf '\n\n\necho hello-rrv\ncat /proc/interrupts\npoweroff -f\n' >"$script"

append="console=ttyS0 earlycon=sbi"
start=$(date +%s.%N)
if [ "$emu" = rrv ]; then
	# rrv queues --input and lets it into the UART only as the guest
	# drains it, so the whole script can be given up front; rrv's own
	# --timeout ends the run first (status 124), the driver's is a backstop.
	python3 "$here/drive.py" --log "$log" --timeout $((tmo + 30)) \
		--times "$logs/$name.times" -- \
		"$rrv" run --smp "$smp" --memory 512M --bios "$bios" \
		--kernel "$files/Image" --initrd "$files/initrd.cpio.gz" \
		--append "$append" --input "$script" --timeout "$tmo"
	rc=$?
else
	python3 "$here/drive.py" --log "$log" --timeout "$tmo" \
		--times "$logs/$name.times" --feed "$script" -- \
		qemu-system-riscv64 -M virt -smp "$smp" -m 512M -display none \
		-monitor none -serial stdio -bios "$files/fw_jump.bin" \
		-kernel "$files/Image" -initrd "$files/initrd.cpio.gz" \
		-append "$append"
	rc=$?
fi
secs=$(printf %.2f "$(echo "$(date +%s.%N) - $start" | bc)")
marker=$(sed -n 's/^marker //p' "$logs/$name.times" 2>/dev/null)
echo "$name: exit status $rc after $secs s, marker at ${marker:-never} s; log $log"

# The log without carriage returns, for line matches.
clean=$logs/$name.txt
tr -d '\r' <"$log" >"$clean"

if grep -qx 'RRV-LINUX-READY' "$clean"; then
	pass "reaches /init (RRV-LINUX-READY)"
else
	fail "reaches /init" "no RRV-LINUX-READY line"
fi

want_online=0
[ "$smp" = 1 ] || want_online=0-$((smp - 1))
cpus=$(grep '^RRV-CPUS ' "$clean" | head -n 1)
if [ "$cpus" = "RRV-CPUS online=$want_online processors=$smp" ]; then
	pass "sees $smp CPU(s) online"
else
	fail "sees $smp CPU(s) online" "got '${cpus:-no RRV-CPUS line}', want online=$want_online processors=$smp"
fi

if grep -qx 'hello-rrv' "$clean"; then
	pass "shell answers echo"
else
	fail "shell answers echo" "no 'hello-rrv' line"
fi

# The UART's line in /proc/interrupts, e.g.
#  12:   119   0   0   0  SiFive PLIC  10 Edge  ttyS0
# : the per-CPU counts are summed; the source must be PLIC input 10.
uart=$(grep -E '^ *[0-9]+:.*PLIC +10 .*ttyS0$' "$clean" | head -n 1)
count=$(echo "$uart" | awk '{ s = 0; for (i = 2; $i ~ /^[0-9]+$/; i++) s += $i; print s }')
if [ -z "$uart" ]; then
	fail "UART interrupt in /proc/interrupts" "no line for ttyS0 on PLIC input 10"
elif [ "$count" -gt 0 ]; then
	pass "UART interrupt in /proc/interrupts ($count)"
else
	fail "UART interrupt in /proc/interrupts" "count is 0: '$uart'"
fi

if grep -q 'reboot: Power down' "$clean"; then
	pass "poweroff -f reaches the kernel"
else
	fail "poweroff -f reaches the kernel" "no 'reboot: Power down' line"
fi
if [ "$rc" = 0 ]; then
	pass "exit status 0"
else
	fail "exit status 0" "exit status $rc$([ "$rc" = 124 ] && echo ' (timeout)')"
fi

bad=$(grep -n -E 'Oops|self-detected stall|rcu: INFO|nobody cared|Kernel panic|BUG:|Unable to handle kernel' "$clean" | head -n 5)
if [ -z "$bad" ]; then
	pass "no oops, panic, BUG, RCU stall or spurious IRQ report"
else
	fail "no oops, panic, BUG, RCU stall or spurious IRQ report" \
		"$(echo "$bad" | head -n 1)"
	echo "$bad" | sed 's/^/    ! /'
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

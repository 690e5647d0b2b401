#!/bin/sh
# irqs-linux.sh: Debian's Linux on 4 harts with an interrupt storm injected
# (--inject uart-stuck-irq, --inject spurious-irq:10): the console shows
# Linux's "nobody cared" and "Disabling IRQ #", the recording replays
# identically, and `rrv irqs` names source 10, the hart, time and kernel
# function that disabled it, the unhandled count and what the console's
# interrupt traffic became. Without injection a console flood never makes
# Linux call the UART's interrupt spurious.
# usage: irqs-linux.sh RRV LINUX_DIR OUT_DIR
set -u
rrv=$1 dir=$2 out=$3
mkdir -p "$out"
pass=0 fail=0 start=$(date +%s)
ok() { pass=$((pass + 1)); echo "PASS $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
boot() {
	name=$1
	shift
	"$rrv" record -o "$out/$name.rrv" --smp 4 --memory 512M --bios "$dir/fw_jump.bin" \
		--kernel "$dir/Image" --initrd "$dir/initrd.cpio.gz" \
		--append "console=ttyS0 earlycon=sbi" --timeout 150 "$@" \
		>"$out/$name.out" 2>"$out/$name.err" </dev/null
}
# Record a storm until Linux judges it, at most 3 times: Linux forgets
# the unhandled count after any 100 ms of guest time without one, and guest
# time is the host's clock, so a host that deschedules the hart taking the
# interrupts for that long (a loaded 2-core machine) resets the count; a
# quiet host judges the first storm.
record_storm() {
	name=$1
	shift
	for attempt in 1 2 3; do
		boot "$name" "$@"
		grep -q "nobody cared" "$out/$name.out" && break
		# Kept, with what the storm met: the longest gap between claims.
		for f in rrv out err; do mv "$out/$name.$f" "$out/$name.try$attempt.$f"; done
		gap=$("$rrv" irqs "$out/$name.try$attempt.rrv" 2>&1 | grep -m1 'longest time without a claim' | sed 's/^ *//')
		echo "note: $name: attempt $attempt ended without 'nobody cared' (load $(cut -d' ' -f1-3 /proc/loadavg); $gap)"
	done
}
storm() {
	name=$1
	tr -d '\r' <"$out/$name.out" >"$out/$name.txt"
	if grep -q "irq 12: nobody cared" "$out/$name.txt" && grep -q "Disabling IRQ #12" "$out/$name.txt"; then
		ok "$name: console shows 'nobody cared' and 'Disabling IRQ #12'"
	else
		bad "$name: no 'nobody cared' / 'Disabling IRQ #12' on the console"
		return
	fi
	"$rrv" replay --quiet "$out/$name.rrv" >/dev/null 2>"$out/$name.replay"
	if grep -q "replay identical" "$out/$name.replay"; then
		ok "$name: $(sed 's/^rrv: //' "$out/$name.replay" | cut -c1-100)"
	else
		bad "$name: replay: $(head -c 300 "$out/$name.replay")"
	fi
	"$rrv" irqs "$out/$name.rrv" >"$out/$name.irqs" 2>&1
	# What the console's interrupt traffic became: nothing, or Linux
	# polling the disabled line every 100 ms (spurious.c's poll_spurious_irqs).
	v=$(grep -E '^verdict: source 10 \(uart0\) disabled on context [0-9]+ by hart [0-9]+ at t=[0-9]+ in [a-z_0-9]+ after [0-9]+ of 100000 interrupts unhandled; no claim of source 10 afterwards: (the console stops receiving|the UART is served only in [0-9]+ bursts .* Linux.s 100 ms poll of a disabled line)$' "$out/$name.irqs")
	if [ -n "$v" ]; then
		ok "$name: $v"
	else
		bad "$name: rrv irqs gives no verdict: $(grep -v priority "$out/$name.irqs" | head -5)"
	fi
	# The disabling write's call chain goes back to the detector.
	c=$(grep -A1 '^verdict: source 10' "$out/$name.irqs" | grep '^  called from: .*plic_irq_disable.* <- note_interrupt <- ')
	if [ -n "$c" ]; then
		ok "$name:$c"
	else
		bad "$name: no call chain back to note_interrupt under the verdict"
	fi
}

# The verdict's position, taken by rrv debug: the hart that disabled the
# line stands at the disabling write.
at_verdict() {
	name=$1
	pos=$(grep -A2 '^verdict: source 10' "$out/$name.irqs" | sed -n 's/^ *\[goto \([0-9,]*\)\]$/\1/p')
	hart=$(sed -n 's/^verdict: source 10 .* by hart \([0-9]*\) .*/\1/p' "$out/$name.irqs")
	"$rrv" debug "$out/$name.rrv" -ex "goto $pos" -ex "hart $hart" -ex bt -ex quit \
		>"$out/$name.goto" 2>&1
	if [ -n "$pos" ] && grep -q "^#0 .* in plic_toggle" "$out/$name.goto" &&
		grep -q "^#2 .* in plic_irq_disable" "$out/$name.goto"; then
		ok "$name: goto $pos stops hart $hart in plic_toggle, called by plic_irq_disable"
	else
		bad "$name: goto '$pos': $(grep '^#' "$out/$name.goto" | head -3 | tr '\n' ' ')"
	fi
}

printf '\n\n\necho hello-rrv\nsleep 4\necho after-storm\npoweroff -f\n' >"$out/storm.in"
record_storm stuck --inject uart-stuck-irq --input "$out/storm.in"
storm stuck

# spurious-irq: hart 0 raises the line as guest time owes it, as fast as
# Linux takes it (~15-20k/s here). Linux's 100,000-interrupt windows count
# from the line's enabling, during init, where a loaded host leaves hart 0
# >100 ms gaps that reset the count; the shell's sleep is quiet, and two
# windows of it (~200,000 interrupts) hold a whole one. The crash watcher
# ends the run ~2 s after "nobody cared", so the sleep costs only when the
# storm fails.
printf '\n\n\necho hello-rrv\nsleep 40\necho after-storm\npoweroff -f\n' >"$out/spurious.in"
record_storm spurious --inject spurious-irq:10 --input "$out/spurious.in"
storm spurious
at_verdict spurious

# A console flood with no injection: 64 KiB typed in (and echoed back by
# the tty) while a background loop prints. A background job's stdin is
# /dev/null, so the foreground head is the one consuming the input.
python3 - "$out/flood.in" <<'PY'
import sys
lines = ["", "", "",
         "(i=0; while [ $i -lt 2000 ]; do echo line-$i-of-output-from-the-guest; i=$((i+1)); done; echo printer-done) & head -c 65880 >/dev/null; wait; echo flood-done"]
lines += ["x" * 60 for _ in range(1080)]
lines += ["echo flood-exit", "poweroff -f", ""]
open(sys.argv[1], "w").write("\n".join(lines))
PY
boot flood --input "$out/flood.in"
tr -d '\r' <"$out/flood.out" >"$out/flood.txt"
if grep -q "^flood-done" "$out/flood.txt" && grep -q "^printer-done" "$out/flood.txt" &&
	! grep -q "nobody cared" "$out/flood.txt"; then
	ok "flood: no 'nobody cared' ($(grep -c '^x\{60\}$' "$out/flood.txt") input lines echoed, $(grep -c '^line-' "$out/flood.txt") printed)"
else
	bad "flood: $(grep -m1 'nobody cared' "$out/flood.txt" || echo 'no flood-done')"
fi
echo "$pass passed, $fail failed ($(($(date +%s) - start)) s)"
[ "$fail" -eq 0 ]

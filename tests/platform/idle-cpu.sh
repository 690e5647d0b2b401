#!/bin/sh
# idle-cpu.sh: 4 harts idling in WFI (the idle_wfi guest) for 5 s must cost the emulator under 5% of one host core.
#
# usage: idle-cpu.sh [--emu rrv|qemu] [--rrv PATH] [--guests ELFDIR] [--logs DIR]
. "$(dirname "$0")/lib.sh"
plat_args "$@"

secs=5
# 5% of one core over the run, in hundredths of a second.
limit=$((secs * 5))
limit_figure=$(printf '%d.%02d' $((limit / 100)) $((limit % 100)))
elf=$plat_guests/idle_wfi.elf
log=$plat_logs/idle-cpu.log
if [ ! -r "$elf" ]; then
	plat_fail "idle-cpu" "$elf missing (make guests)"
	plat_summary
	exit
fi

# The subshell's only child is the emulator, so the second line of its
# `times` (children's user and system time) is the emulator's CPU time.
# A forked subshell starts with zeroed times (POSIX fork()).
cpu=$( (
	if [ "$plat_emu" = rrv ]; then
		"$plat_rrv" run --smp 4 --timeout "$secs" "$elf" \
			</dev/null >"$log" 2>&1
	else
		timeout "$secs" qemu-system-riscv64 -M virt -bios none \
			-nographic -monitor none -serial stdio -smp 4 \
			-kernel "$elf" </dev/null >"$log" 2>&1
	fi
	echo "status $?"
	times
) | awk '
	/^status / { status = $2; next }
	/^[0-9]+m[0-9.]+s [0-9]+m[0-9.]+s$/ { line++; if (line == 2) kids = $0 }
	function secs(t,   m) {
		m = t; sub(/m.*/, "", m); sub(/^[0-9]+m/, "", t); sub(/s$/, "", t)
		return m * 60 + t
	}
	END {
		split(kids, f, " ")
		printf "%s %d\n", status, (secs(f[1]) + secs(f[2])) * 100 + 0.5
	}')
status=${cpu% *}
hundredths=${cpu#* }
figure=$(printf '%d.%02d' $((hundredths / 100)) $((hundredths % 100)))
echo "idle-cpu: $plat_emu used ${figure} s of CPU over ${secs} s with 4 idle harts" \
	"($((hundredths / secs))% of one core)"

# Only a timeout is the expected end: the guest never exits on its own.
if [ "$status" = 124 ]; then
	plat_pass "idle-cpu guest ran until the timeout"
else
	plat_fail "idle-cpu guest ran until the timeout" "exit status $status, want 124" "$log"
fi
plat_grep "idle-cpu all harts idle" '^idle_wfi: all harts idle' "$log"
if [ "$hundredths" -lt "$limit" ]; then
	plat_pass "idle-cpu CPU ${figure} s < ${limit_figure} s"
else
	plat_fail "idle-cpu CPU ${figure} s < ${limit_figure} s" "too busy while idle" "$log"
fi
plat_summary

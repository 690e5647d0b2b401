#!/bin/sh
# linux-snap.sh: boot skipping with snapshots on Debian's Linux, 4 harts.
#
# usage: linux-snap.sh RRV LINUX_DIR OUT_DIR
#  1. `rrv run` boots to the shell prompt and saves a snapshot there
#     (--snapshot-on 'output:rrv# ', --stop-after-snapshot);
#  2. `rrv run --restore` continues it with a scripted command and poweroff:
#     the command's output appears, exit 0, no kernel complaint (RCU stall,
#     "nobody cared", clocksource or watchdog warnings, Oops, BUG);
#  3. the same snapshot restored into `rrv record`, and that trace replayed
#     in parallel and serialized: identical, same output.
set -u
rrv=$1 dir=$2 out=$3
mkdir -p "$out"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
complaints='rcu.*stall|nobody cared|Disabling IRQ|clocksource|watchdog|soft lockup|Oops|BUG:|WARNING:|Kernel panic'
: >"$out/empty.in"
printf 'echo snap-$((6 * 7))\ncat /proc/uptime\npoweroff -f\n' >"$out/cmds.in"

"$rrv" run --smp 4 --memory 512M --bios "$dir/fw_jump.bin" --kernel "$dir/Image" \
	--initrd "$dir/initrd.cpio.gz" --append "console=ttyS0 earlycon=sbi" \
	--input "$out/empty.in" --save-snapshot "$out/prompt.rrs" \
	--snapshot-on 'output:rrv# ' --stop-after-snapshot --timeout 300 \
	>"$out/boot.out" 2>"$out/boot.err" </dev/null
st=$?
if [ $st -ne 0 ] || [ ! -s "$out/prompt.rrs" ] || ! grep -q "rrv# " "$out/boot.out"; then
	bad "boot to the prompt and save: exit $st: $(tail -c 300 "$out/boot.err")"
	echo "$pass passed, $fail failed"
	exit 1
fi
ok "boot to the prompt, snapshot saved: $(stat -c %s "$out/prompt.rrs") bytes"

check_session() {
	tag=$1 st=$2 file=$3
	if [ "$st" -ne 0 ]; then
		bad "$tag: exit $st: $(tail -3 "$file")"
	elif ! grep -q "^snap-42" "$file" || ! grep -q "Power down" "$file"; then
		bad "$tag: no command output or poweroff: $(tail -3 "$file")"
	elif grep -Eq "$complaints" "$file"; then
		bad "$tag: kernel complaint: $(grep -E "$complaints" "$file" | head -2)"
	else
		ok "$tag: command output, poweroff, no kernel complaint"
	fi
}

"$rrv" run --restore "$out/prompt.rrs" --input "$out/cmds.in" --timeout 120 \
	>"$out/restore.out" 2>"$out/restore.err" </dev/null
check_session "run --restore" $? "$out/restore.out"

"$rrv" record -o "$out/from-prompt.rrv" --restore "$out/prompt.rrs" --input "$out/cmds.in" \
	--timeout 120 >"$out/record.out" 2>"$out/record.err" </dev/null
check_session "record --restore" $? "$out/record.out"
for mode in parallel serial; do
	flag=
	[ $mode = serial ] && flag=--serial
	# shellcheck disable=SC2086
	"$rrv" replay $flag "$out/from-prompt.rrv" >"$out/replay-$mode.out" \
		2>"$out/replay-$mode.err" </dev/null
	st=$?
	if [ $st -eq 0 ] && grep -q "replay identical" "$out/replay-$mode.err" &&
	   cmp -s "$out/record.out" "$out/replay-$mode.out"; then
		ok "trace recorded from the snapshot replays identically ($mode)"
	else
		bad "replay ($mode) of the trace recorded from the snapshot: exit $st: $(head -c 300 "$out/replay-$mode.err")"
	fi
done
# Snapshots taken while replaying that trace (Sv39, S-mode, stale TLB
# entries and all) continue it identically.
if [ -s "$out/from-prompt.rrv" ]; then
	for at in 0:100000000 1:300000000 2:200000000 3:420000000; do
		"$rrv" replay --quiet --save-snapshot "$out/replay.rrs" --snapshot-on "icount:$at" \
			--stop-after-snapshot "$out/from-prompt.rrv" >/dev/null 2>"$out/rs.err" </dev/null
		st1=$?
		"$rrv" replay --quiet --restore "$out/replay.rrs" "$out/from-prompt.rrv" \
			>/dev/null 2>"$out/rr.err" </dev/null
		st2=$?
		if [ $st1 -eq 0 ] && [ $st2 -eq 0 ] && grep -q "replay identical" "$out/rr.err"; then
			ok "replay snapshot at icount $at restored: identical to the end"
		else
			bad "replay snapshot at icount $at: exits $st1 $st2: $(head -c 300 "$out/rr.err")"
		fi
	done
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# run-sbi.sh: the SBI guest on rrv's built-in SBI (1, 2, 4 harts), recorded and replayed in parallel and serialized; and on OpenSBI under rrv.
# usage: run-sbi.sh RRV GUEST_ELF OUT_DIR [FW_JUMP_BIN]
# The guest ends with SRST shutdown, vendor reason 0xF0000000 + 42: rrv's
# built-in SBI exits with 42; OpenSBI just powers off (exit 0).
set -u
rrv=$1 elf=$2 out=$3 fw=${4:-}
mkdir -p "$out"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# check NAME STATUS WANT LOG: the guest passed and the run ended with WANT.
check() {
	if [ "$2" -eq "$3" ] && grep -q '^PASS sbi guest' "$4"; then
		ok "$1: $(grep -c '^ok ' "$4") groups of checks, exit $2"
	else
		bad "$1: exit $2 (want $3): $(grep -m1 -e '^FAIL' -e 'rrv:' "$4" "$4.err" 2>/dev/null | head -c 300)"
	fi
}

for n in 1 2 4; do
	log=$out/builtin-smp$n.log
	"$rrv" run --smp "$n" --bios builtin --timeout 60 "$elf" \
		>"$log" 2>"$log.err" </dev/null
	check "sbi builtin smp=$n" $? 42 "$log"

	tr=$out/builtin-smp$n.rrv
	"$rrv" record -o "$tr" --smp "$n" --bios builtin --timeout 60 "$elf" \
		>"$out/rec-smp$n.log" 2>"$out/rec-smp$n.log.err" </dev/null
	st=$?
	check "sbi builtin smp=$n record" $st 42 "$out/rec-smp$n.log"
	for mode in parallel serial; do
		flag=
		[ $mode = serial ] && flag=--serial
		"$rrv" replay $flag "$tr" >"$out/rpl-$mode-smp$n.log" \
			2>"$out/rpl-$mode-smp$n.err" </dev/null
		rst=$?
		if [ $rst -eq $st ] && cmp -s "$out/rec-smp$n.log" "$out/rpl-$mode-smp$n.log" &&
		    grep -q "replay identical" "$out/rpl-$mode-smp$n.err"; then
			ok "sbi builtin smp=$n replay $mode: $(tail -n 1 "$out/rpl-$mode-smp$n.err" | sed 's/^rrv: //')"
		else
			bad "sbi builtin smp=$n replay $mode: exit $rst: $(head -c 400 "$out/rpl-$mode-smp$n.err")"
		fi
	done
done

# A snapshot of a builtin-SBI machine restores as one (the SNAP_SBI section).
"$rrv" run --smp 2 --bios builtin --save-snapshot "$out/sbi.snap" \
	--snapshot-on "output:ok time" --stop-after-snapshot "$elf" \
	>"$out/snap-save.log" 2>&1 </dev/null
sst=$?
"$rrv" run --restore "$out/sbi.snap" --timeout 60 >"$out/snap-restore.log" \
	2>"$out/snap-restore.log.err" </dev/null
rst=$?
if [ $sst -eq 0 ]; then
	check "sbi builtin snapshot restored" $rst 42 "$out/snap-restore.log"
else
	bad "sbi builtin snapshot: save exit $sst"
fi

# The same guest on real firmware checks the guest itself.
if [ -n "$fw" ] && [ -r "$fw" ]; then
	for n in 1 4; do
		log=$out/opensbi-smp$n.log
		"$rrv" run --smp "$n" --bios "$fw" --kernel "$elf" --timeout 20 \
			>"$log" 2>"$log.err" </dev/null
		st=$?
		# Bookworm's OpenSBI 1.1 does not power off on this SRST.
		[ $st = 124 ] && grep -q 'OpenSBI v1\.[01]' "$log" && st=0
		check "sbi guest on OpenSBI smp=$n" $st 0 "$log"
	done
else
	echo "SKIP sbi guest on OpenSBI: no ${fw:-fw_jump.bin}"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

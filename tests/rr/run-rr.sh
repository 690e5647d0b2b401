#!/bin/sh
# run-rr.sh: record and replay tests through the trace file (make rr-test).
#
# usage: run-rr.sh RRV GUEST_DIR TAMPER_TOOL OUT_DIR
#  1. every SMP guest with 2 and 4 harts: record once, replay 3 times in
#     parallel and once serialized; same output and exit status each time;
#  2. the racy counter: several 4-hart recordings, lost updates in at least
#     one and a different value in at least two, each replayed exactly;
#  3. tampering: a dropped ACQUIRE, a changed TIME value, a changed INPUT
#     byte, a changed TRAP marker and a truncated file are each reported
#     (exit 120 or 121, with the place), never accepted.
set -u
rrv=$1 gdir=$2 tamper=$3 out=$4
mkdir -p "$out"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# record NAME SMP [extra args]: sets rec_status; output in $out/NAME.out
record() {
	name=$1 smp=$2
	shift 2
	"$rrv" record -o "$out/$name.rrv" --smp "$smp" --timeout 120 "$@" \
		>"$out/$name.out" 2>"$out/$name.err" </dev/null
	rec_status=$?
}

# replay NAME TAG [--serial]: compare with the recording
replay() {
	name=$1 tag=$2
	shift 2
	"$rrv" replay "$@" "$out/$name.rrv" >"$out/$name.$tag.out" 2>"$out/$name.$tag.err" </dev/null
	st=$?
	if [ $st -ne "$rec_status" ]; then
		bad "$name $tag: exit $st, recording exited $rec_status: $(head -c 300 "$out/$name.$tag.err")"
	elif ! cmp -s "$out/$name.out" "$out/$name.$tag.out"; then
		bad "$name $tag: output differs from the recording"
	elif ! grep -q "replay identical" "$out/$name.$tag.err"; then
		bad "$name $tag: no verdict"
	else
		ok "$name $tag"
	fi
}

for spec in amo_counter lrsc_lock pause_lock ipi_pingpong smc_crosshart uart_echo timer_irq smode_sv39 trap_storm rv64mi_trigger; do
	for smp in 2 4; do
		name=$spec-smp$smp
		extra=
		[ "$spec" = uart_echo ] && extra="--input $(dirname "$0")/../guests/uart_echo.in"
		# shellcheck disable=SC2086
		record "$name" "$smp" $extra "$gdir/$spec.elf"
		if [ "$rec_status" -ne 0 ]; then
			bad "$name record: exit $rec_status: $(head -c 300 "$out/$name.err")"
			continue
		fi
		for k in 1 2 3; do
			replay "$name" "parallel$k"
		done
		replay "$name" serial --serial
	done
done

# PAUSE (Zihintpause) is a spin's hint: a recording leaves exec_run after
# each and may sleep there. Every hart of pause_lock runs a delay loop
# with PAUSE, so each counts some; and the ticket lock, whose waiters
# spin with PAUSE, replays exactly (above) with its total intact.
record pause_lock-stats 4 --stats "$gdir/pause_lock.elf"
pauses=$(sed -n 's/^rrv: stats: hart [0-9]* .* pauses=\([0-9]*\) .*/\1/p' "$out/pause_lock-stats.err")
if [ "$rec_status" -eq 0 ] && [ "$(echo "$pauses" | grep -c '^[1-9]')" -eq 4 ] &&
   grep -q 'pause_lock: 4 harts ok' "$out/pause_lock-stats.out"; then
	ok "pause_lock-smp4: every hart's PAUSEs end its runs ($(echo $pauses))"
else
	bad "pause_lock-smp4 --stats: exit $rec_status, PAUSEs per hart: $(echo $pauses)"
fi

# Every hart programs its own timer: format 1.2 gives each mtimecmp its own
# ownership domain, so each hart acquires its own once, from nobody, and
# its timer writes never touch the I/O domain.
if [ -s "$out/timer_irq-smp4.rrv" ]; then
	acq=$("$rrv" events "$out/timer_irq-smp4.rrv" --kind ACQUIRE)
	own=$(echo "$acq" | grep -c '^hart \([0-9]*\) .* mtimecmp \1 W$')
	other=$(echo "$acq" | grep 'mtimecmp' | grep -vc '^hart \([0-9]*\) .* mtimecmp \1 W$')
	if [ "$own" -eq 4 ] && [ "$other" -eq 0 ]; then
		ok "timer_irq-smp4: each hart acquires its own mtimecmp once, from nobody"
	else
		bad "timer_irq-smp4: $own own mtimecmp ACQUIREs without dependencies (want 4), $other others: $(echo "$acq" | grep mtimecmp | head -n 6)"
	fi
fi

# Debian's M-mode U-Boot on 4 harts, driven by a script.
uboot=/usr/lib/u-boot/qemu-riscv64/u-boot.bin
if [ -r "$uboot" ]; then
	printf '\nversion\ncpu list\npoweroff\n' >"$out/uboot.in"
	record uboot-smp4 4 --bios "$uboot" --input "$out/uboot.in"
	if [ "$rec_status" -ne 0 ] || ! grep -q "cpu@3" "$out/uboot-smp4.out"; then
		bad "uboot-smp4 record: exit $rec_status: $(tail -c 300 "$out/uboot-smp4.out")"
	else
		replay uboot-smp4 parallel
		replay uboot-smp4 serial --serial
	fi
else
	bad "U-Boot not installed ($uboot; package u-boot-qemu)"
fi

# The racy counter: recording must not make plain read-modify-write atomic.
# Whether a recording loses updates depends on the harts overlapping on
# the host (on a loaded 2-core host most runs do not): at least 5
# recordings, and up to 15 until one has lost updates and two differ.
values=
lost=0
for k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
	if [ "$k" -gt 5 ] && [ "$lost" = 1 ] &&
	   [ "$(echo $values | tr ' ' '\n' | sort -u | wc -l)" -gt 1 ]; then
		break
	fi
	name=racy$k
	record "$name" 4 "$gdir/racy_counter.elf"
	v=$(sed -n 's/^racy_counter: \([0-9]*\) of \([0-9]*\)$/\1 \2/p' "$out/$name.out")
	set -- $v
	if [ $# -ne 2 ]; then
		bad "$name: no result line"
		continue
	fi
	[ "$1" -lt "$2" ] && lost=1
	values="$values $1"
	replay "$name" parallel
	replay "$name" serial --serial
done
distinct=$(echo $values | tr ' ' '\n' | sort -u | wc -l)
echo "racy_counter final values over $(echo $values | wc -w) recordings:$values"
if [ "$lost" = 1 ]; then ok "racy_counter shows lost updates"; else bad "racy_counter never lost an update"; fi
if [ "$distinct" -gt 1 ]; then ok "racy_counter values differ between recordings"; else bad "racy_counter gave one value every time"; fi

# Tampering.
expect_report() {
	what=$1 file=$2 codes=$3 pattern=$4
	"$rrv" replay --quiet "$file" >/dev/null 2>"$file.err" </dev/null
	st=$?
	case " $codes " in
	*" $st "*)
		if grep -q "$pattern" "$file.err"; then
			ok "$what reported (exit $st): $(head -n 1 "$file.err" | cut -c1-160)"
		else
			bad "$what: exit $st but the report lacks '$pattern': $(head -c 300 "$file.err")"
		fi ;;
	*) bad "$what: exit $st (wanted one of $codes): $(head -c 300 "$file.err")" ;;
	esac
}
"$tamper" "$out/amo_counter-smp4.rrv" "$out/t-acquire.rrv" drop-acquire >/dev/null &&
	expect_report "dropped ACQUIRE" "$out/t-acquire.rrv" "120" "divergence on hart [0-9]* at icount"
"$tamper" "$out/timer_irq-smp2.rrv" "$out/t-time.rrv" time >/dev/null &&
	expect_report "changed TIME" "$out/t-time.rrv" "120" "divergence"
"$tamper" "$out/timer_irq-smp2.rrv" "$out/t-timecmp.rrv" timecmp >/dev/null &&
	expect_report "another hart's mtimecmp domain" "$out/t-timecmp.rrv" "120" "access to page mtimecmp [0-9]* but the log acquires page mtimecmp"
"$tamper" "$out/uart_echo-smp2.rrv" "$out/t-input.rrv" input >/dev/null &&
	expect_report "changed INPUT byte" "$out/t-input.rrv" "120" "divergence"
# Safe points right after an exception are marked (TRAP): trap_storm has
# them, and one more exception in a marker must not go unnoticed.
# How many safe points land right after an exception depends on how the
# host schedules the harts' threads (from 0 to hundreds on a loaded host):
# a recording without one is made again, at most twice, and replayed too.
ntrap=$("$rrv" events "$out/trap_storm-smp4.rrv" --kind TRAP | wc -l)
tries=1
while [ "$ntrap" -eq 0 ] && [ $tries -lt 3 ]; do
	tries=$((tries + 1))
	echo "note: trap_storm-smp4 has no TRAP marker; recording it again (attempt $tries)"
	record trap_storm-smp4 4 "$gdir/trap_storm.elf"
	[ "$rec_status" -eq 0 ] && replay trap_storm-smp4 "again$tries"
	ntrap=$("$rrv" events "$out/trap_storm-smp4.rrv" --kind TRAP | wc -l)
done
if [ "$ntrap" -gt 0 ]; then ok "trap_storm-smp4 has $ntrap TRAP markers"; else bad "trap_storm-smp4: no TRAP marker in $tries recordings"; fi
"$tamper" "$out/trap_storm-smp4.rrv" "$out/t-trap.rrv" trap >/dev/null &&
	expect_report "changed TRAP marker" "$out/t-trap.rrv" "120" "divergence on hart [0-9]* at icount"
size=$(stat -c %s "$out/amo_counter-smp4.rrv")
head -c $((size * 2 / 3)) "$out/amo_counter-smp4.rrv" >"$out/t-cut.rrv"
expect_report "truncated trace" "$out/t-cut.rrv" "121" "cut short at offset"
head -c $((size - 1)) "$out/amo_counter-smp4.rrv" >"$out/t-cut1.rrv"
expect_report "trace missing its last byte" "$out/t-cut1.rrv" "121" "cut short at offset"
cp "$out/amo_counter-smp4.rrv" "$out/t-flip.rrv"
python3 -c 'import sys; p, o = sys.argv[1], int(sys.argv[2]); f = open(p, "r+b"); f.seek(o); b = f.read(1)[0]; f.seek(o); f.write(bytes([b ^ 1]))' \
	"$out/t-flip.rrv" $((size / 2))
# The byte may land in a chunk header (bad magic, bad chunk header, bad checksum
# (header)) or its body (bad checksum), depending on the recording's
# layout: any is a report.
expect_report "flipped byte" "$out/t-flip.rrv" "1" "bad [a-z ()]* in chunk [0-9]* at offset"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

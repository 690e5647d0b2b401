#!/bin/sh
# snap-test.sh: snapshots are complete (make snap-test).
#
# usage: snap-test.sh RRV GUEST_DIR OUT_DIR
#  1. completeness: every SMP guest at 2 and 4 harts is recorded once; then
#     at ten points spread over the run (each hart in turn, at fractions of
#     its instruction count) a replay saves a snapshot and stops, and
#     `rrv replay --restore` continues from it to the end, in parallel and
#     serialized: each must be identical to the full replay (digests, output
#     hash, exit status), and the output before the snapshot plus the output
#     after it must be the full replay's output. Snapshots with harts in WFI
#     and with an LR reservation held must occur.
#  2. run: a snapshot taken by `rrv run` on console output and restored
#     finishes the guest with the right output and exit status; a guest
#     request through the control device takes one too.
#  3. record --restore: recording from a snapshot; the trace replays alone.
#  4. bad input: cut, bit-flipped, newer-version and non-snapshot files,
#     a snapshot of another trace, contradicting options: one-line errors
#     with exit 1 or 2, never a crash (status >= 128).
set -u
rrv=$1 gdir=$2 out=$3
mkdir -p "$out"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
wfi_seen=0 resv_seen=0

# Instructions hart H retired in TRACE (from `rrv info`).
hart_insns() {
	"$rrv" info "$1" | sed -n "s/^hart $2: \([0-9]*\) instructions.*/\1/p"
}

# check_restore NAME SNAP TAG: replay --restore identical, outputs join up.
check_restore() {
	name=$1 snap=$2 tag=$3
	shift 3
	"$rrv" replay "$@" --restore "$snap" "$out/$name.rrv" >"$out/$name.$tag.after" \
		2>"$out/$name.$tag.err" </dev/null
	st=$?
	if [ $st -ne "$rec_status" ] || ! grep -q "replay identical" "$out/$name.$tag.err"; then
		bad "$name $tag: restored replay exit $st: $(head -c 400 "$out/$name.$tag.err")"
		return
	fi
	cat "$out/$name.$tag.before" "$out/$name.$tag.after" >"$out/$name.$tag.joined"
	if ! cmp -s "$out/$name.$tag.joined" "$out/$name.full.out"; then
		bad "$name $tag: output before + after the snapshot differs from the full replay"
		return
	fi
	ok "$name $tag$*"
}

for spec in amo_counter lrsc_lock ipi_pingpong uart_echo timer_irq trap_storm smode_sv39 racy_counter rv64mi_trigger; do
	for smp in 2 4; do
		name=$spec-smp$smp
		extra=
		[ "$spec" = uart_echo ] && extra="--input $(dirname "$0")/../guests/uart_echo.in"
		# shellcheck disable=SC2086
		"$rrv" record -o "$out/$name.rrv" --smp "$smp" --timeout 120 $extra \
			"$gdir/$spec.elf" >"$out/$name.rec.out" 2>"$out/$name.rec.err" </dev/null
		rec_status=$?
		"$rrv" replay "$out/$name.rrv" >"$out/$name.full.out" 2>/dev/null </dev/null
		if [ $? -ne "$rec_status" ]; then
			bad "$name: full replay does not match the recording"
			continue
		fi
		k=1
		while [ $k -le 10 ]; do
			h=$((k % smp))
			n=$(hart_insns "$out/$name.rrv" $h)
			# A hart that never ran (parked by the guest) cannot
			# trigger: use hart 0 then.
			if [ "$n" -lt 11 ]; then
				h=0
				n=$(hart_insns "$out/$name.rrv" 0)
			fi
			at=$((n * k / 11 + 1))
			tag=snap$k
			snap=$out/$name.$tag.rrs
			rm -f "$snap"
			"$rrv" replay --save-snapshot "$snap" --snapshot-on "icount:$h:$at" \
				--stop-after-snapshot "$out/$name.rrv" >"$out/$name.$tag.before" \
				2>"$out/$name.$tag.save.err" </dev/null
			st=$?
			if [ $st -ne 0 ] || [ ! -s "$snap" ]; then
				bad "$name $tag: saving at icount $h:$at: exit $st: $(head -c 300 "$out/$name.$tag.save.err")"
				k=$((k + 1))
				continue
			fi
			"$rrv" info "$snap" >"$out/$name.$tag.info" 2>&1
			grep -q "in WFI" "$out/$name.$tag.info" && wfi_seen=$((wfi_seen + 1))
			grep -q "LR reservation held" "$out/$name.$tag.info" && resv_seen=$((resv_seen + 1))
			if [ $((k % 2)) -eq 0 ]; then
				check_restore "$name" "$snap" "$tag" --serial
			else
				check_restore "$name" "$snap" "$tag"
			fi
			k=$((k + 1))
		done
	done
done
# Snapshots right after an LR (from the trace's ATOMIC events): the
# reservation is held, and the replay restored from there stays identical.
# On 2 harts the other hart may be waiting for this one's lock page, which
# drags the cut past the SC (how far depends on the recording's schedule);
# on 1 hart nothing does, so there the reservation must be caught.
"$rrv" record -o "$out/lrsc_lock-smp1.rrv" --smp 1 "$gdir/lrsc_lock.elf" \
	>/dev/null 2>&1 </dev/null
"$rrv" replay "$out/lrsc_lock-smp1.rrv" >"$out/lrsc_lock-smp1.full.out" 2>/dev/null </dev/null
rec_status=0
resv_smp1=0
# The first and last LRs of each hart: where the other hart is not yet,
# or no longer, contending for the lock, nothing forces the snapshot's cut
# past the LR, so the reservation is held in it.
lr_points() {
	for h in $2; do
		"$rrv" events "$1" --hart $h --kind ATOMIC | awk -v h=$h '
			/ lr at / { v[n++] = $6 }
			END { for (i = 0; i < n; i++) if (i < 3 || i >= n - 3) print h ":" v[i] }'
	done
}
for name in lrsc_lock-smp2 lrsc_lock-smp1; do
	harts="0 1"
	[ $name = lrsc_lock-smp1 ] && harts=0
	for hic in $(lr_points "$out/$name.rrv" "$harts"); do
		h=${hic%%:*} ic=${hic#*:}
		tag=lr$h-$ic
		snap=$out/$name.$tag.rrs
		"$rrv" replay --save-snapshot "$snap" --snapshot-on "icount:$h:$((ic + 1))" \
			--stop-after-snapshot "$out/$name.rrv" >"$out/$name.$tag.before" 2>/dev/null </dev/null
		if "$rrv" info "$snap" 2>/dev/null | grep -q "LR reservation held"; then
			resv_seen=$((resv_seen + 1))
			[ $name = lrsc_lock-smp1 ] && resv_smp1=$((resv_smp1 + 1))
		fi
		check_restore "$name" "$snap" "$tag"
	done
done
[ $resv_smp1 -eq 6 ] && ok "1 hart: every snapshot right after an LR holds the reservation (6)" ||
	bad "1 hart: $resv_smp1 of 6 snapshots right after an LR hold the reservation"
[ $wfi_seen -gt 0 ] && ok "snapshots with a hart in WFI: $wfi_seen" || bad "no snapshot caught a hart in WFI"
[ $resv_seen -gt 0 ] && ok "snapshots with an LR reservation held: $resv_seen" || bad "no snapshot caught an LR reservation"

# 2. rrv run: on console output, and on the guest's request.
"$rrv" run --smp 4 "$gdir/demo.elf" >"$out/demo.full" 2>/dev/null </dev/null
"$rrv" run --smp 4 --save-snapshot "$out/demo.rrs" --snapshot-on 'output:spinlock counter' \
	--stop-after-snapshot "$gdir/demo.elf" >"$out/demo.before" 2>"$out/demo.err" </dev/null
st1=$?
"$rrv" run --restore "$out/demo.rrs" >"$out/demo.after" 2>>"$out/demo.err" </dev/null
st2=$?
if [ $st1 -eq 0 ] && [ $st2 -eq 0 ] && grep -q "spinlock counter" "$out/demo.before" &&
   grep -q "racy counter" "$out/demo.after" && ! grep -q "racy counter" "$out/demo.before"; then
	ok "run: snapshot on output, restored to the end"
else
	bad "run: snapshot on output (exits $st1 $st2): $(head -c 300 "$out/demo.err")"
fi
"$rrv" run --smp 2 --save-snapshot "$out/ctl.rrs" --snapshot-on guest --stop-after-snapshot \
	"$gdir/snap_request.elf" >"$out/ctl.before" 2>"$out/ctl.err" </dev/null
st1=$?
"$rrv" run --restore "$out/ctl.rrs" >"$out/ctl.after" 2>>"$out/ctl.err" </dev/null
st2=$?
if [ $st1 -eq 0 ] && [ $st2 -eq 0 ] && grep -q "before the snapshot" "$out/ctl.before" &&
   ! grep -q "after the snapshot" "$out/ctl.before" &&
   grep -q "after the snapshot, requests: 1" "$out/ctl.after"; then
	ok "run: guest-requested snapshot through the control device"
else
	bad "run: guest-requested snapshot (exits $st1 $st2): $(head -c 300 "$out/ctl.err")"
fi

rm -f "$out/ctla.rrs"
if python3 "$(dirname "$0")/ctrl_a_s.py" "$rrv" "$gdir/uart_echo.elf" "$out/ctla.rrs" &&
   "$rrv" info "$out/ctla.rrs" >/dev/null 2>&1; then
	ok "run: Ctrl-A s on a terminal saves a snapshot"
else
	bad "run: Ctrl-A s did not save a snapshot"
fi

# 3. record from a snapshot: the trace embeds it and replays alone.
"$rrv" record -o "$out/from-snap.rrv" --restore "$out/demo.rrs" >"$out/from-snap.out" \
	2>"$out/from-snap.err" </dev/null
st1=$?
"$rrv" replay "$out/from-snap.rrv" >"$out/from-snap.replay" 2>"$out/from-snap.rerr" </dev/null
st2=$?
if [ $st1 -eq 0 ] && [ $st2 -eq 0 ] && grep -q "replay identical" "$out/from-snap.rerr" &&
   cmp -s "$out/from-snap.out" "$out/from-snap.replay"; then
	ok "record --restore: trace replays identically on its own"
else
	bad "record --restore (exits $st1 $st2): $(head -c 300 "$out/from-snap.rerr")"
fi

# A snapshot taken while recording a contended guest (parked harts keep
# answering revocations): the recording still replays, the snapshot runs
# to the end and records again.
for g in lrsc_lock amo_counter; do
	"$rrv" record -o "$out/rec-$g.rrv" --smp 4 --save-snapshot "$out/rec-$g.rrs" \
		--snapshot-on icount:2:300000 "$gdir/$g.elf" >/dev/null 2>"$out/rec-$g.err" </dev/null
	st1=$?
	"$rrv" replay --quiet "$out/rec-$g.rrv" >/dev/null 2>&1 </dev/null
	st2=$?
	"$rrv" run --restore "$out/rec-$g.rrs" >/dev/null 2>&1 </dev/null
	st3=$?
	if [ $st1 -eq 0 ] && [ $st2 -eq 0 ] && [ $st3 -eq 0 ] && [ -s "$out/rec-$g.rrs" ]; then
		ok "record --save-snapshot $g: trace replays, snapshot runs to the end"
	else
		bad "record --save-snapshot $g: exits $st1 $st2 $st3: $(head -c 300 "$out/rec-$g.err")"
	fi
done

# 4. bad input.
# expect_error WANT DESC CMD...: exit WANT (1 or 2), one line on stderr.
expect_error() {
	want=$1 desc=$2
	shift 2
	"$@" >/dev/null 2>"$out/err.txt" </dev/null
	st=$?
	lines=$(wc -l <"$out/err.txt")
	if [ $st -eq "$want" ] && [ "$lines" -ge 1 ] && [ "$lines" -le 2 ]; then
		ok "$desc: exit $st: $(head -n1 "$out/err.txt")"
	else
		bad "$desc: exit $st (want $want), $lines lines: $(head -c 300 "$out/err.txt")"
	fi
}
good=$out/amo_counter-smp4.snap5.rrs
size=$(wc -c <"$good")
for cut in 0 10 24 100 $((size / 3)) $((size / 2)) $((size - 30)) $((size - 1)); do
	head -c "$cut" "$good" >"$out/cut.rrs"
	expect_error 1 "snapshot cut at $cut of $size" "$rrv" replay --restore "$out/cut.rrs" "$out/amo_counter-smp4.rrv"
done
for off in 30 60 $((size / 2)) $((size - 40)); do
	cp "$good" "$out/flip.rrs"
	printf '\377' | dd of="$out/flip.rrs" bs=1 seek="$off" conv=notrunc 2>/dev/null
	expect_error 1 "bit flips at offset $off" "$rrv" run --restore "$out/flip.rrs"
done
python3 - "$good" "$out/newer.rrs" <<'PY'
import sys, struct, zlib
data = bytearray(open(sys.argv[1], 'rb').read())
# CONFIG is the first chunk, stored uncompressed: bump its major version
# and fix both checksums, so only the version is wrong.
stored = struct.unpack_from('<I', data, 8)[0]
struct.pack_into('<H', data, 24, 99)
struct.pack_into('<I', data, 16, zlib.crc32(bytes(data[24:24 + stored])))
struct.pack_into('<I', data, 20, zlib.crc32(bytes(data[0:20])))
open(sys.argv[2], 'wb').write(data)
PY
expect_error 1 "newer snapshot version" "$rrv" run --restore "$out/newer.rrs"
expect_error 1 "a trace given as a snapshot" "$rrv" run --restore "$out/amo_counter-smp4.rrv"
expect_error 2 "a snapshot of another trace" "$rrv" replay --restore "$good" "$out/lrsc_lock-smp4.rrv"
expect_error 2 "a run snapshot given to replay" "$rrv" replay --restore "$out/demo.rrs" "$out/amo_counter-smp4.rrv"
expect_error 2 "--smp contradicting the snapshot" "$rrv" run --smp 2 --restore "$out/demo.rrs"
expect_error 2 "--memory contradicting the snapshot" "$rrv" run --memory 512M --restore "$out/demo.rrs"
expect_error 2 "an image besides --restore" "$rrv" run --restore "$out/demo.rrs" "$gdir/hello.elf"
expect_error 2 "--snapshot-on without --save-snapshot" "$rrv" run --snapshot-on guest "$gdir/hello.elf"
expect_error 2 "a trigger on a hart the machine lacks" "$rrv" run --save-snapshot "$out/x.rrs" --snapshot-on icount:5:10 "$gdir/hello.elf"
expect_error 2 "a bad --snapshot-on" "$rrv" run --save-snapshot "$out/x.rrs" --snapshot-on icount:-3 "$gdir/hello.elf"
expect_error 1 "an unreadable snapshot" "$rrv" run --restore "$out/does-not-exist.rrs"

echo "snap-test: $pass passed, $fail failed"
[ $fail -eq 0 ]

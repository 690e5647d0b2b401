#!/bin/sh
# linux-rr.sh: Debian's Linux on 4 harts recorded with a scripted shell
# session, then replayed twice in parallel and once serialized: same output,
# same exit status, every digest checked. A copy with one TRAP marker
# changed must be reported as a divergence.
# usage: linux-rr.sh RRV LINUX_DIR OUT_DIR TAMPER_TOOL [RECORDINGS]
set -u
rrv=$1 dir=$2 out=$3 tamper=$4 runs=${5:-1}
mkdir -p "$out"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
printf '\n\n\necho hello-rrv\ncat /proc/interrupts\npoweroff -f\n' >"$out/linux.in"

replay() {
	tag=$1
	shift
	"$rrv" replay "$@" "$out/linux4.rrv" >"$out/linux4.$tag.out" 2>"$out/linux4.$tag.err" </dev/null
	rst=$?
	if [ $rst -ne $st ] || ! cmp -s "$out/linux4.out" "$out/linux4.$tag.out" ||
	    ! grep -q "replay identical" "$out/linux4.$tag.err"; then
		bad "linux-rr $k $tag: exit $rst: $(head -c 600 "$out/linux4.$tag.err")"
		cp "$out/linux4.rrv" "$out/linux4-failed-$k.rrv"
	else
		ok "linux-rr $k $tag: $(tail -1 "$out/linux4.$tag.err" | sed 's/^rrv: //')"
	fi
}

k=1
while [ $k -le "$runs" ]; do
	"$rrv" record -o "$out/linux4.rrv" --smp 4 --memory 512M --bios "$dir/fw_jump.bin" \
		--kernel "$dir/Image" --initrd "$dir/initrd.cpio.gz" \
		--append "console=ttyS0 earlycon=sbi" --input "$out/linux.in" --timeout 300 \
		>"$out/linux4.out" 2>"$out/linux4.err" </dev/null
	st=$?
	if [ $st -ne 0 ] || ! grep -q "hello-rrv" "$out/linux4.out" || ! grep -q "Power down" "$out/linux4.out"; then
		bad "linux-rr $k record: exit $st; last lines: $(tail -3 "$out/linux4.out")"
	else
		ok "linux-rr $k record: 4-hart boot to poweroff, $(stat -c %s "$out/linux4.rrv") bytes"
		replay parallel1
		replay parallel2
		replay serial --serial
	fi
	k=$((k + 1))
done

# A TRAP marker is written only when a safe point comes right after an
# exception (an SBI call just as another hart's request arrives, say): a
# recording may, rarely, hold none. Record again for one (at most twice).
t=0
while [ -s "$out/linux4.rrv" ] && [ $t -lt 2 ] &&
    ! "$tamper" "$out/linux4.rrv" "$out/linux4-trap.rrv" trap >/dev/null; do
	t=$((t + 1))
	echo "(no TRAP marker in the recording: recording again, $t of 2)"
	"$rrv" record -o "$out/linux4.rrv" --smp 4 --memory 512M --bios "$dir/fw_jump.bin" \
		--kernel "$dir/Image" --initrd "$dir/initrd.cpio.gz" \
		--append "console=ttyS0 earlycon=sbi" --input "$out/linux.in" --timeout 300 \
		>/dev/null 2>&1 </dev/null
done
if [ -s "$out/linux4.rrv" ] && "$tamper" "$out/linux4.rrv" "$out/linux4-trap.rrv" trap >/dev/null; then
	"$rrv" replay --quiet "$out/linux4-trap.rrv" >/dev/null 2>"$out/linux4-trap.err" </dev/null
	tst=$?
	if [ $tst -eq 120 ] && grep -q "divergence on hart [0-9]* at icount" "$out/linux4-trap.err"; then
		ok "changed TRAP marker reported (exit 120): $(head -n 1 "$out/linux4-trap.err" | cut -c1-160)"
	else
		bad "changed TRAP marker: exit $tst: $(head -c 300 "$out/linux4-trap.err")"
	fi
else
	bad "no TRAP marker in the Linux recording to tamper with"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

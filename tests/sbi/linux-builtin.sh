#!/bin/sh
# linux-builtin.sh: Debian's Linux on 4 harts with rrv's built-in SBI: boot to the shell (boot-test.sh's checks), then recorded with the same session and replayed in parallel and serialized, identically.
# usage: linux-builtin.sh RRV LINUX_DIR OUT_DIR
set -u
rrv=$1 dir=$2 out=$3
here=$(dirname "$0")
mkdir -p "$out"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

if sh "$here/../linux/boot-test.sh" --emu rrv --rrv "$rrv" --smp 4 --bios builtin \
	--files "$dir" --logs "$out" --timeout 300; then
	ok "linux builtin smp=4: boot-test.sh's checks"
else
	bad "linux builtin smp=4: boot-test.sh failed (log $out/rrv-builtin-smp4.log)"
fi

printf '\n\n\necho hello-rrv\ncat /proc/interrupts\npoweroff -f\n' >"$out/linux-builtin.in"
tr=$out/linux-builtin4.rrv
"$rrv" record -o "$tr" --smp 4 --memory 512M --bios builtin --kernel "$dir/Image" \
	--initrd "$dir/initrd.cpio.gz" --append "console=ttyS0 earlycon=sbi" \
	--input "$out/linux-builtin.in" --timeout 300 \
	>"$out/linux-builtin4.out" 2>"$out/linux-builtin4.err" </dev/null
st=$?
if [ $st -ne 0 ] || ! grep -q "hello-rrv" "$out/linux-builtin4.out" ||
    ! grep -q "Power down" "$out/linux-builtin4.out"; then
	bad "linux builtin record: exit $st; last lines: $(tail -3 "$out/linux-builtin4.out")"
else
	ok "linux builtin record: 4-hart boot to poweroff, $(stat -c %s "$tr") bytes"
	for mode in parallel serial; do
		flag=
		[ $mode = serial ] && flag=--serial
		"$rrv" replay $flag "$tr" >"$out/linux-builtin4.$mode.out" \
			2>"$out/linux-builtin4.$mode.err" </dev/null
		rst=$?
		if [ $rst -eq $st ] && cmp -s "$out/linux-builtin4.out" "$out/linux-builtin4.$mode.out" &&
		    grep -q "replay identical" "$out/linux-builtin4.$mode.err"; then
			ok "linux builtin replay $mode: $(tail -n 1 "$out/linux-builtin4.$mode.err" | sed 's/^rrv: //')"
		else
			bad "linux builtin replay $mode: exit $rst: $(head -c 600 "$out/linux-builtin4.$mode.err")"
		fi
	done
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

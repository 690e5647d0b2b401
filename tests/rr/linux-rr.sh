#!/bin/sh
# linux-rr.sh: Debian's Linux on 4 harts recorded with a scripted shell
# session, then replayed in parallel: same output, same exit status.
# usage: linux-rr.sh RRV LINUX_DIR OUT_DIR
set -u
rrv=$1 dir=$2 out=$3
mkdir -p "$out"
printf '\n\n\necho hello-rrv\ncat /proc/interrupts\npoweroff -f\n' >"$out/linux.in"
"$rrv" record -o "$out/linux4.rrv" --smp 4 --memory 512M --bios "$dir/fw_jump.bin" \
	--kernel "$dir/Image" --initrd "$dir/initrd.cpio.gz" \
	--append "console=ttyS0 earlycon=sbi" --input "$out/linux.in" --timeout 300 \
	>"$out/linux4.out" 2>"$out/linux4.err" </dev/null
st=$?
if [ $st -ne 0 ] || ! grep -q "hello-rrv" "$out/linux4.out" || ! grep -q "Power down" "$out/linux4.out"; then
	echo "FAIL linux-rr record: exit $st; last lines:"; tail -5 "$out/linux4.out"
	exit 1
fi
"$rrv" replay "$out/linux4.rrv" >"$out/linux4.replay.out" 2>"$out/linux4.replay.err" </dev/null
rst=$?
if [ $rst -ne $st ] || ! cmp -s "$out/linux4.out" "$out/linux4.replay.out"; then
	echo "FAIL linux-rr replay: exit $rst: $(head -c 400 "$out/linux4.replay.err")"
	exit 1
fi
echo "PASS linux-rr: 4-hart Linux boot recorded ($(stat -c %s "$out/linux4.rrv") bytes) and replayed identically: $(tail -1 "$out/linux4.replay.err")"

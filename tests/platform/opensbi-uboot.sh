#!/bin/sh
# opensbi-uboot.sh: OpenSBI fw_jump in M-mode hands 4 harts to S-mode U-Boot, which answers version and powers off through SBI.
#
# usage: opensbi-uboot.sh [--emu rrv|qemu] [--rrv PATH] [--logs DIR]
. "$(dirname "$0")/lib.sh"
plat_args "$@"

sbi=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
uboot=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
for f in "$sbi" "$uboot"; do
	if [ ! -r "$f" ]; then
		plat_fail "opensbi-uboot" "$f missing (make deps installs opensbi, u-boot-qemu)"
		plat_summary
		exit
	fi
done
script=$plat_logs/opensbi-uboot.in
log=$plat_logs/opensbi-uboot.log
# poweroff goes through the SBI system reset call to OpenSBI's sifive_test
# driver, which ends the run with status 0. The first newline is for
# OpenSBI: its 8250 init reads RBR once to flush the receiver (input that is
# already waiting is consumed, as on hardware); the second stops autoboot.
printf '\n\nversion\ncpu list\npoweroff\n' >"$script"

# fw_jump enters the payload at 0x80200000, where --kernel / -kernel put it.
plat_boot "$log" 60 "$script" 4 --bios "$sbi" --kernel "$uboot"
rc=$?

plat_grep "opensbi-uboot OpenSBI banner" '^OpenSBI v' "$log"
plat_grep "opensbi-uboot OpenSBI sees 4 harts" '^Platform HART Count *: 4$' "$log"
plat_grep "opensbi-uboot U-Boot banner" '^U-Boot 2023' "$log"
plat_grep "opensbi-uboot prompt" '^=> ' "$log"
plat_answer "opensbi-uboot version" version '^U-Boot 2023' "$log"
plat_count "opensbi-uboot cpu list has 4 harts" '^ *[0-9][0-9]*: cpu@' 4 "$log"
plat_exit_status "opensbi-uboot poweroff exits 0" "$rc" 0 "$log"
plat_summary

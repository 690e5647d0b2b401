#!/bin/sh
# uboot-mmode.sh: Debian's M-mode U-Boot boots on 4 harts, answers version and cpu list, and powers off.
#
# usage: uboot-mmode.sh [--emu rrv|qemu] [--rrv PATH] [--logs DIR]
. "$(dirname "$0")/lib.sh"
plat_args "$@"

uboot=/usr/lib/u-boot/qemu-riscv64/u-boot.bin
if [ ! -r "$uboot" ]; then
	plat_fail "uboot-mmode" "$uboot missing (make deps installs u-boot-qemu)"
	plat_summary
	exit
fi
script=$plat_logs/uboot-mmode.in
log=$plat_logs/uboot-mmode.log
# The first newline stops the autoboot countdown; poweroff (the sysreset
# driver on the sifive_test finisher) ends the run with status 0.
printf '\nversion\ncpu list\npoweroff\n' >"$script"

plat_boot "$log" 60 "$script" 4 --bios "$uboot"
rc=$?

plat_grep "uboot-mmode banner" '^U-Boot 2023' "$log"
plat_grep "uboot-mmode prompt" '^=> ' "$log"
plat_answer "uboot-mmode version" version '^U-Boot 2023' "$log"
plat_answer "uboot-mmode cpu list shows cpu@3" 'cpu list' '^ *3: cpu@3' "$log"
plat_count "uboot-mmode cpu list has 4 harts" '^ *[0-9][0-9]*: cpu@' 4 "$log"
plat_exit_status "uboot-mmode poweroff exits 0" "$rc" 0 "$log"
plat_summary

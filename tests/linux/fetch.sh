#!/bin/sh
# fetch.sh: downloads Debian trixie's riscv64 kernel, busybox-static and
# OpenSBI packages with a private apt configuration and extracts the boot files.
#
# usage: [LINUX_MIRROR=URL] fetch.sh [OUTDIR]          (default build/linux)
#
# Leaves in OUTDIR: Image (the kernel's raw RISC-V image, loaded as is at
# 0x80200000), fw_jump.bin (OpenSBI 1.6, generic platform), busybox (static,
# riscv64) and kernel.version. Debian 12's own OpenSBI 1.1 will not do: it
# lacks the SBI debug console extension that the kernel's earlycon=sbi uses.
#
# apt runs with everything under OUTDIR/apt (sources, lists, cache, an empty
# dpkg status, an empty apt.conf.d), through APT_CONFIG so that not even the
# system's apt.conf.d is read; the system's apt state is never touched.
# The .deb files are kept in OUTDIR/debs: once all three are there, a run
# makes no network access at all.
set -eu

out=${1:-build/linux}
# LINUX_MIRROR: another Debian mirror (or a local one) with the same layout.
mirror=${LINUX_MIRROR:-http://deb.debian.org/debian}
suite=trixie
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

die() {
	echo "fetch.sh: $*" >&2
	exit 1
}

for tool in apt-get apt-cache dpkg-deb; do
	command -v $tool >/dev/null 2>&1 || die "$tool not found (a Debian host is needed)"
done

mkdir -p "$out/debs" || die "cannot create $out/debs"
out=$(cd "$out" && pwd)
debs=$out/debs

# cached_deb PATTERN: the newest cached .deb matching PATTERN, or nothing.
cached_deb() {
	ls -1 "$debs"/$1 2>/dev/null | sort -V | tail -n 1
}

# The kernel package's name carries its ABI (linux-image-6.12.*-riscv64);
# the metapackage linux-image-riscv64 is only how we find it.
kernel_deb=$(cached_deb 'linux-image-[0-9]*-riscv64_*_riscv64.deb')
busybox_deb=$(cached_deb 'busybox-static_*_riscv64.deb')
opensbi_deb=$(cached_deb 'opensbi_*_all.deb')

if [ -z "$kernel_deb" ] || [ -z "$busybox_deb" ] || [ -z "$opensbi_deb" ]; then
	[ -r "$keyring" ] || die "$keyring missing (install debian-archive-keyring)"
	apt=$out/apt
	mkdir -p "$apt/etc/apt.conf.d" "$apt/etc/preferences.d" \
		"$apt/etc/sources.list.d" "$apt/lists/partial" \
		"$apt/cache/archives/partial" "$apt/log"
	: >"$apt/status"
	# Valid-Until is not checked: the archive may be served from a dated
	# snapshot, whose Release file has expired; the signature still is.
	cat >"$apt/apt.conf" <<EOF
Dir "/";
Dir::Etc "$apt/etc/";
Dir::Etc::main "$apt/etc/apt.conf";
Dir::Etc::parts "$apt/etc/apt.conf.d/";
Dir::Etc::sourcelist "$apt/etc/sources.list";
Dir::Etc::sourceparts "$apt/etc/sources.list.d/";
Dir::Etc::preferences "$apt/etc/preferences";
Dir::Etc::preferencesparts "$apt/etc/preferences.d/";
Dir::State "$apt/";
Dir::State::lists "$apt/lists/";
Dir::State::status "$apt/status";
Dir::State::extended_states "$apt/extended_states";
Dir::Cache "$apt/cache/";
Dir::Cache::archives "$apt/cache/archives/";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Dir::Log "$apt/log/";
APT::Architecture "riscv64";
APT::Architectures { "riscv64"; };
APT::Sandbox::User "root";
Acquire::Languages "none";
Acquire::Retries "1";
Acquire::http::Timeout "30";
Acquire::Check-Valid-Until "false";
Acquire::IndexTargets::deb::DEP-11::DefaultEnabled "false";
Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled "false";
EOF
	: >"$apt/etc/apt.conf"
	export APT_CONFIG="$apt/apt.conf"
	# A mirror can serve an index that no longer matches its suite's
	# InRelease (a sync in progress, or a stale cache in between), which
	# apt rightly refuses. The same release is then tried under its other
	# name, "stable", whose files are fetched by other paths; it is used
	# only if its signed Release still says "Codename: trixie".
	updated=
	err=
	for name in $suite stable; do
		echo "deb [arch=riscv64 signed-by=$keyring] $mirror $name main" \
			>"$apt/etc/sources.list"
		rm -rf "$apt/lists"
		mkdir -p "$apt/lists/partial"
		echo "fetch.sh: apt-get update ($mirror $name main, riscv64)"
		# --error-on=any: an index that cannot be fetched is an error,
		# not the warning apt would otherwise print before exiting 0.
		if apt-get -q -c "$APT_CONFIG" --error-on=any update \
			>"$apt/log/update-$name.log" 2>&1; then
			if grep -q "^Codename: $suite\$" "$apt"/lists/*InRelease 2>/dev/null; then
				updated=$name
				break
			fi
			err="$mirror $name is no longer $suite"
			continue
		fi
		# The first failure says most (the second is usually the same).
		[ -n "${err:-}" ] ||
			err=$(grep -E '^E:' "$apt/log/update-$name.log" | head -n 1 | sed 's/^E: *//')
	done
	[ -n "$updated" ] ||
		die "cannot get $suite's riscv64 index from $mirror: ${err:-see $apt/log/update-*.log}"
	# The metapackage depends on exactly one versioned kernel package.
	kpkg=$(apt-cache -c "$APT_CONFIG" depends linux-image-riscv64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-riscv64\)$/\1/p' | head -n 1)
	[ -n "$kpkg" ] || die "linux-image-riscv64 in $suite names no linux-image-*-riscv64 package"
	echo "fetch.sh: downloading $kpkg busybox-static opensbi"
	if ! (cd "$debs" && apt-get -q -c "$APT_CONFIG" download "$kpkg" busybox-static opensbi) \
		>"$apt/log/download.log" 2>&1; then
		err=$(grep -E "^E:" "$apt/log/download.log" | head -n 1)
		die "download failed (${err:-see $apt/log/download.log})"
	fi
	kernel_deb=$(cached_deb "${kpkg}_*_riscv64.deb")
	busybox_deb=$(cached_deb 'busybox-static_*_riscv64.deb')
	opensbi_deb=$(cached_deb 'opensbi_*_all.deb')
	[ -n "$kernel_deb" ] && [ -n "$busybox_deb" ] && [ -n "$opensbi_deb" ] ||
		die "apt-get download left no .deb in $debs"
fi

# extract DEB DIR: unpacks DEB into DIR unless DIR is from this very DEB.
extract() {
	if [ -f "$2/.from" ] && [ "$(cat "$2/.from")" = "$(basename "$1")" ]; then
		return 0
	fi
	rm -rf "$2"
	mkdir -p "$2"
	dpkg-deb -x "$1" "$2" || die "dpkg-deb -x $1 failed"
	basename "$1" >"$2/.from"
}
extract "$kernel_deb" "$out/root/kernel"
extract "$busybox_deb" "$out/root/busybox"
extract "$opensbi_deb" "$out/root/opensbi"

# install_file SRC DST: copies only when different, so make sees no change
# (and rebuilds nothing) on a run that found everything cached.
install_file() {
	cmp -s "$1" "$2" 2>/dev/null || cp "$1" "$2" || die "cannot write $2"
}

# Debian's riscv64 /boot/vmlinux-* is not an ELF but the raw Image that
# boots at 0x80200000: check the "RISCV\0" magic at 0x30 (then "RSC\x05").
vmlinux=$(ls -1 "$out"/root/kernel/boot/vmlinux-* 2>/dev/null | head -n 1)
[ -n "$vmlinux" ] || die "$(basename "$kernel_deb") has no /boot/vmlinux-*"
magic=$(dd if="$vmlinux" bs=1 skip=48 count=5 2>/dev/null)
[ "$magic" = RISCV ] || die "$vmlinux is not a RISC-V Image (no RISCV magic at 0x30)"
install_file "$vmlinux" "$out/Image"
basename "$vmlinux" | sed 's/^vmlinux-//' >"$out/kernel.version.new"
install_file "$out/kernel.version.new" "$out/kernel.version"
rm -f "$out/kernel.version.new"
if [ -f "$out/root/kernel/boot/config-$(cat "$out/kernel.version")" ]; then
	install_file "$out/root/kernel/boot/config-$(cat "$out/kernel.version")" "$out/kernel.config"
fi

fw=
for f in usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin \
	usr/lib/riscv-firmware/opensbi/generic/fw_jump.bin \
	usr/share/qemu/opensbi-riscv64-generic-fw_jump.bin; do
	if [ -f "$out/root/opensbi/$f" ]; then
		fw=$out/root/opensbi/$f
		break
	fi
done
[ -n "$fw" ] || fw=$(find "$out/root/opensbi" -path '*generic*' -name fw_jump.bin | head -n 1)
[ -n "$fw" ] || die "$(basename "$opensbi_deb") has no generic fw_jump.bin"
install_file "$fw" "$out/fw_jump.bin"

# trixie's package has it in /usr/bin (merged /usr), older ones in /bin.
bb=
for f in usr/bin/busybox bin/busybox; do
	[ -f "$out/root/busybox/$f" ] && { bb=$out/root/busybox/$f; break; }
done
[ -n "$bb" ] || die "$(basename "$busybox_deb") has no /usr/bin/busybox"
install_file "$bb" "$out/busybox"
chmod 755 "$out/busybox"

echo "fetch.sh: $out: Image ($(cat "$out/kernel.version")), fw_jump.bin ($(basename "$opensbi_deb")), busybox ($(basename "$busybox_deb"))"

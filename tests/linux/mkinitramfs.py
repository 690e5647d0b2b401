#!/usr/bin/env python3
"""mkinitramfs.py: writes the Linux test initramfs (cpio "newc", gzip).

usage: mkinitramfs.py BUSYBOX INIT OUT.cpio.gz

The archive holds /bin/busybox, /init, the empty mount points and the
/dev/console node. It is written here rather than with cpio(1) so that the
device node needs no root (mknod) and the output is byte-for-byte
reproducible (every mtime 0, fixed inode numbers, gzip without a time stamp).
"""
import gzip
import stat
import sys

MAGIC = b"070701"  # newc: ASCII hex fields, no CRC


class CpioWriter:
    """Appends newc entries to a byte buffer."""

    def __init__(self):
        self.out = bytearray()
        self.ino = 300000  # arbitrary base; only uniqueness matters

    def _pad4(self):
        self.out += b"\0" * (-len(self.out) % 4)

    def entry(self, name, mode, data=b"", rdev=(0, 0)):
        self.ino += 1
        name_b = name.encode() + b"\0"
        fields = [self.ino, mode, 0, 0, 2 if stat.S_ISDIR(mode) else 1, 0,
                  len(data), 0, 0, rdev[0], rdev[1], len(name_b), 0]
        self.out += MAGIC + b"".join(b"%08X" % f for f in fields)
        self.out += name_b
        self._pad4()  # the 110-byte header plus the name
        self.out += data
        self._pad4()

    def directory(self, name):
        self.entry(name, stat.S_IFDIR | 0o755)

    def file(self, name, data, perm):
        self.entry(name, stat.S_IFREG | perm, data)

    def symlink(self, name, target):
        self.entry(name, stat.S_IFLNK | 0o777, target.encode())

    def chardev(self, name, major, minor, perm):
        self.entry(name, stat.S_IFCHR | perm, rdev=(major, minor))

    def finish(self):
        self.entry("TRAILER!!!", 0)
        return bytes(self.out)


def read(path, what):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        sys.exit(f"mkinitramfs.py: cannot read {what} {path}: {e.strerror}")


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: mkinitramfs.py BUSYBOX INIT OUT.cpio.gz")
    busybox = read(argv[1], "busybox")
    init = read(argv[2], "init script")
    # A static riscv64 ELF: a wrong file here would only show as a kernel
    # panic ("No working init found") much later, so refuse it now.
    if busybox[:4] != b"\x7fELF" or busybox[18:20] != b"\xf3\x00":
        sys.exit(f"mkinitramfs.py: {argv[1]} is not a RISC-V ELF executable")
    if not init.startswith(b"#!/bin/sh"):
        sys.exit(f"mkinitramfs.py: {argv[2]} does not start with #!/bin/sh")

    w = CpioWriter()
    for d in ("bin", "dev", "proc", "sys", "tmp", "root", "etc"):
        w.directory(d)
    w.file("bin/busybox", busybox, 0o755)
    w.symlink("bin/sh", "busybox")  # for the #! line of /init
    # The kernel opens /dev/console for init before any devtmpfs exists.
    w.chardev("dev/console", 5, 1, 0o600)
    w.chardev("dev/null", 1, 3, 0o666)
    w.file("init", init, 0o755)
    data = w.finish()
    try:
        with open(argv[3], "wb") as f:
            f.write(gzip.compress(data, compresslevel=9, mtime=0))
    except OSError as e:
        sys.exit(f"mkinitramfs.py: cannot write {argv[3]}: {e.strerror}")


if __name__ == "__main__":
    main(sys.argv)

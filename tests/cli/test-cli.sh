#!/bin/sh
# test-cli.sh: rrv's command line: errors are one clear line with the right
# exit status, and the run limits end runs with their documented codes.
# usage: test-cli.sh RRV GUEST_DIR
rrv=$1
guests=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }

# expect NAME STATUS PATTERN -- ARGS...: exit status and a one-line stderr
# message matching PATTERN (empty pattern: stderr not checked).
expect() {
	name=$1 want=$2 pat=$3
	shift 4
	"$rrv" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	got=$?
	if [ "$got" != "$want" ]; then
		bad "$name" "exit $got, want $want ($(head -c 200 "$tmp/err"))"
		return
	fi
	if [ -n "$pat" ]; then
		if [ "$(wc -l <"$tmp/err")" -ne 1 ] || ! grep -q -- "$pat" "$tmp/err"; then
			bad "$name" "stderr not one line matching '$pat': $(head -c 300 "$tmp/err")"
			return
		fi
	fi
	ok "$name"
}

printf 'not an elf, just bytes\n' >"$tmp/raw.bin"
head -c 300000000 /dev/zero >"$tmp/big.bin" 2>/dev/null || true
cp /bin/true "$tmp/x86.elf"
: >"$tmp/empty.bin"

expect "no command" 2 "no command given" --
expect "unknown command" 2 "unknown command 'frobnicate'" -- frobnicate
expect "unknown option" 2 "unknown option '--frob'" -- run --frob x
expect "missing option value" 2 "needs a value" -- run --smp
expect "smp zero" 2 "--smp takes 1..64" -- run --smp 0 "$guests/hello.elf"
expect "smp too many" 2 "--smp takes 1..64" -- run --smp 65 "$guests/hello.elf"
expect "smp not a number" 2 "--smp takes 1..64, not '4x'" -- run --smp 4x "$guests/hello.elf"
expect "memory bad size" 2 "--memory takes" -- run --memory 12Q "$guests/hello.elf"
expect "timeout negative" 2 "--timeout takes" -- run --timeout -1 "$guests/hello.elf"
expect "no image" 2 "no image to run" -- run
expect "missing file" 2 "nonexistent.elf: No such file" -- run "$tmp/nonexistent.elf"
expect "empty file" 2 "empty file" -- run "$tmp/empty.bin"
expect "non-RISC-V ELF" 2 "not RISC-V" -- run "$tmp/x86.elf"
expect "image too large" 2 "do not fit in RAM" -- run --memory 16M "$tmp/big.bin"
expect "two images" 2 "besides --kernel" -- run --kernel "$guests/hello.elf" "$guests/hello.elf"
expect "bad initrd" 2 "nope.img: No such file" -- run --initrd "$tmp/nope.img" "$guests/hello.elf"
expect "bad dtb" 2 "not a valid device tree" -- run --dtb "$tmp/raw.bin" "$guests/hello.elf"
expect "help" 0 "" -- run --help
expect "guest exit code" 0 "" -- run "$guests/hello.elf"
# A raw binary of text is garbage code: it must trap, not crash rrv. Its
# first illegal instruction traps to mtvec = 0, where there is no memory:
# a trap loop, ended with 123 (tests/triage has the other verdicts).
expect "garbage raw image is a trap loop" 123 "trap loop on hart 0: exception 1" -- run --timeout 5 "$tmp/raw.bin"
expect "timeout" 124 "timeout after" -- run --timeout 0.5 "$guests/triage_spin.elf"
expect "max-insns limit" 125 "instruction limit 1000 reached" -- run --max-insns 1000 "$guests/amo_counter.elf"

if command -v dtc >/dev/null 2>&1; then
	if "$rrv" dumpdtb --smp 4 --append "console=ttyS0" "$tmp/x.dtb" &&
	   dtc -I dtb -O dts -o "$tmp/x.dts" "$tmp/x.dtb" 2>"$tmp/dtc.err" &&
	   [ ! -s "$tmp/dtc.err" ] && grep -q 'cpu@3' "$tmp/x.dts" &&
	   grep -q 'bootargs = "console=ttyS0"' "$tmp/x.dts"; then
		ok "dumpdtb passes dtc cleanly"
	else
		bad "dumpdtb passes dtc cleanly" "$(cat "$tmp/dtc.err")"
	fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

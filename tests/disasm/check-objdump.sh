#!/bin/sh
# check-objdump.sh: dis_insn must print what objdump -d -M no-aliases prints for each ELF.
#
# usage: check-objdump.sh DIS_CHECK OBJDUMP ELF...
# (objcopy: $OBJCOPY, or OBJDUMP with its trailing "objdump" made "objcopy")
#
# objdump's text is normalised to rrv's conventions first: one space after
# the mnemonic, targets as 0xADDR without <symbol>, no "# ..." comments,
# and c.* instructions spelled as the 32-bit instructions they expand to.
# Data in code sections (.word, .short, .byte) is skipped; undecodable
# instructions (.2byte/.4byte) must be undecodable for rrv too.
set -u
[ $# -ge 3 ] || { echo "usage: $0 DIS_CHECK OBJDUMP ELF..." >&2; exit 2; }
dis=$1 objdump=$2 objcopy=${OBJCOPY:-${2%objdump}objcopy}
shift 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

fail=0 total=0
for elf in "$@"; do
	# Without its attributes section objdump names CSRs after the newest
	# privileged spec it knows, as rrv does, not after the spec the file
	# was assembled for (1.11 hides menvcfg, pmpaddr16-63...).
	"$objcopy" -R .riscv.attributes "$elf" "$tmp/elf" ||
		{ echo "disasm: $objcopy failed on $elf" >&2; exit 2; }
	"$objdump" -d -M no-aliases "$tmp/elf" >"$tmp/dump" ||
		{ echo "disasm: $objdump failed on $elf" >&2; exit 2; }
	awk -F '\t' -v input="$tmp/input" -v want="$tmp/want" '
	function rvc(m, a, n, o) {
		n = split(a, o, ",")
		if (m == "c.nop") return "addi zero,zero,0"
		if (m == "c.ebreak") return "ebreak"
		if (m == "c.unimp") return ".2byte 0x0"
		if (m == "c.li") return "addi " o[1] ",zero," o[2]
		if (m == "c.lui") return "lui " a
		if (m == "c.mv") return "add " o[1] ",zero," o[2]
		if (m == "c.j") return "jal zero," a
		if (m == "c.jr") return "jalr zero,0(" a ")"
		if (m == "c.jalr") return "jalr ra,0(" a ")"
		if (m == "c.beqz") return "beq " o[1] ",zero," o[2]
		if (m == "c.bnez") return "bne " o[1] ",zero," o[2]
		if (m == "c.addi4spn") return "addi " a
		sub(/^c\./, "", m)
		if (m ~ /^s[rl][la]i64$/) { sub(/64$/, "", m); o[2] = "0x0" }
		if (m ~ /^f?[ls][wd]sp$/) sub(/sp$/, "", m)
		if (m ~ /^f?[ls][wd]$/) return m " " a
		if (m == "addi16sp") m = "addi"
		return m " " o[1] "," o[1] "," o[2]
	}
	/^ *[0-9a-f]+:\t[0-9a-f]+ *\t/ {
		pc = $1; sub(/^ +/, "", pc); sub(/:$/, "", pc)
		raw = $2; sub(/ +$/, "", raw)
		m = $3; a = (NF >= 4) ? $4 : ""
		sub(/ #.*$/, "", a)
		if (m ~ /^\./ && m != ".2byte" && m != ".4byte")
			next                    # data, not code
		sub(/ <[^>]*>$/, "", a)         # branch target symbol
		if (m ~ /^c\./) text = rvc(m, a)
		else if (m == "unimp") text = "csrrw zero,cycle,zero"
		else text = (a == "") ? m : m " " a
		if (text ~ /^(beq|bne|blt|bge|bltu|bgeu|jal) /) {
			sub(/,0x/, ",", text)   # bare targets: objdump -b binary
			sub(/[0-9a-f]+$/, "0x&", text)
		}
		print pc, raw > input
		print pc, text > want
	}' "$tmp/dump" || exit 2
	"$dis" <"$tmp/input" >"$tmp/got" || { echo "disasm: $dis failed" >&2; exit 2; }
	n=$(wc -l <"$tmp/want")
	total=$((total + n))
	if ! cmp -s "$tmp/want" "$tmp/got"; then
		bad=$(paste -d '|' "$tmp/want" "$tmp/got" | awk -F '|' '$1 != $2' | wc -l)
		echo "disasm: $elf: $bad of $n instructions differ (objdump | rrv):" >&2
		paste -d '|' "$tmp/input" "$tmp/want" "$tmp/got" |
			awk -F '|' '$2 != $3 { print "  " $1 ": " $2 " | " $3 }' |
			sort -t: -k2 -u | head -20 >&2
		fail=1
	fi
done
[ $fail = 0 ] || exit 1
echo "disasm: $total instructions in $# files match objdump"

#!/bin/sh
# irqs-test.sh: `rrv irqs` on guests whose interrupts are known, and the
# --inject option's checks.
# usage: irqs-test.sh RRV GUEST_DIR OUT_DIR
set -u
rrv=$1 guests=$2 out=$3
here=$(dirname "$0")
mkdir -p "$out"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# irq_count: 25 UART interrupts claimed and completed on context 0, 7 empty
# claims, one priority change, one enable and one disable; on 1, 2, 4 harts.
for n in 1 2 4; do
	t=$out/irq_count-$n.rrv
	if ! "$rrv" record -o "$t" --smp $n "$guests/irq_count.elf" >"$out/irq_count-$n.out" 2>&1; then
		bad "irq_count smp $n: record failed: $(tail -2 "$out/irq_count-$n.out")"
		continue
	fi
	"$rrv" irqs --json "$t" >"$out/irq_count-$n.json" 2>"$out/irq_count-$n.err"
	st=$?
	if [ $st -ne 0 ]; then
		bad "irq_count smp $n: rrv irqs exit $st: $(head -3 "$out/irq_count-$n.err")"
		continue
	fi
	if msg=$(python3 "$here/check_counts.py" "$out/irq_count-$n.json" $n); then
		ok "irq_count smp $n: $msg"
	else
		bad "irq_count smp $n: $msg"
		continue
	fi
	# Every position in the report is one `goto` reaches, with the hart
	# at the instruction named.
	tpc=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); c=[c for c in d['sources'][0]['changes'] if c['what']=='disable'][0]; print(c['goto'], c['pc'])" "$out/irq_count-$n.json")
	set -- $tpc
	"$rrv" debug --batch -ex "goto $1" -ex "info harts" "$t" >"$out/goto-$n.out" 2>&1
	if grep -q "^\* 0 *0x0*${2#0x} " "$out/goto-$n.out"; then
		ok "irq_count smp $n: goto $1 stands hart 0 at the disabling store, pc $2"
	else
		bad "irq_count smp $n: goto $1 should stand hart 0 at pc $2: $(cat "$out/goto-$n.out" | head -5)"
	fi
done

# A spurious source on a bare-metal guest: the injected raises are INPUT
# events to the PLIC, the replay is identical, `rrv info` names them.
t=$out/inject.rrv
"$rrv" record -o "$t" --smp 2 --inject spurious-irq:10:20000 "$guests/irq_count.elf" \
	>"$out/inject.out" 2>&1
st=$?
# The extra interrupts may make the guest's own count check fail (exit 3):
# the replay must end the same way.
"$rrv" replay --quiet "$t" 2>"$out/inject.replay"
rst=$?
if [ $rst -eq $st ] && grep -q "replay identical" "$out/inject.replay"; then
	ok "irq_count with --inject spurious-irq:10:20000 (exit $st) replays identically"
else
	bad "irq_count with --inject: replay: $(head -c 300 "$out/inject.replay")"
fi
if "$rrv" info "$t" | grep -q "^injected faults: spurious-irq:10:20000$"; then
	ok "rrv info names the injection"
else
	bad "rrv info does not name the injection: $("$rrv" info "$t" | grep -i inject)"
fi
t=$out/stuck.rrv
"$rrv" record -o "$t" --inject uart-stuck-irq --inject spurious-irq:10 "$guests/irq_count.elf" >/dev/null 2>&1
if "$rrv" info "$t" | grep -q "^injected faults: spurious-irq:10:50000,uart-stuck-irq$"; then
	ok "two injections, default rate 50000, kept in CONFIG"
else
	bad "two injections: $("$rrv" info "$t" | grep -i inject)"
fi

# Bad specs: exit 2 with a one-line message naming what is wrong.
for spec in spurious-irq spurious-irq:0 spurious-irq:96 spurious-irq:10:0 \
    spurious-irq:10:x spurious-irq:10:20000000 uart-stuck bogus; do
	"$rrv" run --inject "$spec" "$guests/irq_count.elf" >/dev/null 2>"$out/bad.err"
	st=$?
	if [ $st -eq 2 ] && [ "$(wc -l <"$out/bad.err")" -eq 1 ] && grep -q "^rrv: " "$out/bad.err"; then
		ok "--inject $spec: exit 2: $(cat "$out/bad.err")"
	else
		bad "--inject $spec: exit $st: $(cat "$out/bad.err")"
	fi
done
"$rrv" irqs --bogus x >/dev/null 2>&1
[ $? -eq 2 ] && ok "rrv irqs --bogus: exit 2" || bad "rrv irqs --bogus: not exit 2"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

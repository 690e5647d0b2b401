#!/bin/sh
# export-test.sh RRV GUESTS OUT: `rrv export --chrome` on 4-hart traces of
# project guests, each file checked by check_chrome.py (parsed by Python's
# json, the fields every phase needs, flows paired, slices nested per
# track, every hart named), --clock insns, --max-events, damaged traces
# and bad options.
RRV=$1 GUESTS=$2 OUT=$3
HERE=$(dirname "$0")
mkdir -p "$OUT"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
checked() { # JSON NHARTS KINDS...: check_chrome.py's verdict as one test
	if python3 "$HERE/check_chrome.py" "$@" >"$OUT/check.out" 2>&1; then
		ok "$1: $(grep -c '^ok' "$OUT/check.out") format checks"
	else
		bad "$1: $(grep -v '^ok' "$OUT/check.out" | head -3)"
	fi
}

# timer_irq: interrupt handlers, WFI waits, ownership flows; demo: atomics;
# trap_storm: exceptions; uart_echo: UART bytes in and out.
for g in timer_irq:4:irq,wfi,ownership demo:4:atomic,ownership trap_storm:4:exception \
	 uart_echo:2:uart; do
	name=${g%%:*} rest=${g#*:} n=${rest%%:*} kinds=$(echo "${rest#*:}" | tr , ' ')
	input=
	[ "$name" = uart_echo ] && input="--input tests/guests/uart_echo.in"
	"$RRV" record -o "$OUT/$name.rrv" --smp "$n" $input "$GUESTS/$name.elf" \
		</dev/null >/dev/null 2>&1
	"$RRV" export --chrome "$OUT/$name.json" "$OUT/$name.rrv" 2>"$OUT/err"
	st=$?
	[ $st -eq 0 ] && ok "export $name ($n harts)" || bad "export $name: exit $st $(cat "$OUT/err")"
	# shellcheck disable=SC2086
	checked "$OUT/$name.json" "$n" $kinds
done

"$RRV" export --chrome "$OUT/insns.json" --clock insns "$OUT/timer_irq.rrv" 2>/dev/null
st=$?
[ $st -eq 0 ] && ok "--clock insns" || bad "--clock insns: exit $st"
checked "$OUT/insns.json" 4 irq wfi
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d['otherData']['clock'] != 'insns')" \
	"$OUT/insns.json" && ok "otherData says clock insns" || bad "otherData clock"

"$RRV" export --chrome "$OUT/max.json" --max-events 500 "$OUT/timer_irq.rrv" 2>"$OUT/err"
st=$?
checked "$OUT/max.json" 4
python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
n=sum(1 for e in d['traceEvents'] if e['ph'] != 'M')
sys.exit(not (n <= 500 and d['otherData']['truncated']))" "$OUT/max.json" &&
	grep -q 'stopped at' "$OUT/err" && [ $st -eq 0 ] &&
	ok "--max-events 500: at most 500 events, marked truncated, said so" ||
	bad "--max-events 500 (exit $st, $(cat "$OUT/err"))"

# Damaged input: a clear message, exit 1, no half-written JSON left.
python3 -c "
import sys
b=bytearray(open(sys.argv[1],'rb').read())
b[len(b)//2] ^= 0xff
open(sys.argv[2],'wb').write(b)" "$OUT/timer_irq.rrv" "$OUT/damaged.rrv"
rm -f "$OUT/damaged.json"
"$RRV" export --chrome "$OUT/damaged.json" "$OUT/damaged.rrv" 2>"$OUT/err"
st=$?
[ $st -eq 1 ] && grep -q 'rrv: ' "$OUT/err" && [ "$(wc -l <"$OUT/err")" -le 2 ] &&
	[ ! -f "$OUT/damaged.json" ] &&
	ok "damaged trace: exit 1: $(head -1 "$OUT/err")" || bad "damaged trace: exit $st: $(cat "$OUT/err")"
printf 'not a trace' >"$OUT/junk.rrv"
"$RRV" export --chrome "$OUT/junk.json" "$OUT/junk.rrv" 2>"$OUT/err"
st=$?
[ $st -eq 1 ] && ok "not a trace: exit 1: $(head -1 "$OUT/err")" || bad "not a trace: exit $st"
"$RRV" export --chrome "$OUT/x.json" "$OUT/missing.rrv" 2>/dev/null
st=$?
[ $st -eq 1 ] && ok "missing trace: exit 1" || bad "missing trace: exit $st"

# Bad options: exit 2.
for args in "$OUT/timer_irq.rrv" "--chrome" "--chrome $OUT/x.json --clock wall $OUT/timer_irq.rrv" \
	    "--chrome $OUT/x.json --max-events -3 $OUT/timer_irq.rrv" \
	    "--chrome $OUT/x.json --bogus $OUT/timer_irq.rrv" "--chrome $OUT/x.json a b"; do
	# shellcheck disable=SC2086
	"$RRV" export $args >/dev/null 2>&1
	st=$?
	[ $st -eq 2 ] && ok "export $args: exit 2" || bad "export $args: exit $st"
done
rm -f "$OUT"/*.rrv
echo "export-test: $pass passed, $fail failed"
[ $fail -eq 0 ]

# lib.sh: options, emulator launch and PASS/FAIL bookkeeping shared by the platform test scripts (sourced).
#
# Every script takes: [--emu rrv|qemu] [--rrv PATH] [--guests ELFDIR]
#                     [--logs DIR]
# --emu qemu runs the same firmware on qemu-system-riscv64 -M virt, to check
# the test itself. Each check prints one PASS/FAIL line; plat_summary prints
# "N passed, N failed" and gives the script's exit status.

plat_emu=rrv
plat_rrv=${RRV:-build/rrv}
plat_guests=build/guests
plat_logs=
plat_passed=0
plat_failed=0

plat_args() {
	while [ $# -gt 0 ]; do
		case "$1" in
		--emu) plat_emu=$2; shift 2 ;;
		--rrv) plat_rrv=$2; shift 2 ;;
		--guests) plat_guests=$2; shift 2 ;;
		--logs) plat_logs=$2; shift 2 ;;
		*) echo "$0: unknown option $1" >&2; exit 2 ;;
		esac
	done
	case "$plat_emu" in
	rrv|qemu) ;;
	*) echo "$0: --emu takes rrv or qemu" >&2; exit 2 ;;
	esac
	if [ "$plat_emu" = rrv ] && [ ! -x "$plat_rrv" ]; then
		echo "$0: $plat_rrv is not built" >&2
		exit 2
	fi
	[ -n "$plat_logs" ] || plat_logs=build/platform-$plat_emu
	mkdir -p "$plat_logs" || exit 2
}

plat_pass() {
	echo "PASS $1"
	plat_passed=$((plat_passed + 1))
}

# plat_fail NAME WHY [LOG]: a FAIL line, with the log's last lines the
# first time a failure names that log.
plat_shown=
plat_fail() {
	echo "FAIL $1: $2"
	case " $plat_shown " in
	*" $3 "*) ;;
	*)
		if [ -n "$3" ]; then
			plat_shown="$plat_shown $3"
			echo "    last lines of $3:"
			tail -n 8 "$3" | tr -d '\r' | sed 's/^/    | /'
		fi ;;
	esac
	plat_failed=$((plat_failed + 1))
}

plat_summary() {
	echo "$plat_passed passed, $plat_failed failed"
	[ "$plat_failed" = 0 ]
}

# plat_feed FILE START LINE: FILE's lines on stdout, the first after START
# seconds and one every LINE seconds. QEMU's 16550 throws away what it holds
# when firmware (re)initialises the FIFO, and its firmware polls, so
# scripted input must not run ahead of the guest; rrv needs none of this
# (its --input is read only as the guest consumes it).
plat_feed() {
	sleep "$2"
	while IFS= read -r line || [ -n "$line" ]; do
		printf '%s\n' "$line" || return 0
		sleep "$3"
	done <"$1"
}

# plat_boot LOG TIMEOUT INPUT SMP EMU-ARGS...: boots firmware on the chosen
# emulator with INPUT on its UART; output in LOG; returns the exit status
# (124 on timeout, as rrv's --timeout).
plat_boot() {
	log=$1 tmo=$2 input=$3 smp=$4
	shift 4
	if [ "$plat_emu" = rrv ]; then
		"$plat_rrv" run --smp "$smp" --input "$input" --timeout "$tmo" \
			"$@" </dev/null >"$log" 2>&1
		return
	fi
	plat_feed "$input" 1 0.3 |
		timeout -k 5 "$tmo" qemu-system-riscv64 -M virt -nographic \
			-monitor none -serial stdio -smp "$smp" "$@" >"$log" 2>&1
}

# plat_exit_status NAME GOT WANT LOG
plat_exit_status() {
	if [ "$2" = "$3" ]; then
		plat_pass "$1"
	else
		plat_fail "$1" "exit status $2, want $3" "$4"
	fi
}

# plat_grep NAME REGEX LOG: passes if a line of LOG matches REGEX.
plat_grep() {
	if tr -d '\r' <"$3" | grep -q -- "$2"; then
		plat_pass "$1"
	else
		plat_fail "$1" "no line matches /$2/" "$3"
	fi
}

# plat_count NAME REGEX WANT LOG: passes if exactly WANT lines match.
plat_count() {
	n=$(tr -d '\r' <"$4" | grep -c -- "$2")
	if [ "$n" = "$3" ]; then
		plat_pass "$1"
	else
		plat_fail "$1" "$n lines match /$2/, want $3" "$4"
	fi
}

# plat_answer NAME COMMAND REGEX LOG: passes if, after the prompt line
# "=> COMMAND", a later line matches REGEX before the next prompt.
plat_answer() {
	if tr -d '\r' <"$4" | awk -v cmd="=> $2" -v re="$3" '
		$0 == cmd { inside = 1; next }
		/^=> / { inside = 0 }
		inside && $0 ~ re { found = 1 }
		END { exit !found }'; then
		plat_pass "$1"
	else
		plat_fail "$1" "no answer matching /$3/ to '$2'" "$4"
	fi
}

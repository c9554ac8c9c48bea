# Shared by the bench-* scripts: build the release binary, run the console in a private detached
# tmux server, and read a process's CPU time and memory from /proc. Source it after setting
# BENCH_NAME; it defines the functions below and cleans up (tmux server, scratch dir) on exit.
# Needs: swift, tmux, Linux /proc.

fail() { echo "$BENCH_NAME: $*" >&2; exit 1; }
now_ns() { date +%s%N; }

# bench_build: builds the release binary as it is installed (the Swift runtime linked in, see
# README "Installing") and sets $bin.
bench_build() {
    echo "building release binary..." >&2
    swift build -c release --static-swift-stdlib --product switchboard >&2
    bin="$(swift build -c release --static-swift-stdlib --show-bin-path)/switchboard"
    [[ -x $bin ]] || fail "no binary at $bin"
}

# Scratch space: $work/run is the console's working directory, $work/xdg its XDG_CONFIG_HOME.
work=$(mktemp -d "${TMPDIR:-/tmp}/sb-bench.XXXXXX")
mkdir "$work/run" "$work/xdg"
t0_file=$work/t0 log_file=$work/switchboard.log out_file=$work/terminal.out
sock=sb-bench-$$
tmux_() { env -u TMUX tmux -L "$sock" -f /dev/null "$@"; }
target=bench:0.0
socket_path=

bench_cleanup() {
    if tmux_ has-session -t bench 2>/dev/null; then
        tmux_ send-keys -t "$target" q 2>/dev/null || true     # quit politely first
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            tmux_ has-session -t bench 2>/dev/null || break
            sleep 0.1
        done
    fi
    tmux_ kill-server 2>/dev/null || true
    [[ -S $socket_path ]] && rm -f "$socket_path"      # tmux leaves the socket file behind
    rm -rf "$work"
}
trap bench_cleanup EXIT

# bench_launch COLS ROWS [switchboard arguments...]: starts the console in a COLSxROWS pane,
# waits for its first frame, and sets $pid, $first_frame_ms (from just before exec) and
# $ms_since_start (the app's own figure). The pane waits on `read` until pipe-pane is attached,
# so no byte written to the terminal is lost. Given as separate arguments, tmux runs the command
# directly; env, sh and switchboard all exec in turn, so the pane pid is the switchboard pid.
# LINES/COLUMNS are unset because curses would prefer them to the pane's real size.
bench_launch() {
    local cols=$1 rows=$2 first_frame_timeout=30
    shift 2
    tmux_ new-session -d -s bench -x "$cols" -y "$rows" -c "$work/run" \
        env -u SWITCHBOARD_CONFIG -u NO_COLOR -u LINES -u COLUMNS \
            LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color XDG_CONFIG_HOME="$work/xdg" \
        sh -c 'read _; date +%s%N > "$1"; shift; exec "$@"' sh "$t0_file" "$bin" --log-file "$log_file" "$@"
    socket_path=$(tmux_ display-message -p '#{socket_path}')
    tmux_ pipe-pane -o -t "$target" "cat >> '$out_file'"
    tmux_ send-keys -t "$target" Enter

    local pane_size
    pane_size=$(tmux_ display-message -p -t "$target" '#{pane_width}x#{pane_height}')
    [[ $pane_size == "${cols}x${rows}" ]] || fail "pane is $pane_size, wanted ${cols}x${rows}"

    local deadline frame_line=
    deadline=$(( $(now_ns) + first_frame_timeout * 1000000000 ))
    until frame_line=$(grep -m1 'first frame drawn' "$log_file" 2>/dev/null); do
        (( $(now_ns) < deadline )) || fail "no 'first frame drawn' in the log after ${first_frame_timeout}s (screen: $(tmux_ capture-pane -p -t "$target"))"
        sleep 0.05
    done
    [[ $frame_line =~ unix_ms=([0-9]+) ]] || fail "no unix_ms in: $frame_line"
    local frame_unix_ms=${BASH_REMATCH[1]}
    [[ $frame_line =~ ms_since_start=([0-9]+) ]] || fail "no ms_since_start in: $frame_line"
    ms_since_start=${BASH_REMATCH[1]}
    [[ -s $t0_file ]] || fail "launcher never wrote its start time"
    first_frame_ms=$(awk -v f="$frame_unix_ms" -v t="$(<"$t0_file")" 'BEGIN { printf "%.0f", f - t / 1e6 }')

    pid=$(tmux_ list-panes -t "$target" -F '#{pane_pid}')
    [[ $(<"/proc/$pid/comm") == switchboard ]] || fail "pane pid $pid is $(<"/proc/$pid/comm"), not switchboard"
}

# stat_fields: /proc/$pid/stat from field 3 on, split after the ")" that ends comm, so that
# ${fields[11]} is utime (field 14), [12] stime, [13] cutime, [14] cstime.
stat_fields() {
    local stat
    stat=$(<"/proc/$pid/stat") || fail "switchboard (pid $pid) is gone"
    read -ra fields <<<"${stat##*) }"
}
# cpu_ticks: the console's own CPU time (utime + stime).
cpu_ticks() { stat_fields; echo $(( fields[11] + fields[12] )); }
# child_cpu_ticks: CPU time of the console's children that have ended (cutime + cstime).
child_cpu_ticks() { stat_fields; echo $(( fields[13] + fields[14] )); }
status_kb() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$pid/status"; }
file_bytes() { stat -c %s "$out_file" 2>/dev/null || echo 0; }
# processes_started: processes the machine has started since boot (/proc/stat).
processes_started() { awk '$1 == "processes" { print $2 }' /proc/stat; }

# report_row NAME VALUE BUDGET VERDICT: one aligned line of a report.
report_row() {
    local line
    line=$(printf "  %-38s %-16s %-13s %s" "$1" "${2:-}" "${3:-}" "${4:-}")
    echo "${line%"${line##*[! ]}"}"
}

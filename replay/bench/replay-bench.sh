#!/usr/bin/env bash
# Replay benchmarks of issue 5, against a local nginx on 127.0.0.1 (installed with apt-get when
# absent, as is wrk). Loopback only; every run is bounded in time. Prints the figures that go to
# docs/performance.md. Opt-in: never part of `mvn verify`.
#
#   replay/bench/replay-bench.sh rate        # 5,000 req/s for 30 s (mix mode): achieved rate, lateness
#   replay/bench/replay-bench.sh throughput  # wrk -t1 -c32, then the highest rate Reprise sustains
#                                            # with lateness p99 < 2 ms, no drops, achieved within 1%
#   replay/bench/replay-bench.sh soak [10m]  # 2,000 req/s; heap used after GC at start, middle, end
#   replay/bench/replay-bench.sh cpu [RATE] label=a.jar label=b.jar ...
#                                            # CPU µs per request at RATE (default 10000), jars side by
#                                            # side, alternating (cpu-per-request.py); less sensitive to
#                                            # other load on the machine than a maximum rate
#
# Environment: BENCH_DIR (work directory, default a new temp dir), JAVA_OPTS (passed to Reprise);
# for throughput BENCH_LOOPS (event loops sharing the 32 connections, default 1), BENCH_RATES (the
# coarse steps, default 10000 to 120000 by 10000) and BENCH_REFINE (bisections after them, default 2).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
what="${1:-rate}"
work="${BENCH_DIR:-$(mktemp -d -t reprise-bench-XXXX)}"
mkdir -p "$work"
port="${BENCH_PORT:-18080}"
nginx_pid=""

log() { echo "bench: $*" >&2; }

ensure_tools() {
  if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ] || ! command -v wrk >/dev/null 2>&1; then
    log "installing nginx and wrk with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light wrk >/dev/null
  fi
}

start_nginx() {
  mkdir -p "$work/nginx/logs"
  # one worker: the generator and the target share the machine's cores, as in the issue's wrk figure
  cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  server {
    listen 127.0.0.1:$port;
    location / { return 200 "ok"; }
  }
}
CONF
  /usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
  nginx_pid=$!
  for _ in $(seq 1 50); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return; fi
    sleep 0.1
  done
  log "nginx did not start on 127.0.0.1:$port (see $work/nginx/logs/error.log)"; exit 1
}

stop_nginx() {
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
}
trap stop_nginx EXIT

# the launcher rebuilds the jar when the sources changed; JAVA_OPTS reaches the JVM
reprise() { "$root/reprise" "$@"; }

prepare_store() {
  db="$work/bench.duckdb"
  if [ ! -f "$db" ]; then
    log "building a store from samples/access.log.gz"
    reprise --db "$db" ingest nginx "$root/samples/access.log.gz" >/dev/null
    reprise --db "$db" model build >/dev/null
  fi
}

# replay_mix RATE DURATION OUT [extra args...] -> runs Reprise in mix mode, summary in OUT/summary.json
replay_mix() {
  local rate="$1" duration="$2" out="$3"; shift 3
  rm -rf "$out"
  reprise --db "$db" replay --target "http://127.0.0.1:$port" --mode mix \
    --rate "$rate" --duration "$duration" --out "$out" --seed 1 "$@" >"$out.log" 2>&1 || true
  if [ ! -f "$out/summary.json" ] || grep -q 'Exception' "$out.log"; then
    log "the replay failed or logged an exception:"; tail -30 "$out.log" >&2; exit 1
  fi
}

# figure FILE JSONPATH... -> prints the values from summary.json
figure() {
  python3 - "$@" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
out = []
for path in sys.argv[2:]:
    v = s
    for k in path.split('.'):
        v = v[k]
    out.append(str(v))
print(' '.join(out))
PY
}

case "$what" in
  rate)
    ensure_tools; start_nginx; prepare_store
    for i in 1 2 3; do
      replay_mix 5000/s 30s "$work/rate-$i"
      read -r sent target achieved p50 p99 max dropped <<<"$(figure "$work/rate-$i/summary.json" requests.sent \
        rate.target_per_s rate.achieved_per_s lateness_ms.p50 lateness_ms.p99 lateness_ms.max requests.dropped)"
      echo "rate run $i ($(cut -d' ' -f1-3 /proc/loadavg) load): sent $sent, target $target/s, achieved $achieved/s, lateness p50 $p50 ms p99 $p99 ms max $max ms, dropped $dropped"
    done
    ;;
  throughput)
    ensure_tools; start_nginx; prepare_store
    wrk -t1 -c32 -d10s "http://127.0.0.1:$port/" >"$work/wrk.txt"
    wrk_rate=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
    echo "wrk -t1 -c32 -d10s: $wrk_rate req/s"
    best=0
    top=0
    # step RATE: one 15 s run in mix mode with 32 connections in all (as wrk -t1 -c32) spread over
    # BENCH_LOOPS event loops (default 1); each run is its own JVM with its own warm-up, so no step
    # inherits another's JIT or heap
    loops="${BENCH_LOOPS:-1}"
    step() {
      local rate="$1"
      replay_mix "$rate/s" 15s "$work/tp-$rate" --connections $(( 32 / loops )) --event-loops "$loops"
      read -r achieved p99 dropped errors <<<"$(figure "$work/tp-$rate/summary.json" rate.achieved_per_s \
        lateness_ms.p99 requests.dropped requests.errors)"
      kept=$(python3 -c "print('yes' if $achieved >= 0.99*$rate and $dropped == 0 and $errors == 0 else 'no')")
      ok=$(python3 -c "print('yes' if '$kept' == 'yes' and $p99 < 2 else 'no')")
      echo "reprise mix $rate/s for 15s, $loops loop(s) ($(cut -d' ' -f1-3 /proc/loadavg) load): achieved $achieved/s, lateness p99 $p99 ms, dropped $dropped, errors $errors, rate kept: $kept, lateness p99 < 2 ms: $ok"
    }
    # coarse steps up to the first rate that is not kept with lateness p99 < 2 ms ...
    failed=""
    for rate in ${BENCH_RATES:-10000 20000 30000 40000 50000 60000 70000 80000 90000 100000 110000 120000}; do
      step "$rate"
      if [ "$kept" = yes ]; then top=$rate; fi
      if [ "$ok" = yes ]; then best=$rate; else failed=$rate; break; fi
    done
    # ... then bisect between the last good rate and the first bad one (BENCH_REFINE halvings, default 2)
    if [ -n "$failed" ]; then
      low=$best; high=$failed
      for _ in $(seq 1 "${BENCH_REFINE:-2}"); do
        mid=$(( (low + high) / 2 ))
        step "$mid"
        if [ "$kept" = yes ] && [ "$mid" -gt "$top" ]; then top=$mid; fi
        if [ "$ok" = yes ]; then low=$mid; best=$mid; else high=$mid; fi
      done
    fi
    # when no step failed, the highest step is a lower bound of the generator's ceiling, and says so
    bound=""; if [ -z "$failed" ]; then bound=" (every step passed: a lower bound)"; fi
    echo "highest rate with lateness p99 < 2 ms: $best req/s = $(python3 -c "print(round($best/$wrk_rate, 3))") x wrk$bound"
    echo "highest rate kept within 1% (no drops, no errors): $top req/s = $(python3 -c "print(round($top/$wrk_rate, 3))") x wrk"
    ;;
  soak)
    ensure_tools; start_nginx; prepare_store
    duration="${2:-10m}"
    out="$work/soak"
    reprise --version >/dev/null # build first, so that the pid below is the replay's JVM
    JAVA_OPTS="${JAVA_OPTS:-} -Xlog:gc:file=$work/soak-gc.log" "$root/reprise" --db "$db" replay \
      --target "http://127.0.0.1:$port" --mode mix --rate 2000/s --duration "$duration" --out "$out" >"$out.log" 2>&1 &
    pid=$!
    seconds=$(python3 -c "
import re
t='$duration'; total=0
for v,u in re.findall(r'([0-9.]+)(ms|s|m|h)', t): total += float(v)*{'ms':0.001,'s':1,'m':60,'h':3600}[u]
print(int(total))")
    # live heap (after a full GC, forced by GC.class_histogram) at 1/6, 1/2 and 5/6 of the run: young-GC
    # occupancy alone climbs while promoted garbage waits for a concurrent cycle, and proves nothing
    # (each histogram is kept as $work/soak-histogram-N.txt; the classes that grew most from the first
    # to the last are printed, so that a drift names its cause)
    started=$(date +%s)
    n=0
    for fraction in 6 2 1.2; do
      n=$((n + 1))
      at=$(python3 -c "print($started + 5 + $seconds / $fraction)")
      while kill -0 "$pid" 2>/dev/null && python3 -c "import time,sys; sys.exit(0 if time.time() < $at else 1)"; do sleep 2; done
      if kill -0 "$pid" 2>/dev/null; then
        jcmd "$pid" GC.class_histogram >"$work/soak-histogram-$n.txt" 2>/dev/null || true
        live=$(awk '/^Total/ {printf "%.1f", $3/1048576}' "$work/soak-histogram-$n.txt")
        echo "soak: live heap after full GC at $(( $(date +%s) - started )) s: $live MB"
      fi
    done
    wait "$pid" || true
    if [ -f "$work/soak-histogram-1.txt" ] && [ -f "$work/soak-histogram-3.txt" ]; then
      python3 - "$work/soak-histogram-1.txt" "$work/soak-histogram-3.txt" <<'PY'
import re, sys
def load(path):
    rows = {}
    for line in open(path):
        m = re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)', line)
        if m:
            rows[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return rows
first, last = load(sys.argv[1]), load(sys.argv[2])
growth = sorted(((last[c][1] - first.get(c, (0, 0))[1], last[c][0] - first.get(c, (0, 0))[0], c) for c in last), reverse=True)
print("soak: classes that grew most between the first and the last histogram (bytes, instances):")
for grew, count, name in growth[:8]:
    if grew > 0:
        print("  %+10d B %+8d  %s" % (grew, count, name))
PY
    fi
    python3 - "$work/soak-gc.log" <<'PY'
import re, sys
after = [int(m.group(1)) for m in (re.search(r'->(\d+)M', l) for l in open(sys.argv[1]) if 'Pause Young' in l) if m]
if after:
    n = len(after); third = max(1, n // 3)
    import statistics as st
    print("soak: %d young GCs; occupancy after young GC (median MB) start %s, middle %s, end %s"
          % (n, st.median(after[:third]), st.median(after[third:2*third]), st.median(after[2*third:])))
PY
    read -r sent achieved p99 dropped errors <<<"$(figure "$out/summary.json" requests.sent rate.achieved_per_s \
      lateness_ms.p99 requests.dropped requests.errors)"
    echo "soak $duration at 2000/s: sent $sent, achieved $achieved/s, lateness p99 $p99 ms, dropped $dropped, errors $errors"
    ;;
  cpu)
    ensure_tools; start_nginx; prepare_store
    rate="${2:-10000}"
    shift $(( $# >= 2 ? 2 : $# ))
    [ $# -gt 0 ] || set -- "current=$root/cli/target/reprise.jar"
    reprise --version >/dev/null # builds cli/target/reprise.jar when the sources changed
    python3 "$root/replay/bench/cpu-per-request.py" --db "$db" --target "http://127.0.0.1:$port" --rate "$rate" \
      --duration "${BENCH_DURATION:-14s}" --rounds "${BENCH_ROUNDS:-3}" --work "$work" "$@"
    ;;
  *) echo "usage: $0 rate|throughput|soak [duration]|cpu [rate] [label=jar...]" >&2; exit 2 ;;
esac
echo "bench: work directory $work" >&2

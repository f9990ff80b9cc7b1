#!/usr/bin/env bash
# Ingest speed, side by side with GoAccess, on a generated nginx combined log (issue 3).
#
#   bash ingest/bench/ingest-vs-goaccess.sh            # 2,000,000 lines, 3 runs each
#   LINES=200000 RUNS=1 bash ingest/bench/ingest-vs-goaccess.sh
#   SKIP_GOACCESS=1 RUNS=5 bash ingest/bench/ingest-vs-goaccess.sh   # Reprise only, for quick iteration
#   REPRISE_JAR=/tmp/old.jar bash ingest/bench/ingest-vs-goaccess.sh  # another build (java -jar JAR)
#
# Generates the log with `reprise samples generate`, installs goaccess from the distribution when
# it is absent (apt-get), then alternates: GoAccess parses the log (--log-format=COMBINED, JSON
# report), Reprise ingests it into a fresh store under -Xmx512m. Prints every run and the medians:
# wall-clock lines/s of each whole process, Reprise's own ingest lines/s (from opening the file to
# the commit, as its summary prints), CPU seconds (user+sys), peak heap after GC events (from the
# GC log) and peak RSS, plus the load average (the machine is shared; figures drop when it is busy).
# Writes into BENCH_DIR (default: a new temporary directory); nothing is sent over the network.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
lines="${LINES:-2000000}"
runs="${RUNS:-3}"
skip_goaccess="${SKIP_GOACCESS:-0}"
jar="${REPRISE_JAR:-}"
dir="${BENCH_DIR:-$(mktemp -d /tmp/reprise-bench.XXXXXX)}"
mkdir -p "$dir"

if [ "$skip_goaccess" != 1 ] && ! command -v goaccess >/dev/null 2>&1; then
  echo "installing goaccess (apt-get)..." >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get install -y -qq goaccess >/dev/null 2>&1 \
    || { $sudo_cmd apt-get update -qq >/dev/null && $sudo_cmd apt-get install -y -qq goaccess >/dev/null; }
fi
if [ ! -x /usr/bin/time ]; then
  echo "needs /usr/bin/time (apt-get install time)" >&2
  exit 1
fi

log="$dir/access.log"
if [ ! -f "$log" ] || [ "$(wc -l <"$log")" -ne "$lines" ]; then
  "$root/reprise" samples generate --lines "$lines" --out "$log" >&2
fi
if [ "$skip_goaccess" = 1 ]; then
  g_version="goaccess skipped"
else
  g_version=$(goaccess --version | head -1)
fi
echo "log: $log, $(wc -l <"$log") lines, $(du -h "$log" | cut -f1); $(nproc) cores; $g_version; $(uptime)"
if [ -n "$jar" ]; then
  reprise_cmd=(java -Xmx512m -Xlog:gc:file="$dir/gc.log" -jar "$jar")
else
  reprise_cmd=("$root/reprise")
fi

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
results="$dir/results.tsv"
: >"$results"
for run in $(seq 1 "$runs"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  if [ "$skip_goaccess" = 1 ]; then
    g_wall=0 g_user=0 g_sys=0
  else
    /usr/bin/time -f "%e %U %S %M" -o "$dir/goaccess.time" \
      goaccess "$log" --log-format=COMBINED --no-progress --no-global-config -o "$dir/goaccess.json" >/dev/null 2>&1
    read -r g_wall g_user g_sys _ <"$dir/goaccess.time"
  fi

  rm -f "$dir/store.duckdb" "$dir/store.duckdb.wal"
  JAVA_OPTS="-Xmx512m -Xlog:gc:file=$dir/gc.log" /usr/bin/time -f "%e %U %S %M" -o "$dir/reprise.time" \
    "${reprise_cmd[@]}" ingest nginx "$log" --db "$dir/store.duckdb" >"$dir/reprise.out" 2>&1
  read -r r_wall r_user r_sys r_rss <"$dir/reprise.time"
  r_ingest=$(grep -o '([0-9,]* lines/s)' "$dir/reprise.out" | head -1 | tr -dc '0-9')
  r_heap=$(grep -o '[0-9]*M->' "$dir/gc.log" | tr -dc '0-9\n' | sort -n | tail -1)
  g_rate=$(awk -v l="$lines" -v t="$g_wall" 'BEGIN {printf "%.0f", (t > 0) ? l / t : 0}')
  r_rate=$(awk -v l="$lines" -v t="$r_wall" 'BEGIN {printf "%.0f", l / t}')
  g_cpu=$(awk -v u="$g_user" -v s="$g_sys" 'BEGIN {printf "%.2f", u + s}')
  r_cpu=$(awk -v u="$r_user" -v s="$r_sys" 'BEGIN {printf "%.2f", u + s}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$g_rate" "$g_cpu" "$r_rate" "$r_ingest" "$r_cpu" \
    "${r_heap:-0}" "$((r_rss / 1024))" "$load" "$g_wall" "$r_wall" >>"$results"
  printf 'run %d (load %s): goaccess %s s = %s lines/s (cpu %s s) | reprise %s s = %s lines/s, ingest %s lines/s (cpu %s s, peak heap %s MB, rss %s MB)\n' \
    "$run" "$load" "$g_wall" "$g_rate" "$g_cpu" "$r_wall" "$r_rate" "$r_ingest" "$r_cpu" "${r_heap:-0}" "$((r_rss / 1024))"
done

col() { cut -f"$1" "$results" | median; }
g=$(col 1); r=$(col 3); ri=$(col 4)
echo "median of $runs: goaccess $g lines/s (cpu $(col 2) s) | reprise $r lines/s whole process, $ri lines/s ingest (cpu $(col 5) s)," \
  "peak heap $(cut -f6 "$results" | sort -n | tail -1) MB (max), rss $(col 7) MB"
[ "$skip_goaccess" = 1 ] || awk -v r="$r" -v ri="$ri" -v g="$g" 'BEGIN {printf "reprise / goaccess: %.1fx (whole process), %.1fx (ingest)\n", r / g, ri / g}'

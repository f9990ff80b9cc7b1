#!/usr/bin/env python3
"""CPU cost per request of Reprise's replay, side by side for several jars, at one fixed rate.

Maximum-rate figures swing with whatever else runs on the machine; the CPU time the generator spends
per request at a rate it can keep does not (much): it is what the event loop and the whole JVM burn,
not how much of a core they were given. For each jar in turn (alternating, ROUNDS times, so that all
variants see the same load), runs

    java JAVA_OPTS -jar JAR --db DB replay --mode mix --rate RATE/s --duration DURATION ... --event-loops 1

against TARGET, samples utime+stime of every Vert.x event-loop thread and of the whole process from
/proc every 0.1 s, and takes the run's loop (the event-loop thread that used the most CPU: start-up
and the warm-up rounds have their own, short-lived) from 2 s into the run to 2 s before its end. Prints, per run and as medians per jar: event-loop CPU µs per request, process CPU µs per
request (GC, JIT, reporter included), achieved rate and lateness p99 from summary.json.

    cpu-per-request.py --db bench.duckdb --target http://127.0.0.1:18080 --rate 10000 \
        --duration 14s --rounds 3 --work /tmp/w base=old.jar new=cli/target/reprise.jar
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(stat_path):
    """utime + stime of a process or thread, in seconds (fields 14 and 15 of /proc/.../stat)."""
    with open(stat_path) as f:
        text = f.read()
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def compiler_cpu_seconds(pid):
    """CPU seconds of the JIT compiler threads (C1, C2) alive now."""
    total = 0.0
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except (FileNotFoundError, ProcessLookupError):
        return total
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                if "CompilerThre" in f.read():
                    total += cpu_seconds(f"/proc/{pid}/task/{tid}/stat")
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def event_loop_threads(pid):
    """{tid: name} of the process's Vert.x event-loop threads that are alive now."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except (FileNotFoundError, ProcessLookupError):
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread ended meanwhile
        if name.startswith("vert.x-eventloo"):
            out[int(tid)] = name
    return out


def seconds(text):
    return sum(float(v) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[u]
               for v, u in re.findall(r"([0-9.]+)(ms|s|m|h)", text))


def measure(label, jar, args, run_no):
    out = os.path.join(args.work, f"cpu-{label}-{run_no}")
    subprocess.run(["rm", "-rf", out], check=True)
    cmd = ["java"] + args.java_opts.split() + ["-jar", jar, "--db", args.db, "replay", "--target", args.target,
           "--mode", "mix", "--rate", f"{args.rate}/s", "--duration", args.duration, "--out", out,
           "--seed", "1", "--connections", str(args.connections), "--event-loops", "1"] + args.extra.split()
    log = open(out + ".log", "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    duration = seconds(args.duration)
    # Every 0.1 s: the CPU time of each live event-loop thread and of the process. Start-up and the
    # warm-up rounds run their own short-lived Vert.x instances; the run's loop is the event-loop thread
    # that used the most CPU. Its window: from 2 s after it appeared to 2 s before the run's end.
    first_seen = {}
    history = []  # (time, {tid: cpu}, process cpu, compiler threads cpu)
    try:
        while proc.poll() is None:
            now = time.time()
            loops = {}
            for tid in event_loop_threads(proc.pid):
                first_seen.setdefault(tid, now)
                try:
                    loops[tid] = cpu_seconds(f"/proc/{proc.pid}/task/{tid}/stat")
                except (FileNotFoundError, ProcessLookupError):
                    pass
            try:
                history.append((now, loops, cpu_seconds(f"/proc/{proc.pid}/stat"), compiler_cpu_seconds(proc.pid)))
            except (FileNotFoundError, ProcessLookupError):
                break
            time.sleep(0.1)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    last_cpu = {}
    for _, loops, _, _ in history:
        last_cpu.update(loops)
    run_tid = max(last_cpu, key=last_cpu.get)
    begin = first_seen[run_tid] + 2
    end = first_seen[run_tid] + 0.2 + duration - 2
    window = [h for h in history if begin <= h[0] <= end and run_tid in h[1]]
    if len(window) < 2:
        seen = {tid: round(t - history[0][0], 1) for tid, t in first_seen.items()}
        sys.exit(f"{label}: too few samples of the run's event loop {run_tid} (event loops first seen at {seen} s; "
                 f"see {out}.log)")
    t0, loops0, proc0, jit0 = window[0]
    t1, loops1, proc1, jit1 = window[-1]
    loop0, loop1 = loops0[run_tid], loops1[run_tid]
    with open(os.path.join(out, "summary.json")) as f:
        s = json.load(f)
    requests = s["rate"]["achieved_per_s"] * (t1 - t0)
    r = {
        "loop_us": (loop1 - loop0) * 1e6 / requests,
        "proc_us": (proc1 - proc0) * 1e6 / requests,
        "jit_us": (jit1 - jit0) * 1e6 / requests,
        "achieved": s["rate"]["achieved_per_s"],
        "late_p99": s["lateness_ms"]["p99"],
        "dropped": s["requests"]["dropped"],
        "errors": s["requests"]["errors"],
        "load": open("/proc/loadavg").read().split()[0],
    }
    print(f"{label} run {run_no} (load {r['load']}): event loop {r['loop_us']:.1f} µs/request, process "
          f"{r['proc_us']:.1f} µs/request (JIT compiler threads {r['jit_us']:.1f}), achieved {r['achieved']}/s, lateness p99 {r['late_p99']} ms, "
          f"dropped {r['dropped']}, errors {r['errors']}", flush=True)
    return r


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--rate", type=int, default=10000)
    p.add_argument("--duration", default="14s")
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--work", required=True)
    p.add_argument("--java-opts", default=os.environ.get("JAVA_OPTS", ""))
    p.add_argument("--extra", default="", help="more replay options, e.g. '--pipelining 4'")
    p.add_argument("jars", nargs="+", help="label=path/to/reprise.jar")
    args = p.parse_args()
    variants = [j.split("=", 1) for j in args.jars]
    results = {label: [] for label, _ in variants}
    for run_no in range(1, args.rounds + 1):
        for label, jar in variants:
            results[label].append(measure(label, jar, args, run_no))
    base = statistics.median(r["loop_us"] for r in results[variants[0][0]])
    base_proc = statistics.median(r["proc_us"] for r in results[variants[0][0]])
    for label, _ in variants:
        loop = statistics.median(r["loop_us"] for r in results[label])
        proc = statistics.median(r["proc_us"] for r in results[label])
        jit = statistics.median(r["jit_us"] for r in results[label])
        print(f"median {label} at {args.rate}/s: event loop {loop:.1f} µs/request ({loop / base:.2f}x "
              f"{variants[0][0]}), process {proc:.1f} µs/request ({proc / base_proc:.2f}x {variants[0][0]})")


if __name__ == "__main__":
    main()

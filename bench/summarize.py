#!/usr/bin/env python3
"""Summaries of bench/run's raw results.

    summarize.py DIR            DIR/results.jsonl -> DIR/summary.json, DIR/summary.md
    summarize.py --line FILE    one progress line for the last record of FILE
    summarize.py --parse-wrk    wrk's text output on stdin -> one JSON object

Medians are taken per metric over the repetitions of one (system, N) point.
Losses (connect failures, deliveries missing) are summed over repetitions:
one lost delivery in any repetition is a loss.
"""
import json
import re
import statistics
import sys
from collections import defaultdict

GROUPS = ("nginx", "workers", "redis")
VOTE_FANOUT_N = 2000  # bench/run's VOTE_FANOUT_N


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def rss_per_sub(rec):
    """KiB per connected subscriber, per group and in total (connected - before)."""
    c = rec.get("client") or {}
    rss = c.get("rss") or {}
    by_pid = {p["pid"]: p for p in rss.get("pids", [])}
    n = c.get("n_connected") or 0
    out = {}
    total = 0.0
    for g in GROUPS:
        kib = 0
        for pid in rec.get("groups", {}).get(g, []):
            p = by_pid.get(pid)
            if p and p["before_kib"] >= 0 and p["connected_kib"] >= 0:
                kib += p["connected_kib"] - p["before_kib"]
        out[g] = kib / n if n else None
        total += kib
    out["total"] = total / n if n else None
    return out


def cpu_split(rec):
    """CPU of each group: ms per subscriber while connecting, and µs per delivery
    from "all connected" to the end (20 publishes + drain); plus how busy the
    whole machine was in that second phase (% of all CPUs)."""
    cpu = rec.get("cpu") or {}
    b, c, e = cpu.get("before"), cpu.get("connected"), cpu.get("end")
    if not (b and c and e):
        return None
    tick_ms = 1000.0 / cpu.get("hz", 100)
    cl = rec.get("client") or {}
    n = cl.get("n_connected") or 0
    got = cl.get("deliveries_received") or 0
    out = {}
    for g in GROUPS:
        pids = [str(p) for p in rec.get("groups", {}).get(g, [])]
        conn = sum(c.get(p, 0) - b.get(p, 0) for p in pids if p in b and p in c) * tick_ms
        pub = sum(e.get(p, 0) - c.get(p, 0) for p in pids if p in c and p in e) * tick_ms
        out[g] = {"connect_ms": conn, "publish_ms": pub}
    tot_pub = sum(v["publish_ms"] for v in out.values())
    tot_conn = sum(v["connect_ms"] for v in out.values())
    out["connect_ms_per_1k_subs"] = tot_conn / n * 1000 if n else None
    out["publish_us_per_delivery"] = tot_pub * 1000 / got if got else None
    out["workers_us_per_delivery"] = out["workers"]["publish_ms"] * 1000 / got if got else None
    out["nginx_us_per_delivery"] = out["nginx"]["publish_ms"] * 1000 / got if got else None
    dt_s = (e.get("t_us", 0) - c.get("t_us", 0)) / 1e6
    ncpu = c.get("ncpu") or 2
    if dt_s > 0:
        busy = (e.get("machine", 0) - c.get("machine", 0)) * tick_ms / 1000
        out["machine_busy_pct"] = 100 * busy / (dt_s * ncpu)
        out["others_busy_pct"] = 100 * (busy - tot_pub / 1000) / (dt_s * ncpu)
    return out


def fanout_metrics(rec):
    c = rec.get("client") or {}
    lat = c.get("latency_ms") or {}
    errs = c.get("errors") or {}
    n = rec["n"]
    pubs = c.get("publishes") or 20
    expected = n * pubs
    received = c.get("deliveries_received") or 0
    rss = rss_per_sub(rec) if c else {g: None for g in GROUPS + ("total",)}
    return {
        "p50": lat.get("p50"),
        "p99": lat.get("p99"),
        "max": lat.get("max"),
        "fanout_p99": (c.get("fanout_ms") or {}).get("p99"),
        "pub_p50": (c.get("publish_rtt_ms") or {}).get("p50"),
        "pub_p99": (c.get("publish_rtt_ms") or {}).get("p99"),
        "connected": c.get("n_connected") or 0,
        "connect_failed": n - (c.get("n_connected") or 0),
        "received": received,
        "expected": expected,
        "publish_failed": errs.get("publish_failed", 0) if c else pubs,
        "connect_s": c.get("connect_s"),
        "timed_out": c.get("timed_out", True) if c else True,
        "rss": rss,
        "cpu": cpu_split(rec) or {},
    }


def fmt(x, nd=1):
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:,.{nd}f}"
    return f"{x:,}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def parse_wrk(text):
    r = {"rps": None, "requests": None, "non2xx": 0, "socket_errors": 0, "latency_ms": {}}

    def ms(v, unit):
        return float(v) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]

    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if m:
        r["rps"] = float(m.group(1))
    m = re.search(r"(\d+) requests in", text)
    if m:
        r["requests"] = int(m.group(1))
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    if m:
        r["non2xx"] = int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        r["socket_errors"] = sum(int(g) for g in m.groups())
    for pct, v, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M):
        r["latency_ms"]["p" + pct] = round(ms(v, unit), 3)
    return r


def load(path):
    recs = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                try:
                    recs.append(json.loads(line))
                except ValueError:
                    pass
    return recs


def storm_cpu(rec):
    """Server CPU (ms) of each group from the drop to "caught up". The pids
    are those before the drop and after it (restarted workers, new nginx
    workers or a new nginx): a process that ended in between counts up to
    the drop, except nginx workers reaped by their master, which bench/run
    adds to the master's (cutime + cstime)."""
    cpu = rec.get("cpu") or {}
    d, e = cpu.get("drop"), cpu.get("caught_up")
    if not (d and e):
        return None
    tick_ms = 1000.0 / cpu.get("hz", 100)
    before, after = rec.get("groups_before") or {}, rec.get("groups_after") or {}
    out = {}
    for g in GROUPS:
        pids = {str(p) for p in before.get(g, []) + after.get(g, [])}
        out[g + "_ms"] = sum(e.get(p, d.get(p, 0)) - d.get(p, 0) for p in pids) * tick_ms
    out["total_ms"] = sum(out[g + "_ms"] for g in GROUPS)
    dt_s = (e.get("t_us", 0) - d.get("t_us", 0)) / 1e6
    out["window_s"] = dt_s
    ncpu = d.get("ncpu") or 2
    if dt_s > 0:
        busy = (e.get("machine", 0) - d.get("machine", 0)) * tick_ms / 1000
        out["others_busy_pct"] = 100 * (busy - out["total_ms"] / 1000) / (dt_s * ncpu)
    return out


def upstream_errors(errs):
    """nginx error-log lines about upstreams (failed connects, early closes,
    timeouts, "no live upstreams"): each is a try that failed, after which
    nginx passed the request to the next worker or answered 502/504."""
    return sum(v for k, v in (errs or {}).items() if "upstream" in k.lower())


def summed_errors(rs):
    errs = defaultdict(int)
    for r in rs:
        for k, v in (r.get("nginx_errors") or {}).items():
            errs[k] += v
    return dict(errs)


def storm_metrics(rec):
    c = rec.get("client") or {}
    cpu = storm_cpu(rec) or {}
    dropped = c.get("dropped") or 0
    rm = c.get("reconnect_ms") or {}
    return {
        "dropped": dropped,
        "n_ready": c.get("n_ready"),
        "signal_to_drop_ms": c.get("signal_to_drop_ms"),
        "caught_up_ms": c.get("caught_up_ms"),
        "caught_up": bool(c.get("all_caught_up")),
        "reconnect_p50": rm.get("p50") if dropped else None,
        "reconnect_p99": rm.get("p99") if dropped else None,
        "attempts": c.get("reconnect_attempts"),
        "connect_failures": c.get("connect_failures") or 0,
        "never_back": c.get("never_came_back", 0) if c else None,
        "missing": c.get("missing", 0) if c else None,
        "duplicates": c.get("duplicates", 0) if c else None,
        "resets": c.get("resets", 0) if c else 0,
        "publish_failed": c.get("publish_failed", 0) if c else 0,
        "cpu": cpu,
        "cpu_ms_per_1k_dropped": cpu["total_ms"] / dropped * 1000 if cpu and dropped else None,
        "upstream_errors": upstream_errors(rec.get("nginx_errors")),
    }


def progress_line(path):
    recs = load(path)
    if not recs:
        return
    r = recs[-1]
    if r.get("kind") == "storm":
        m = storm_metrics(r)
        print(f"    {r['scenario']} N={r['n']} rep {r['rep']}: dropped {m['dropped']}, "
              f"caught up {fmt(m['caught_up_ms'])} ms after the drop "
              f"(signal → drop {fmt(m['signal_to_drop_ms'])} ms), reconnect p50/p99 "
              f"{fmt(m['reconnect_p50'])}/{fmt(m['reconnect_p99'])} ms, attempts {m['attempts']}, "
              f"connect failures {m['connect_failures']}, never back {m['never_back']}, missing {m['missing']}, "
              f"duplicates {m['duplicates']}, server CPU {fmt(m['cpu'].get('total_ms'), 0)} ms")
        return
    m = fanout_metrics(r)
    print(f"    {r['system']} N={r['n']} rep {r['rep']}: p50 {fmt(m['p50'])} p99 {fmt(m['p99'])} "
          f"max {fmt(m['max'])} ms, delivered {m['received']:,}/{m['expected']:,}, "
          f"connect failures {m['connect_failed']}, RSS {fmt(m['rss']['total'], 2)} KiB/sub, "
          f"publish p99 {fmt(m['pub_p99'])} ms, nginx errors {sum(r.get('nginx_errors', {}).values())}")


def summarize(d):
    recs = load(f"{d}/results.jsonl")
    try:
        machine = json.load(open(f"{d}/machine.json"))
    except (OSError, ValueError):
        machine = {}

    # --- fan-out
    points = defaultdict(list)
    for r in recs:
        if r.get("kind") == "fanout":
            points[(r["system"], r["n"])].append(r)
    fan = {}
    for (sysname, n), rs in sorted(points.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        ms = [fanout_metrics(r) for r in rs]
        errs = defaultdict(int)
        for r in rs:
            for k, v in (r.get("nginx_errors") or {}).items():
                errs[k] += v
        fan.setdefault(str(n), {})[sysname] = {
            "reps": len(rs),
            "nginx_workers": rs[0].get("nginx_workers"),
            "workers": rs[0].get("workers"),
            "p50": median([m["p50"] for m in ms]),
            "p99": median([m["p99"] for m in ms]),
            "max": median([m["max"] for m in ms]),
            "fanout_p99": median([m["fanout_p99"] for m in ms]),
            "pub_p50": median([m["pub_p50"] for m in ms]),
            "pub_p99": median([m["pub_p99"] for m in ms]),
            "connect_s": median([m["connect_s"] for m in ms]),
            "received": sum(m["received"] for m in ms),
            "expected": sum(m["expected"] for m in ms),
            "connect_failed": sum(m["connect_failed"] for m in ms),
            "publish_failed": sum(m["publish_failed"] for m in ms),
            "timed_out": sum(1 for m in ms if m["timed_out"]),
            "rss": {g: median([m["rss"][g] for m in ms]) for g in GROUPS + ("total",)},
            "cpu_us_per_delivery": median([m["cpu"].get("publish_us_per_delivery") for m in ms]),
            "cpu_workers_us_per_delivery": median([m["cpu"].get("workers_us_per_delivery") for m in ms]),
            "cpu_nginx_us_per_delivery": median([m["cpu"].get("nginx_us_per_delivery") for m in ms]),
            "cpu_connect_ms_per_1k": median([m["cpu"].get("connect_ms_per_1k_subs") for m in ms]),
            "machine_busy_pct": median([m["cpu"].get("machine_busy_pct") for m in ms]),
            "others_busy_pct": median([m["cpu"].get("others_busy_pct") for m in ms]),
            "loadavg_before": median([r.get("loadavg_before") for r in rs]),
            "per_rep_p99": [m["p99"] for m in ms],
            "nginx_errors": dict(errs),
        }

    # --- wrk
    wrk = defaultdict(list)
    for r in recs:
        if r.get("kind") == "wrk":
            wrk[r["target"]].append(r["result"])
    wrk_sum = {}
    for t, rs in wrk.items():
        wrk_sum[t] = {
            "reps": len(rs),
            "rps": median([x["rps"] for x in rs]),
            "p50": median([x["latency_ms"].get("p50") for x in rs]),
            "p99": median([x["latency_ms"].get("p99") for x in rs]),
            "non2xx": sum(x["non2xx"] for x in rs),
            "socket_errors": sum(x["socket_errors"] for x in rs),
            "per_rep_rps": [x["rps"] for x in rs],
        }

    # --- long-poll
    lps = defaultdict(list)
    for r in recs:
        if r.get("kind") == "longpoll":
            lps[(r["system"], r["n"])].append(r)
    lp = {}
    for (sysname, n), rs in sorted(lps.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        ms = [fanout_metrics(r) for r in rs]
        lp.setdefault(str(n), {})[sysname] = {
            "reps": len(rs),
            "p50": median([m["p50"] for m in ms]),
            "p99": median([m["p99"] for m in ms]),
            "max": median([m["max"] for m in ms]),
            "pub_p99": median([m["pub_p99"] for m in ms]),
            "received": sum(m["received"] for m in ms),
            "expected": sum(m["expected"] for m in ms),
            "connect_failed": sum(m["connect_failed"] for m in ms),
            "polls": median([(r.get("client") or {}).get("polls") for r in rs]),
            "rss_total": median([m["rss"]["total"] for m in ms]),
            "upstream_errors": sum(upstream_errors(r.get("nginx_errors")) for r in rs),
            "retried": sum((r.get("access") or {}).get("retried", 0) for r in rs),
            "status_5xx": sum((r.get("access") or {}).get("status_5xx", 0) for r in rs),
            "nginx_errors": summed_errors(rs),
        }

    # --- reconnect storm
    sts = defaultdict(list)
    for r in recs:
        if r.get("kind") == "storm":
            sts[(r["scenario"], r["n"])].append(r)
    storm = {}
    for (scen, n), rs in sorted(sts.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        ms = [storm_metrics(r) for r in rs]
        errs = defaultdict(int)
        for r in rs:
            for k, v in (r.get("nginx_errors") or {}).items():
                errs[k] += v
        storm.setdefault(str(n), {})[scen] = {
            "system": rs[0]["system"],
            "reps": len(rs),
            "reps_caught_up": sum(1 for m in ms if m["caught_up"]),
            "nginx_workers": rs[0].get("nginx_workers"),
            "workers": rs[0].get("workers"),
            "dropped": median([m["dropped"] for m in ms]),
            "signal_to_drop_ms": median([m["signal_to_drop_ms"] for m in ms]),
            "caught_up_ms": median([m["caught_up_ms"] for m in ms]),
            "reconnect_p50": median([m["reconnect_p50"] for m in ms]),
            "reconnect_p99": median([m["reconnect_p99"] for m in ms]),
            "attempts": median([m["attempts"] for m in ms]),
            "connect_failures": sum(m["connect_failures"] for m in ms),
            "never_back": sum(m["never_back"] or 0 for m in ms),
            "missing": sum(m["missing"] if m["missing"] is not None else 1 for m in ms),
            "duplicates": sum(m["duplicates"] or 0 for m in ms),
            "resets": sum(m["resets"] for m in ms),
            "publish_failed": sum(m["publish_failed"] for m in ms),
            "cpu_total_ms": median([m["cpu"].get("total_ms") for m in ms]),
            "cpu_nginx_ms": median([m["cpu"].get("nginx_ms") for m in ms]),
            "cpu_workers_ms": median([m["cpu"].get("workers_ms") for m in ms]),
            "cpu_redis_ms": median([m["cpu"].get("redis_ms") for m in ms]),
            "cpu_ms_per_1k_dropped": median([m["cpu_ms_per_1k_dropped"] for m in ms]),
            "cpu_window_s": median([m["cpu"].get("window_s") for m in ms]),
            "others_busy_pct": median([m["cpu"].get("others_busy_pct") for m in ms]),
            "upstream_errors": sum(m["upstream_errors"] for m in ms),
            "loadavg_before": median([r.get("loadavg_before") for r in rs]),
            "per_rep_caught_up_ms": [m["caught_up_ms"] for m in ms],
            "nginx_errors": dict(errs),
        }

    # --- votes (issue 11): the storm alone, and fan-out without / with it
    storms = [r.get("votes") for r in recs if r.get("kind") == "votes" and r.get("votes")]
    vf = {False: [], True: []}
    for r in recs:
        if r.get("kind") == "votes_fanout" and r.get("client"):
            vf[bool(r.get("storm"))].append(r)
    votes = None
    if storms:
        def vmed(key):
            return median([(s.get("votes") or {}).get("latency_ms", {}).get(key) for s in storms])
        votes = {
            "reps": len(storms),
            "voters": storms[0].get("voters"),
            "window_s": storms[0].get("window_s"),
            "sent": sum(s["votes"]["sent"] for s in storms),
            "ok": sum(s["votes"]["ok"] for s in storms),
            "already_voted": sum(s["votes"]["already_voted"] for s in storms),
            "errors": sum(s["votes"]["errors"] for s in storms),
            "exactly_once": sum(1 for s in storms if s.get("exactly_once")),
            "p50": vmed("p50"), "p90": vmed("p90"), "p99": vmed("p99"), "max": vmed("max"),
            "frames": median([s["poll_frames"]["count"] for s in storms]),
            "min_gap_ms": min((s["poll_frames"]["min_gap_ms"] for s in storms
                               if s["poll_frames"]["min_gap_ms"] is not None), default=None),
            "max_per_second": max(s["poll_frames"]["max_per_rolling_second"] for s in storms),
        }
        for storm_on in (False, True):
            ms = [fanout_metrics(r) for r in vf[storm_on]]
            key = "with_storm" if storm_on else "without_storm"
            votes[key] = None if not ms else {
                "reps": len(ms), "p50": median([m["p50"] for m in ms]), "p99": median([m["p99"] for m in ms]),
                "received": sum(m["received"] for m in ms), "expected": sum(m["expected"] for m in ms)}

    # --- console (issue 11)
    cons = [r.get("result") for r in recs if r.get("kind") == "console" and r.get("result")]
    console = cons[-1] if cons else None

    # --- targets
    targets = []

    def target(name, value, limit, ok, note=""):
        targets.append({"target": name, "value": value, "limit": limit, "met": ok, "note": note})

    for n in ("10000", "19980"):
        p = fan.get(n, {})
        pal = p.get("palabre")
        for other in ("nchan", "floor"):
            o = p.get(other)
            rt = ratio(pal and pal["p99"], o and o["p99"])
            target(f"fan-out p99 at {int(n):,}: palabre / {other}", rt, "≤ 1.0×",
                   None if rt is None else rt <= 1.0,
                   "" if rt is None else f"{fmt(pal['p99'])} ms vs {fmt(o['p99'])} ms")
    p = fan.get("40000", {}).get("palabre")
    if p:
        lost = p["expected"] - p["received"]
        target("40,000 subscribers: lost connects and deliveries", f"{p['connect_failed']} / {lost}", "0 / 0",
               p["connect_failed"] == 0 and lost == 0, f"{p['reps']} rep(s)")
    else:
        target("40,000 subscribers: lost connects and deliveries", None, "0 / 0", None, "not run")
    for n in sorted(fan, key=int):
        pal, nch = fan[n].get("palabre"), fan[n].get("nchan")
        rt = ratio(pal and pal["rss"]["total"], nch and nch["rss"]["total"])
        target(f"RSS per subscriber at {int(n):,}: palabre / nchan", rt, "≤ 1.1×",
               None if rt is None else rt <= 1.1,
               "" if rt is None else f"{fmt(pal['rss']['total'], 2)} vs {fmt(nch['rss']['total'], 2)} KiB")
    pal = fan.get("10000", {}).get("palabre")
    target("publish → 2xx p99 at 10,000", pal and pal["pub_p99"], "≤ 20 ms",
           None if not pal or pal["pub_p99"] is None else pal["pub_p99"] <= 20.0,
           "" if not pal else f"{fmt(pal['pub_p99'])} ms")
    ge, b = wrk_sum.get("get_event"), wrk_sum.get("bench204")
    rt = ratio(ge and ge["rps"], b and b["rps"])
    target("GET /api/events/{id} / nginx return 204 (req/s)", rt, "≥ 0.5×", None if rt is None else rt >= 0.5,
           "" if rt is None else f"{fmt(ge['rps'], 0)} vs {fmt(b['rps'], 0)} req/s")

    for n in ("5000", "10000"):
        pal, nch = lp.get(n, {}).get("palabre"), lp.get(n, {}).get("nchan")
        rt = ratio(pal and pal["p99"], nch and nch["p99"])
        target(f"long-poll p99 at {int(n):,}: palabre / nchan", rt, "≤ 1.0×", None if rt is None else rt <= 1.0,
               "not run" if rt is None else f"{fmt(pal['p99'])} ms vs {fmt(nch['p99'])} ms")
    for n in sorted(lp, key=int):
        pal = lp[n].get("palabre")
        if not pal:
            continue
        lost = pal["expected"] - pal["received"]
        target(f"long-poll at {int(n):,}: lost clients and deliveries", f"{pal['connect_failed']} / {lost}", "0 / 0",
               pal["connect_failed"] == 0 and lost == 0, f"{pal['reps']} rep(s)")
        target(f"long-poll at {int(n):,}: upstream errors/retries in nginx's error log", pal["upstream_errors"], "0",
               pal["upstream_errors"] == 0,
               f"access log: {pal['retried']:,} request(s) passed to a second worker, {pal['status_5xx']:,} 5xx")
    for n in sorted(storm, key=int):
        for scen, x in sorted(storm[n].items()):
            if x["system"] != "palabre":
                continue
            lost = x["missing"] + x["never_back"]
            target(f"reconnect storm {scen} at {int(n):,}: lost / duplicated", f"{lost} / {x['duplicates']}", "0 / 0",
                   lost == 0 and x["duplicates"] == 0 and x["reps_caught_up"] == x["reps"],
                   f"{x['reps_caught_up']} of {x['reps']} rep(s) caught up; never came back: {x['never_back']}")

    if votes:
        target(f"vote storm ({votes['voters']:,} visitors, {votes['window_s']} s): every vote counted exactly once",
               f"{votes['exactly_once']} of {votes['reps']}", "every rep", votes["exactly_once"] == votes["reps"],
               f"{votes['ok']:,} counted, {votes['already_voted']:,} double submits refused, {votes['errors']} errors")
        target("vote → 2xx p99", votes["p99"], "≤ 50 ms", None if votes["p99"] is None else votes["p99"] <= 50.0,
               f"p50 {fmt(votes['p50'])} ms")
        target("poll frames: at most one a second", votes["min_gap_ms"], "≥ 950 ms between two",
               None if votes["min_gap_ms"] is None else votes["min_gap_ms"] >= 950,
               f"{votes['frames']} frames a storm; at most {votes['max_per_second']} in any second")
        w, wo = votes.get("with_storm"), votes.get("without_storm")
        rt = ratio(w and w["p99"], wo and wo["p99"])
        target(f"fan-out p99 to {VOTE_FANOUT_N:,} subscribers during the storm / without", rt, "≤ 1.25×",
               None if rt is None else rt <= 1.25,
               "" if rt is None else f"{fmt(w['p99'])} vs {fmt(wo['p99'])} ms; delivered "
               f"{w['received']:,}/{w['expected']:,} and {wo['received']:,}/{wo['expected']:,}")

    if console:
        for key, what in (("render_ms", "draw"), ("filter_ms", "filter (typing → painted)")):
            m = console[key]["median"]
            target(f"console with {console['questions']} pending questions: {what}, median", m, "< 200 ms",
                   None if m is None else m < 200, f"max {fmt(console[key]['max'])} ms over {console['loads']} loads")

    summary = {"machine": machine, "fanout": fan, "wrk": wrk_sum, "longpoll": lp, "storm": storm,
               "votes": votes, "console": console, "targets": targets}
    json.dump(summary, open(f"{d}/summary.json", "w"), indent=1)

    # --- markdown
    L = []
    L.append(f"# Fan-out benchmark — {d.rstrip('/').split('/')[-1]}\n")
    if machine:
        L.append(f"Commit {machine.get('commit')}; {machine.get('cpus')} CPUs ({machine.get('cpu')}), "
                 f"{machine.get('mem_gib')} GiB, kernel {machine.get('kernel')}; {machine.get('nginx')}, "
                 f"Nchan {machine.get('nchan')}, {machine.get('redis', '').split(' sha=')[0]}.\n")
    if fan:
        L.append("## Fan-out (medians over repetitions; losses summed)\n")
        L.append("Latency = publish sent → frame received by the subscriber. RSS = KiB per subscriber "
                 "(all processes of the group, all connected − idle before connecting).\n")
        L.append("| N | system | reps | nginx w. | workers | p50 ms | p99 ms | max ms | delivered / expected | "
                 "connect failures | publish→2xx p50 / p99 ms | RSS nginx | RSS workers | RSS Redis | RSS total |")
        L.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for n in sorted(fan, key=int):
            for s in ("palabre", "nchan", "floor"):
                x = fan[n].get(s)
                if not x:
                    continue
                L.append(f"| {int(n):,} | {s} | {x['reps']} | {x['nginx_workers']} | {x['workers']} | {fmt(x['p50'])} | "
                         f"{fmt(x['p99'])} | {fmt(x['max'])} | {x['received']:,} / {x['expected']:,} | "
                         f"{x['connect_failed']} | {fmt(x['pub_p50'])} / {fmt(x['pub_p99'])} | "
                         f"{fmt(x['rss']['nginx'], 2)} | {fmt(x['rss']['workers'], 2)} | {fmt(x['rss']['redis'], 2)} | "
                         f"{fmt(x['rss']['total'], 2)} |")
        L.append("")
        L.append("### Ratios (palabre ÷ other, medians)\n")
        L.append("| N | p99 ÷ nchan | p99 ÷ floor | RSS total ÷ nchan | RSS total ÷ floor |")
        L.append("|---|---|---|---|---|")
        for n in sorted(fan, key=int):
            pal = fan[n].get("palabre")
            if not pal:
                continue
            cells = []
            for key, other in (("p99", "nchan"), ("p99", "floor"), ("rss", "nchan"), ("rss", "floor")):
                o = fan[n].get(other)
                if key == "p99":
                    cells.append(fmt(ratio(pal["p99"], o and o["p99"]), 2) + "×")
                else:
                    cells.append(fmt(ratio(pal["rss"]["total"], o and o["rss"]["total"]), 2) + "×")
            L.append(f"| {int(n):,} | " + " | ".join(cells) + " |")
        L.append("")
    if any(x.get("cpu_us_per_delivery") is not None for n in fan for x in fan[n].values()):
        L.append("### CPU (medians): what each system spends, whatever else runs on the machine\n")
        L.append("µs/delivery = CPU of all server processes (nginx + workers + Redis) from \"all connected\" to the "
                 "end, ÷ deliveries; connect = CPU while the N subscribers connect, per 1,000. \"other load\" = "
                 "share of both CPUs used by processes outside the system under test in that phase "
                 "(ssefan included).\n")
        L.append("| N | system | µs/delivery total | of which nginx | of which workers | connect ms / 1k subs | "
                 "other load % | loadavg before |")
        L.append("|---|---|---|---|---|---|---|---|")
        for n in sorted(fan, key=int):
            for s_ in ("palabre", "nchan", "floor"):
                x = fan[n].get(s_)
                if not x:
                    continue
                L.append(f"| {int(n):,} | {s_} | {fmt(x.get('cpu_us_per_delivery'), 2)} | "
                         f"{fmt(x.get('cpu_nginx_us_per_delivery'), 2)} | {fmt(x.get('cpu_workers_us_per_delivery'), 2)} | "
                         f"{fmt(x.get('cpu_connect_ms_per_1k'), 1)} | {fmt(x.get('others_busy_pct'), 0)} | "
                         f"{fmt(x.get('loadavg_before'), 2)} |")
        L.append("")
    errs_any = [(n, s, x["nginx_errors"]) for n in fan for s, x in fan[n].items() if x["nginx_errors"]]
    if errs_any:
        L.append("### nginx error log lines during fan-out (summed over reps)\n")
        for n, s, e in errs_any:
            for k, v in sorted(e.items(), key=lambda kv: -kv[1])[:5]:
                L.append(f"- N={int(n):,} {s}: {v} × `{k}`")
        L.append("")
    if wrk_sum:
        L.append("## wrk (2 threads, 64 connections; Palabre's default sizing: 2 nginx workers, 2 palabre-workers)\n")
        L.append("| request | reps | req/s (median) | ÷ return 204 | p50 ms | p99 ms | non-2xx | socket errors |")
        L.append("|---|---|---|---|---|---|---|---|")
        base = wrk_sum.get("bench204", {}).get("rps")
        names = {"bench204": "nginx `return 204`", "get_event": "`GET /api/events/{id}`",
                 "post_question": "`POST /api/events/{id}/questions`"}
        for t in ("bench204", "get_event", "post_question"):
            x = wrk_sum.get(t)
            if not x:
                continue
            L.append(f"| {names[t]} | {x['reps']} | {fmt(x['rps'], 0)} | {fmt(ratio(x['rps'], base), 3)}× | "
                     f"{fmt(x['p50'], 2)} | {fmt(x['p99'], 2)} | {x['non2xx']} | {x['socket_errors']} |")
        L.append("")
    if lp:
        L.append("## Long-poll (medians; losses summed)\n")
        L.append("\"upstream errors\" = nginx error-log lines about an upstream (summed over reps); "
                 "\"retried\" = requests nginx passed to more than one worker (access log).\n")
        L.append("| N | system | reps | p50 ms | p99 ms | max ms | delivered / expected | connect failures | "
                 "polls | publish→2xx p99 ms | RSS total KiB/client | upstream errors | retried | 5xx |")
        L.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for n in sorted(lp, key=int):
            for s in ("palabre", "nchan"):
                x = lp[n].get(s)
                if not x:
                    continue
                L.append(f"| {int(n):,} | {s} | {x['reps']} | {fmt(x['p50'])} | {fmt(x['p99'])} | {fmt(x['max'])} | "
                         f"{x['received']:,} / {x['expected']:,} | {x['connect_failed']} | {fmt(x['polls'], 0)} | "
                         f"{fmt(x['pub_p99'])} | {fmt(x['rss_total'], 2)} | {x['upstream_errors']} | "
                         f"{x['retried']:,} | {x['status_5xx']:,} |")
        L.append("")
        lp_errs = [(n, s, x["nginx_errors"]) for n in lp for s, x in lp[n].items() if x["nginx_errors"]]
        if lp_errs:
            L.append("### nginx error log lines during long-poll (summed over reps)\n")
            for n, s, e in lp_errs:
                for k, v in sorted(e.items(), key=lambda kv: -kv[1])[:5]:
                    L.append(f"- N={int(n):,} {s}: {v} × `{k}`")
            L.append("")
    if storm:
        L.append("## Reconnect storm (medians over repetitions; losses summed)\n")
        L.append("Every subscriber's stream is dropped at once (`palabre-kill-all`: every palabre-worker "
                 "`kill -9`ed and started again at once; `palabre-kill-one`: the first of them only; "
                 "`*-reload`: `nginx -s reload`, whose old workers end their streams after "
                 "`worker_shutdown_timeout`; `nchan-restart`: nginx stopped and started again, Redis kept). "
                 "The subscribers come back with the pages' back-off and their cursor while more messages "
                 "are published. \"caught up\" = from the first stream that ended until the last subscriber "
                 "was open again and held every message published before it reopened; \"signal → drop\" = "
                 "from the driver's action to that first end. Server CPU = nginx + workers + Redis from "
                 "the action to caught up.\n")
        L.append("| scenario | N | reps | caught up | dropped | signal → drop ms | caught up ms | "
                 "reconnect p50 / p99 ms | attempts | connect failures | never back | missing | duplicates | "
                 "server CPU ms | nginx / workers / Redis ms | CPU ms / 1k dropped |")
        L.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for n in sorted(storm, key=int):
            for scen, x in sorted(storm[n].items()):
                L.append(f"| {scen} | {int(n):,} | {x['reps']} | {x['reps_caught_up']} | {fmt(x['dropped'], 0)} | "
                         f"{fmt(x['signal_to_drop_ms'])} | {fmt(x['caught_up_ms'])} | "
                         f"{fmt(x['reconnect_p50'])} / {fmt(x['reconnect_p99'])} | {fmt(x['attempts'], 0)} | "
                         f"{x['connect_failures']:,} | {x['never_back']} | {x['missing']} | {x['duplicates']} | "
                         f"{fmt(x['cpu_total_ms'], 0)} | {fmt(x['cpu_nginx_ms'], 0)} / {fmt(x['cpu_workers_ms'], 0)} / "
                         f"{fmt(x['cpu_redis_ms'], 0)} | {fmt(x['cpu_ms_per_1k_dropped'], 1)} |")
        L.append("")
        pairs = (("palabre-kill-all", "nchan-restart", ""), ("palabre-reload", "nchan-reload", ""),
                 ("palabre-kill-one", "nchan-restart", " (half the subscribers dropped)"))
        rows = []
        for n in sorted(storm, key=int):
            for a, b, note in pairs:
                pa, nb = storm[n].get(a), storm[n].get(b)
                if not (pa and nb):
                    continue
                rows.append(f"| {int(n):,} | {a} ÷ {b}{note} | "
                            f"{fmt(ratio(pa['caught_up_ms'], nb['caught_up_ms']), 2)}× | "
                            f"{fmt(ratio(pa['cpu_total_ms'], nb['cpu_total_ms']), 2)}× | "
                            f"{fmt(ratio(pa['cpu_ms_per_1k_dropped'], nb['cpu_ms_per_1k_dropped']), 2)}× |")
        if rows:
            L.append("### Ratios (Palabre ÷ Nchan, medians)\n")
            L.append("| N | scenarios | caught up ms | server CPU ms | CPU per 1k dropped |")
            L.append("|---|---|---|---|---|")
            L.extend(rows)
            L.append("")
        st_errs = [(n, s, x["nginx_errors"]) for n in storm for s, x in storm[n].items() if x["nginx_errors"]]
        if st_errs:
            L.append("### nginx error log lines during the storm (summed over reps)\n")
            for n, s, e in st_errs:
                for k, v in sorted(e.items(), key=lambda kv: -kv[1])[:5]:
                    L.append(f"- N={int(n):,} {s}: {v} × `{k}`")
            L.append("")
    if votes:
        L.append("## Votes (issue 11)\n")
        L.append(f"{votes['voters']:,} joined visitors vote on one poll within {votes['window_s']} s through nginx, "
                 "a tenth of them twice at once (bench/vote_storm.js); medians of the repetitions, counts summed.\n")
        L.append("| reps | sent | counted (200) | double submits (409) | errors | counted exactly once | "
                 "vote → 2xx p50 / p90 / p99 / max ms | poll frames a storm | min gap ms | most in one second |")
        L.append("|---|---|---|---|---|---|---|---|---|---|")
        L.append(f"| {votes['reps']} | {votes['sent']:,} | {votes['ok']:,} | {votes['already_voted']:,} | "
                 f"{votes['errors']} | {votes['exactly_once']} of {votes['reps']} | {fmt(votes['p50'])} / "
                 f"{fmt(votes['p90'])} / {fmt(votes['p99'])} / {fmt(votes['max'])} | {votes['frames']} | "
                 f"{votes['min_gap_ms']} | {votes['max_per_second']} |")
        L.append("")
        L.append(f"Fan-out of 40 announcements (250 ms apart) to {VOTE_FANOUT_N:,} SSE subscribers, without and with "
                 "the storm running:\n")
        L.append("| storm | reps | p50 ms | p99 ms | delivered / expected |")
        L.append("|---|---|---|---|---|")
        for key, label in (("without_storm", "no"), ("with_storm", "yes")):
            x = votes.get(key)
            if x:
                L.append(f"| {label} | {x['reps']} | {fmt(x['p50'])} | {fmt(x['p99'])} | "
                         f"{x['received']:,} / {x['expected']:,} |")
        L.append("")
    if console:
        L.append("## Console (issue 11)\n")
        L.append(f"The moderator console with {console['questions']} pending questions, opened {console['loads']} "
                 f"times in Chromium {console.get('chromium', '')} (bench/console_render.js); times to the next paint.\n")
        L.append("| measure | median ms | max ms |")
        L.append("|---|---|---|")
        for key, label in (("render_ms", "draw the queue"), ("filter_ms", "filter: typing → painted (100 ms debounce included)"),
                           ("filter_work_ms", "filter: the work alone → painted")):
            L.append(f"| {label} | {fmt(console[key]['median'])} | {fmt(console[key]['max'])} |")
        L.append("")
    L.append("## Targets\n")
    L.append("| target | measured | limit | met? | detail |")
    L.append("|---|---|---|---|---|")
    for t in targets:
        v = t["value"]
        if v is None:
            v = "–"
        elif isinstance(v, float):
            v = fmt(v, 2) + "×" if "×" in t["limit"] else fmt(v, 1)
        elif isinstance(v, int):
            v = fmt(v)
        met = {True: "**met**", False: "**missed**", None: "not measured"}[t["met"]]
        L.append(f"| {t['target']} | {v} | {t['limit']} | {met} | {t['note']} |")
    L.append("")
    open(f"{d}/summary.md", "w").write("\n".join(L))
    print("\n".join(L))


def main():
    a = sys.argv[1:]
    if a[:1] == ["--parse-wrk"]:
        print(json.dumps(parse_wrk(sys.stdin.read())))
    elif a[:1] == ["--line"]:
        progress_line(a[1])
    elif len(a) == 1:
        summarize(a[0])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()

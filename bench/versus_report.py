"""What ``python -m bench.run --peers`` prints: one table of every app's figures,
our ratios to each peer, the profile's top entries and the issue's
targets (issue 16), each met or missed."""
import json
from pathlib import Path

from bench.printout import report_profile

APPS = ("ours", "option1", "option3", "floor")
ENDPOINTS = (("get", "GET /api/cases/data"), ("put", "PUT /api/cases/data/<case>"),
             ("status", "POST /api/cases/status"))
OPEN_LOOP_P99_MS, BATCH_MS, MILLION_P99_RATIO = 10, 50, 1.3


def report_versus(results, ten_k_file=None):
    apps, shape = results["apps"], results["server"]
    print(f"\nscale {results['scale']}; every app: gunicorn {shape['workers']} x"
          f" {shape['worker_class']} ({shape['threads']} threads), gunicorn.conf.py;"
          f" load average {results['load_before']:.2f} before, {results['load_after']:.2f} after")
    print(f"\n{'':40}" + "".join(f"{name:>20}" for name in APPS))
    row("mixed requests/s (16 connections)", apps, lambda a: f"{a['mixed']['rps']:.0f}")
    row("  p50 / p99 ms", apps, lambda a: f"{ms(a['mixed']['p50_ms'])} / {ms(a['mixed']['p99_ms'])}")
    row("  server CPU ms a request", apps,
        lambda a: f"{a['mixed']['server_cpu_ms_per_request']:.2f}")
    row("  database CPU ms a request", apps,
        lambda a: f"{a['mixed']['database_cpu_ms_per_request'] or 0:.2f}")
    row("  other processes' CPU share", apps,
        lambda a: f"{100 * a['mixed']['others_cpu_share']:.0f}%")
    for mix, label in ENDPOINTS:
        row(f"{label} alone: req/s", apps, lambda a, m=mix: f"{a['endpoints'][m]['rps']:.0f}")
        row("  p50 / p95 / p99 ms", apps, lambda a, m=mix: " / ".join(
            ms(a["endpoints"][m][key]) for key in ("p50_ms", "p95_ms", "p99_ms")))
    print(f"open loop, {results['open_loop_rps']} requests/s offered (half of option1's mixed),"
          " timed from when each was due:")
    row("  achieved requests/s", apps, lambda a: f"{a['open_loop']['rps']:.0f}")
    row("  server CPU ms a request", apps,
        lambda a: f"{a['open_loop']['server_cpu_ms_per_request']:.2f}")
    for mix, label in ENDPOINTS:
        row(f"  {label} p50 / p99 ms", apps, lambda a, m=mix: " / ".join(
            ms(a["open_loop"]["kinds"][m][key]) for key in ("p50_ms", "p99_ms")))
    row("non-2xx, socket errors (all phases)", apps,
        lambda a: "{}, {}".format(*failures(a)))
    print("\nours / each (mixed):")
    for peer in APPS[1:]:
        ours, theirs = apps["ours"]["mixed"], apps[peer]["mixed"]
        print(f"  {peer:8} requests/s {ours['rps'] / theirs['rps']:.2f}x,"
              f" server CPU a request {ours['server_cpu_ms_per_request'] / theirs['server_cpu_ms_per_request']:.2f}x")
    batch = results["batch_500"]
    print(f"our batch save of 500 cases: median {batch['median_ms']:.1f} ms"
          f" ({batch['min_ms']:.1f}-{batch['max_ms']:.1f}, {batch['runs']} runs)")
    if "profile" in results:
        report_profile(results["profile"])
    report_targets(results, ten_k_file)


def row(label, apps, cell):
    print(f"{label:40}" + "".join(f"{cell(apps[name]):>20}" for name in APPS))


def ms(value):
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def failures(app):
    phases = [app["mixed"], *app["endpoints"].values(), app["open_loop"]]
    return sum(p["non_2xx"] for p in phases), sum(p["socket_errors"] for p in phases)


def report_targets(results, ten_k_file):
    apps = results["apps"]
    ours = apps["ours"]["mixed"]
    targets = [
        ("mixed requests/s >= 1.2x the document's code (option1)",
         ours["rps"] / apps["option1"]["mixed"]["rps"], lambda x: x >= 1.2, "{:.2f}x"),
        ("mixed requests/s >= 1.5x the ORM peer (option3)",
         ours["rps"] / apps["option3"]["mixed"]["rps"], lambda x: x >= 1.5, "{:.2f}x"),
        ("mixed requests/s >= 50% of the floor",
         ours["rps"] / apps["floor"]["mixed"]["rps"], lambda x: x >= 0.5, "{:.0%}"),
        ("server CPU a request <= 0.85x the document's code's",
         ours["server_cpu_ms_per_request"] / apps["option1"]["mixed"]["server_cpu_ms_per_request"],
         lambda x: x <= 0.85, "{:.2f}x"),
        (f"open-loop p99 < {OPEN_LOOP_P99_MS} ms, every endpoint (ours)",
         max(kind["p99_ms"] for kind in apps["ours"]["open_loop"]["kinds"].values()),
         lambda x: x < OPEN_LOOP_P99_MS, "worst {:.1f} ms"),
        (f"500-case batch < {BATCH_MS} ms (median of 7)", results["batch_500"]["median_ms"],
         lambda x: x < BATCH_MS, "{:.1f} ms"),
        ("zero non-2xx in every phase (ours)", sum(failures(apps["ours"])),
         lambda x: x == 0, "{} non-2xx or socket errors"),
    ]
    if ten_k_file:
        ten_k = json.loads(Path(ten_k_file).read_text())["apps"]["ours"]["endpoints"]
        worst = max(apps["ours"]["endpoints"][mix]["p99_ms"] / ten_k[mix]["p99_ms"]
                    for mix, _ in ENDPOINTS)
        targets.append((f"at {results['scale']}, every endpoint's p99 within"
                        f" {MILLION_P99_RATIO}x of 10 k's ({ten_k_file})",
                        worst, lambda x: x <= MILLION_P99_RATIO, "worst {:.2f}x"))
    print("\ntargets (issue 16):")
    for label, value, met, shown in targets:
        print(f"  {'met   ' if met(value) else 'MISSED'}  {label}: {shown.format(value)}")

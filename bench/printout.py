"""What bench/run.py prints: one run's figures, or a comparison of two trees."""
import statistics

from bench.load import COUNTERS


def report(results):
    mixed, raw = results["mixed"], results["raw"]
    server = results["server"]
    print(f"\nscale {results['scale']}; gunicorn: {server['workers']} x {server['worker_class']}"
          f" ({server['threads']} threads), DB_POOL_SIZE {server['db_pool_size']};"
          f" load average {results['load_before']:.2f} before, {results['load_after']:.2f} after")
    print(f"\nmixed workload, 16 connections: {mixed['rps']:.0f} requests/s,"
          f" p50 {mixed['p50_ms']:.1f} ms, p95 {mixed['p95_ms']:.1f} ms,"
          f" p99 {mixed['p99_ms']:.1f} ms, non-2xx {mixed['non_2xx']},"
          f" socket errors {mixed['socket_errors']}")
    print(f"raw-driver ceiling ({raw['processes']} processes x {raw['threads']} threads):"
          f" {raw['qps']:.0f} queries/s; HTTP/raw {100 * mixed['rps'] / raw['qps']:.0f}%")
    database = mixed["database_cpu_ms_per_request"]
    print(f"CPU per request: server {mixed['server_cpu_ms_per_request']:.2f} ms,"
          f" database {f'{database:.2f} ms' if database is not None else 'not on this machine'};"
          f" worker RSS {', '.join(f'{mb:.0f}' for mb in mixed['worker_rss_mb'])} MB;"
          f" other processes used {100 * mixed['others_cpu_share']:.0f}% of the machine")
    print("statements per request (server counters): " + ", ".join(
        f"{name} {value:.2f}" for name, value in mixed["statements_per_request"].items()))
    if "endpoints" in results:
        report_details(results)
    if "profile" in results:
        report_profile(results["profile"])


def report_details(results):
    print("\neach endpoint alone, 16 connections:")
    for mix, label in (("get", "GET /api/cases/data"), ("put", "PUT /api/cases/data/<case>"),
                       ("status", "POST /api/cases/status")):
        figures = results["endpoints"][mix]
        print(f"  {label:28} {figures['rps']:6.0f} requests/s  p50 {figures['p50_ms']:5.1f}"
              f"  p95 {figures['p95_ms']:5.1f}  p99 {figures['p99_ms']:5.1f} ms"
              f"  non-2xx {figures['non_2xx']}")
    pool = results["pool_of_5"]
    print(f"\n64 connections, 1 process x 64 threads, DB_POOL_SIZE 5: {pool['rps']:.0f}"
          f" requests/s, non-2xx {pool['non_2xx']}, socket errors {pool['socket_errors']},"
          f" p99 {pool['p99_ms']:.1f} ms")
    batch = results["batch_500"]
    print(f"batch save of 500 cases: median {batch['median_ms']:.1f} ms"
          f" ({batch['min_ms']:.1f}-{batch['max_ms']:.1f}, {batch['runs']} runs)")
    costs = results["pool"]
    ping, checkout, database = costs["ping"], costs["checkout"], costs["ping"]["database_cpu_us"]
    print(f"the pool's ping alone: {ping['wall_us']:.0f} us, CPU {ping['cpu_us']:.0f} us here and"
          f" {f'{database:.0f} us' if database is not None else 'unseen'} in the database;"
          f" a request's checkout and give-back: {checkout['wall_us']:.0f} us,"
          f" CPU {checkout['cpu_us']:.0f} us ({costs['count']} of each)")

def report_profile(profile):
    print(f"\nprofile of a worker under the mixed load ({profile['samples']} samples on the CPU,"
          f" {profile['rps']:.0f} requests/s while sampled; flame graph {profile['svg']}):")
    print("  by part (share of samples with it on the stack): " + ", ".join(
        f"{name} {100 * share:.0f}%" for name, share in profile["areas"] if share >= 0.01))
    print("  functions (share of samples with it on the stack):")
    for name, share in profile["functions"]:
        print(f"    {100 * share:5.1f}%  {name}")


def report_comparison(results):
    server = results["server"]
    print(f"\n{results['mix']} workload, 16 connections, {results['seconds']} s a round,"
          f" rounds alternating; gunicorn: {server['workers']} x {server['worker_class']}"
          f" ({server['threads']} threads), DB_POOL_SIZE {server['db_pool_size']};"
          f" load average {results['load_before']:.2f} before, {results['load_after']:.2f} after")
    medians = {}
    for name, rounds in results["trees"].items():
        medians[name] = {key: statistics.median(r[key] for r in rounds) for key in
                         ("rps", "p99_ms", "server_cpu_ms_per_request")}
        # Other clients of the server count too: the quietest round is the closest.
        per_request = {counter: min(r["statements_per_request"][counter] for r in rounds)
                       for counter in COUNTERS}
        print(f"\n{name}:\n  rounds: " + ", ".join(
            f"{r['rps']:.0f} requests/s (p99 {r['p99_ms']:.1f} ms)" for r in rounds))
        print(f"  median {medians[name]['rps']:.0f} requests/s, p99 {medians[name]['p99_ms']:.1f} ms,"
              f" server CPU {medians[name]['server_cpu_ms_per_request']:.2f} ms a request;"
              f" non-2xx {sum(r['non_2xx'] for r in rounds)},"
              f" socket errors {sum(r['socket_errors'] for r in rounds)}")
        print("  per request (server counters, lowest round): " + ", ".join(
            f"{counter} {value:.2f}" for counter, value in per_request.items()))
        print(f"  other processes used {100 * max(r['others_cpu_share'] for r in rounds):.0f}%"
              " of the machine at the most")
    baseline, this = medians.values()
    print("\nthis tree / baseline, medians: " + ", ".join(
        f"{label} {this[key] / baseline[key]:.2f}" for key, label in
        (("rps", "requests/s"), ("p99_ms", "p99"), ("server_cpu_ms_per_request", "server CPU a request"))))

"""What the JSON depth check (fsr_coach/request_body.py) costs, beside the
parse it guards, for ordinary and for hostile bodies up to the 16 MiB limit.

    .venv/bin/python -m bench.json_depth

CPU seconds of this process (time.process_time, the least of 3 runs), so
that other load on the machine counts as little as it can. It prints the
figures and always exits 0: it is a benchmark, not a test.
"""
import json
import time

from fsr_coach.request_body import MAX_JSON_DEPTH, nested_deeper_than

MIB = 1024 * 1024
# Notes as engineers write them, and notes dense in what the check looks at.
PLAIN = "Pump P-101: seal leaked at 6 bar; replaced the gasket, retested OK. " * 300
MARKED = "Pump P-101 [seal] {leak}; replaced \"gasket\" C:\\pump, retested. " * 300


def body(text, chars, items=None):
    notes = {"problemStatement": text[:chars], "fsrNotes": text[:chars], "baseVersion": 3}
    if items is None:
        return json.dumps(notes).encode()
    return json.dumps({"cases": [{"caseNumber": f"CASE-{n:05d}", **notes}
                                 for n in range(items)]}).encode()


BODIES = {
    "PUT, 2 x 2 KB": body(PLAIN, 2000),
    "batch, 20 x 2 x 2 KB": body(PLAIN, 2000, 20),
    "batch, 500 x 2 x 2 KB": body(PLAIN, 2000, 500),
    "batch, 500 x 2 x 2 KB, marked": body(MARKED, 2000, 500),
    "batch, 500 x 2 x 16 KB": body(PLAIN, 16_000, 500),
    "hostile: [ x 16 Mi": b"[" * (16 * MIB),
    "hostile: [] x 8 Mi": b"[]" * (8 * MIB),
    "hostile: [[],...] 16 MiB": b"[" + b"[]," * (16 * MIB // 3) + b"[]]",
    "hostile: 65 deep around 8 Mi \"\"": b"[" * 65 + b'""' * (8 * MIB - 65) + b"]" * 65,
    "hostile: [\"[\",...] 16 MiB": b"[" + b'"[",' * (4 * MIB - 1) + b"1]",
    "hostile: 8 Mi deep": b"[" * (8 * MIB) + b"]" * (8 * MIB),
    "hostile: ]...[ 16 MiB": b"]" * (8 * MIB) + b"[" * (8 * MIB),
}


def cpu_seconds(call, runs=3):
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        call()
        best = min(best, time.process_time() - started)
    return best


def parse(body):
    try:
        json.loads(body)
    except (ValueError, RecursionError):
        pass


def main():
    print(f"{'body':36} {'MB':>6} {'check ms':>9} {'parse ms':>9}  refused")
    for name, body in BODIES.items():
        check = cpu_seconds(lambda body=body: nested_deeper_than(body, MAX_JSON_DEPTH))
        parsed = cpu_seconds(lambda body=body: parse(body))
        refused = nested_deeper_than(body, MAX_JSON_DEPTH)
        print(f"{name:36} {len(body) / 1e6:6.1f} {check * 1000:9.1f} {parsed * 1000:9.1f}"
              f"  {'yes' if refused else 'no'}")


if __name__ == "__main__":
    main()

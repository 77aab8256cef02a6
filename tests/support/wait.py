"""Waiting for something another process or thread does."""
import time


def wait_until(condition, timeout=10.0, interval=0.05):
    """Poll ``condition()`` until it returns something truthy; return that."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result or time.monotonic() > deadline:
            assert result, f"still false after {timeout} s: {condition}"
            return result
        time.sleep(interval)

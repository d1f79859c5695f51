"""The GIL demo's anchor: the same program under CPython, on this machine, in
the same minutes as the browsers' runs (bench/gil-demo.mjs runs it after each
case). A CPU second is calibrated as the app calibrates one: the fastest of
five counts of about 60 ms. Then, ROUNDS times each, N threads counting down
`work` seconds each under the GIL, and the same N countdowns one after another.
Prints one JSON line: both times over N x work, and the threads' time over
the one-after-another time of the same round (which a CPU second measured
slow or fast does not move: on this machine a sustained count ran 10-40%
faster than the short counts that calibrate it).

    python3 bench/gil-cpython.py THREADS WORK ROUNDS
"""

import json
import sys
import threading
import time


def countdown(n):
    while n > 0:
        n -= 1


def timed(f):
    started = time.perf_counter()
    f()
    return time.perf_counter() - started


def main():
    threads, work, rounds = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    probe = 3_000_000
    countdown(probe)
    rate = max(probe / timed(lambda: countdown(probe)) for _ in range(5))
    n = int(rate * work)

    def in_threads():
        ts = [threading.Thread(target=countdown, args=(n,)) for _ in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()

    def one_after_another():
        for _ in range(threads):
            countdown(n)

    nominal = threads * work
    threaded, serial = [], []
    for _ in range(rounds):
        threaded.append(timed(in_threads) / nominal)
        serial.append(timed(one_after_another) / nominal)
    print(json.dumps({
        "python": sys.version.split()[0],
        "threads": threads,
        "work": work,
        "threads_over_nominal": [round(r, 3) for r in threaded],
        "serial_over_nominal": [round(r, 3) for r in serial],
        "threads_over_serial": [round(t / s, 3) for t, s in zip(threaded, serial)],
    }))


if __name__ == "__main__":
    main()

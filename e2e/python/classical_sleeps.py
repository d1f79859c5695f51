"""The classical example's draws from CPython's own random module: which
thread prints which line, in order, and the sleep drawn after it.

usage: python3 classical_sleeps.py SEED
Lines due at the same instant keep thread start order (thread 1 first).
"""
import json
import random
import sys

random.seed(int(sys.argv[1]))
ready = [(0, 0, 0), (0, 1, 0)]  # (due time, thread, next i)
out = []
while any(r[2] < 10 for r in ready):
    k = min((r for r in ready if r[2] < 10), key=lambda r: (r[0], r[1]))
    at, thread, i = k
    sleep = random.randint(1, 3)
    out.append({"text": "%s: %3d" % ("Thread-%d" % (thread + 1), i), "at": at, "sleep": sleep})
    ready[ready.index(k)] = (at + sleep, thread, i + 1)
print(json.dumps(out))

"""Runs a program as a demo shows it, under CPython, with time.sleep scaled
down, and prints each line it prints with the Python time it printed it at,
as JSON lines.

usage: python3 run_shown.py SCALE < program.py

SCALE is real seconds per Python second: time.sleep(s) sleeps s * SCALE.
"""
import json
import os
import runpy
import sys
import tempfile
import time

scale = float(sys.argv[1])
source = sys.stdin.read()
real_sleep = time.sleep
start = time.monotonic()


def sleep(seconds):
    real_sleep(seconds * scale)


def timed_print(*args):
    line = json.dumps({"text": " ".join(str(a) for a in args), "at": round((time.monotonic() - start) / scale, 3)})
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


time.sleep = sleep
with tempfile.TemporaryDirectory() as folder:
    program = os.path.join(folder, "shown.py")
    with open(program, "w", encoding="utf-8") as out:
        out.write(source)
    runpy.run_path(program, init_globals={"print": timed_print}, run_name="__main__")

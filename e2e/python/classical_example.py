"""Runs the deck's classical example under CPython: its real threads, sharing
the real `random` module seeded with `random.seed(SEED)`, on a simulated clock.
Prints each line with the Python time it was printed at, as JSON.

usage: python3 classical_example.py DECK.md SEED

`time.sleep` is replaced by a sleep on a virtual clock (as trio's MockClock or
freezegun do): a sleeping thread wakes when every other thread is asleep or
done and its deadline is the earliest; threads due at the same instant wake in
start order, as CPython's do when they started microseconds apart. The run
takes milliseconds and the same every time, however busy the machine is.
"""
import json
import random
import re
import sys
import threading
import time

deck, seed = sys.argv[1], int(sys.argv[2])
blocks = re.findall(r"```py\n(.*?)```", open(deck, encoding="utf-8").read(), re.S)
source = next(b for b in blocks if "class MyThread" in b)

clock = threading.Condition()
now = 0.0
asleep = {}  # thread -> when it is due to wake
joining = 0  # the main thread waits in join(): the program is under way
lines = []


def start_order(thread):
    # "Thread-1", "Thread-2", ...: CPython numbers threads as they are made.
    number = thread.name.rsplit("-", 1)[-1]
    return int(number) if number.isdigit() else 0


def may_wake(me):
    if not joining:
        return False
    others = [t for t in threading.enumerate() if t is not threading.main_thread() and t is not me]
    if any(t.is_alive() and t not in asleep for t in others):
        return False  # another thread is running
    first = min(asleep, key=lambda t: (asleep[t], start_order(t)))
    return first is me


def sleep(seconds):
    global now
    me = threading.current_thread()
    with clock:
        asleep[me] = now + seconds
        while not may_wake(me):
            clock.wait(0.001)
        now = asleep.pop(me)
        clock.notify_all()


real_join = threading.Thread.join


def join(self, timeout=None):
    global joining
    with clock:
        joining += 1
        clock.notify_all()
    try:
        real_join(self, timeout)
    finally:
        with clock:
            joining -= 1


def timed_print(*args):
    lines.append({"text": " ".join(str(a) for a in args), "at": now})


time.sleep = sleep
threading.Thread.join = join
random.seed(seed)
exec(compile(source, "classical_example", "exec"), {"__name__": "__main__", "print": timed_print})
print(json.dumps(lines))

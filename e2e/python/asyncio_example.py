"""Runs the deck's asyncio example under CPython with another job list and
time scaled down, and prints exactly what the program prints.

usage: python3 asyncio_example.py DECK.md "[1, 1, 0.5]" SCALE
"""
import asyncio
import re
import sys

deck, jobs, scale = sys.argv[1], sys.argv[2], float(sys.argv[3])
blocks = re.findall(r"```py\n(.*?)```", open(deck, encoding="utf-8").read(), re.S)
source = next(b for b in blocks if "get_event_loop" in b).replace("[5, 2, 1, 3]", jobs)

_sleep = asyncio.sleep


async def scaled_sleep(delay, *args, **kwargs):
    return await _sleep(delay / scale, *args, **kwargs)


asyncio.sleep = scaled_sleep
# get_event_loop() outside a running loop is deprecated (and an error in new
# Pythons) unless a loop is set: set one, as the slide's Python did implicitly.
asyncio.set_event_loop(asyncio.new_event_loop())
exec(compile(source, "asyncio_example", "exec"), {"__name__": "__main__"})

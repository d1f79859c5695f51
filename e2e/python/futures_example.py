"""Runs the deck's futures example under CPython with a URL table, pool and
way of consuming results, and prints what it prints (stdout and its logging
lines) with the Python time of each line, as JSON.

usage: python3 futures_example.py DECK.md TABLE WORKERS POOL CONSUME [START]

TABLE is the demo's URL table, `address latency size` a line (size `unknown`
for a host that does not resolve); urlopen is replaced by one that waits the
latency and returns that many bytes, or raises CPython's own URLError. POOL is
ThreadPoolExecutor or ProcessPoolExecutor; START is the process pool's start
method, fork (CPython's default on Linux) or spawn; CONSUME is as_completed or
map, as the demo rewrites the program for it.
"""
import json
import logging
import os
import re
import runpy
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request

deck, table, workers, pool, consume = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
start = sys.argv[6] if len(sys.argv) > 6 else "fork"
blocks = re.findall(r"```py\n(.*?)```", open(deck, encoding="utf-8").read(), re.S)
source = next(b for b in blocks if "concurrent.futures" in b)

sites = {}
for line in table.strip().splitlines():
    url, latency, size = line.split()
    sites[url] = (float(latency), None if size == "unknown" else int(size))
urls = list(sites)

# The program with this table, executor and consumer, as the demo shows it.
# The slide's list where it is the one that runs; else one address a line, as the demo writes it
# (the line numbers of a traceback are the code shown's).
slide_urls = re.findall(r'"([^"]*)"', re.search(r"URLS = \[(.*?)\]", source, re.S).group(1))
if urls != slide_urls:
    literal = lambda u: repr(u) if any(c in u for c in "'\"\\") else '"' + u + '"'
    listed = "URLS = [\n" + "".join(f"    {literal(u)},\n" for u in urls) + "]\n"
    source = re.sub(r"URLS = \[.*?\]\n", lambda _: listed, source, flags=re.S)
context = ", mp_context=multiprocessing.get_context('spawn')" if pool == "ProcessPoolExecutor" and start == "spawn" else ""
source = source.replace("ThreadPoolExecutor(max_workers=5)", f"{pool}(max_workers={workers}{context})")
if context:
    source = source.replace("import logging\n", "import logging\nimport multiprocessing\n", 1)
if consume == "map":
    head = source[: source.index("    future_to_url = {")]
    source = head + (
        "    # Results come back in the order of URLS\n"
        "    for url, data in zip(URLS, executor.map(load_url, URLS, [60] * len(URLS))):\n"
        "        print('%r page is %d bytes' % (url, len(data)))\n"
    )


class Page:
    def __init__(self, size):
        self.size = size

    def read(self):
        return b"x" * self.size

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def urlopen(url, timeout=None):
    latency, size = sites[url]
    time.sleep(latency)
    if size is None:
        raise urllib.error.URLError(OSError(-2, "Name or service not known"))
    return Page(size)


urllib.request.urlopen = urlopen
start = time.monotonic()
lines = []


def at():
    return round(time.monotonic() - start, 3)


def emit(text):
    # One write a line: a process pool's children share this output.
    sys.stdout.write(json.dumps({"text": text, "at": at()}) + "\n")
    sys.stdout.flush()


def timed_print(*args):
    emit(" ".join(str(a) for a in args))


class Timed(logging.Handler):
    def emit(self, record):
        emit(self.format(record))


def basic_config(level, format):
    handler = Timed()
    handler.setFormatter(logging.Formatter(format))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(level)


logging.basicConfig = basic_config
# Run as the main module of a file, so a process pool's children find load_url.
with tempfile.TemporaryDirectory() as folder:
    program = os.path.join(folder, "futures_example.py")
    with open(program, "w", encoding="utf-8") as out:
        out.write(source)
    try:
        runpy.run_path(program, init_globals={"print": timed_print}, run_name="__main__")
    except Exception as exc:  # the traceback's last line, as CPython ends the program with it
        name = type(exc).__module__ + "." + type(exc).__qualname__
        emit(f"{name}: {exc}")
        # and the traceback itself on stderr, after the children's, from the
        # program's first frame on, as CPython writes it for the program alone
        tb = exc.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != program:
            tb = tb.tb_next
        traceback.print_exception(type(exc), exc, tb)

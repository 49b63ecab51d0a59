#!/usr/bin/python3
"""This machine's floor for spawning /bin/true: the least a parent can do per child, as a reference for
bench/process.sh (chapter 13). os.posix_spawn (glibc: clone(CLONE_VM|CLONE_VFORK) + exec, no fork of the page
tables), stdio on /dev/null, no pipes, no event loop, no fd closing, then os.waitpid on any child. --concurrency K
keeps K children alive at once, as spawn_bench.py --concurrency K does. What is left is the children's own exec,
dynamic loading and exit, which every runtime pays alike.

    /usr/bin/python3 bench/spawn_floor.py [--n 1000] [--concurrency 1]

Prints one JSON line: {"floor": "posix_spawn", "n": ..., "concurrency": ..., "per_s": ..., "cpu_s": ...}
"""
import argparse
import json
import os
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--n", type=int, default=1000)
parser.add_argument("--concurrency", type=int, default=1)
args = parser.parse_args()

devnull = os.open("/dev/null", os.O_RDWR)
stdio = [(os.POSIX_SPAWN_DUP2, devnull, fd) for fd in (0, 1, 2)]


def spawn(count):
    started = alive = 0
    while started < count or alive:
        while alive < args.concurrency and started < count:
            os.posix_spawn("/bin/true", ["/bin/true"], {}, file_actions=stdio)
            started += 1
            alive += 1
        os.waitpid(-1, 0)
        alive -= 1


spawn(200)  # the page cache and the loader's caches, as the other runners' warm-ups
start, cpu = time.perf_counter(), time.process_time()
spawn(args.n)
seconds = time.perf_counter() - start
print(json.dumps({"floor": "posix_spawn", "n": args.n, "concurrency": args.concurrency,
                  "per_s": round(args.n / seconds), "cpu_s": round(time.process_time() - cpu, 3)}))

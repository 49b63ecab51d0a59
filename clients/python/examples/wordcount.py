#!/usr/bin/python3
"""Starts a word count on the lab (chapter 6's map-reduce) and prints its progress as the lab publishes it.

    /usr/bin/python3 clients/python/examples/wordcount.py data/googlebooks-1gram.tsv --word Aardvark

The file must be readable by the lab's nodes at the same path, inside LAB_MAPREDUCE_ROOTS. Prints one line per
progress message, then the result, then one JSON line: {"job", "state", "lines", "distinct", "word", "count",
"progress_messages", "seconds"}. Exits 1 when the job fails, 2 when the lab refuses it.
"""
import argparse
import asyncio
import json
import os
import sys
import time

import _path  # noqa: F401
from labbus import BusError, LabBus


async def main(args):
    started = time.monotonic()
    async with await LabBus.connect(args.host, args.port) as bus:
        # Listen first: the job publishes from its first partition on.
        async with bus.subscribe("mapreduce.progress") as progress:
            request = {"path": os.path.abspath(args.file), "word": args.word, "top": args.top}
            if args.partition_lines:
                request["partitionLines"] = args.partition_lines
            try:
                job = await bus.request("mapreduce.jobs.start", request)
            except BusError as e:
                print(f"the lab refused the job: {e}", file=sys.stderr)
                return 2
            print(f"job {job['id']} started on {job['node']}: {request['path']}")
            messages = 0
            state = "running"
            deadline = time.monotonic() + args.timeout
            while state == "running":
                p = await progress.get(timeout=max(0.1, deadline - time.monotonic()))
                if p.get("job") != job["id"]:
                    continue  # another job's progress
                messages += 1
                state = p["state"]
                print(f"  {p['partitionsDone']}/{p['partitions']} partitions, {p['lines']:,} lines, "
                      f"{p['linesPerSecond']:,.0f} lines/s, {p['inFlight']} in flight [{state}]")
        final = await bus.request("mapreduce.job." + job["id"], {})
        if final["state"] != "done":
            print(f"job failed: {final.get('error')}", file=sys.stderr)
            return 1
        result = final["result"]
        word = result.get("word") or {}
        print(f"{result['lines']:,} lines, {result['distinct']:,} distinct ngrams, "
              f"{word.get('ngram')}: {word.get('count')}")
        for entry in result.get("top", [])[:args.top]:
            print(f"  {entry['ngram']:<20} {entry['count']:>14,}")
        print(json.dumps({"job": job["id"], "state": final["state"], "lines": result["lines"],
                          "distinct": result["distinct"], "word": word.get("ngram"), "count": word.get("count"),
                          "progress_messages": messages, "seconds": round(time.monotonic() - started, 3)}))
        return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", help="a Google Books 1-gram file: ngram TAB year TAB match_count TAB volume_count")
    parser.add_argument("--word", default="Aardvark")
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--partition-lines", type=int, default=0, help="lines per partition (default: the lab's)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LAB_BRIDGE_PORT", "7000")))
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for the job")
    sys.exit(asyncio.run(main(parser.parse_args())))

#!/usr/bin/python3
"""Asks the lab's fetch service (chapter 4) to GET a URL many times at once, and prints each result as it lands.

    /usr/bin/python3 clients/python/examples/fetch.py http://127.0.0.1:8090/?delay_ms=20 --count 100 --limit 10

The lab makes the requests (its hosts allow-list applies: loopback by default); results stream back on a bus
address this client registers, then the totals come as the reply. Prints one JSON line at the end:
{"count", "ok", "errors", "timeouts", "statuses", "per_second", "streamed"}. Exits 1 when a request failed.
"""
import argparse
import asyncio
import json
import os
import sys
import uuid

import _path  # noqa: F401
from labbus import LabBus


async def main(args):
    call = uuid.uuid4().hex
    async with await LabBus.connect(args.host, args.port) as bus:
        async with bus.subscribe(f"fetch.results.{call}") as results:
            streamed = 0

            async def show():
                nonlocal streamed
                async for result in results:
                    streamed += 1
                    if args.verbose or result["outcome"] != "ok":
                        print(f"  #{result['index']} {result['outcome']} {result.get('status', '')} "
                              f"{result['ms']} ms {result.get('error', '')}")

            shower = asyncio.ensure_future(show())
            reply = await bus.request("fetch.run", {"id": call, "url": args.url, "count": args.count,
                                                    "limit": args.limit, "mode": args.mode,
                                                    "publish": f"fetch.results.{call}"},
                                      timeout=args.deadline + 5)
            await asyncio.sleep(0.2)  # the last published results may land just after the reply
            shower.cancel()
    totals = reply["totals"]
    print(f"{totals['count']} requests: {totals['ok']} ok, {totals['errors']} errors, {totals['timeouts']} timeouts, "
          f"{totals['perSecond']:.0f}/s, statuses {totals['statuses']}")
    print(json.dumps({"count": totals["count"], "ok": totals["ok"], "errors": totals["errors"],
                      "timeouts": totals["timeouts"], "statuses": totals["statuses"],
                      "per_second": totals["perSecond"], "streamed": streamed}))
    return 0 if totals["ok"] == totals["count"] else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--limit", type=int, default=10, help="requests in flight at once")
    parser.add_argument("--mode", default="as-completed", choices=["all", "as-completed", "first", "first-error"])
    parser.add_argument("--deadline", type=float, default=60.0)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every result, not only failures")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LAB_BRIDGE_PORT", "7000")))
    sys.exit(asyncio.run(main(parser.parse_args())))

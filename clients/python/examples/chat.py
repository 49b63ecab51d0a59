#!/usr/bin/python3
"""Chats in the lab's room (chapter 8) through the event bus: the same room as `nc 127.0.0.1 8001`.

    /usr/bin/python3 clients/python/examples/chat.py --user snake            # lines from stdin, Ctrl-D leaves
    /usr/bin/python3 clients/python/examples/chat.py --user snake --say "hi all" --until "ann: bye"

Prints every line the room sends. With --say, says those lines (and reads no stdin); with --until, leaves once
a line containing that text arrives (or after --timeout seconds, exit 1). Exits 2 when the room refuses the
name (taken, invalid) or the lab is unreachable.
"""
import argparse
import asyncio
import os
import sys
import uuid

import _path  # noqa: F401
from labbus import BusError, LabBus


async def read_stdin_lines():
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line:
            return
        yield line.decode("utf-8", "replace").rstrip("\r\n")


async def main(args):
    session = uuid.uuid4().hex
    async with await LabBus.connect(args.host, args.port) as bus:
        # Register for the room's lines before joining, so the welcome is not missed.
        async with bus.subscribe(f"chat.lines.{session}") as lines:
            try:
                joined = await bus.request("chat.bus.join", {"user": args.user, "session": session})
            except BusError as e:
                print(f"refused: {e.message}", file=sys.stderr)
                return 2
            say = joined["say"]
            heard = asyncio.Event()

            async def listen():
                async for message in lines:
                    for line in message["lines"]:
                        print(line, flush=True)
                        if args.until and args.until in line:
                            heard.set()
                    if message.get("closed"):
                        heard.set()
                        return

            listener = asyncio.ensure_future(listen())
            try:
                if args.say:
                    for text in args.say:
                        await bus.request(say, {"line": text})
                    if args.until:
                        await asyncio.wait_for(heard.wait(), args.timeout)
                else:
                    async for text in read_stdin_lines():
                        await bus.request(say, {"line": text})
                        if heard.is_set():
                            break
                return 0
            except asyncio.TimeoutError:
                print(f"no line with '{args.until}' within {args.timeout} s", file=sys.stderr)
                return 1
            finally:
                try:
                    await bus.request(say, {"leave": True})
                except BusError:
                    pass  # the room had already let us go (idle, or the server stopped)
                listener.cancel()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", required=True)
    parser.add_argument("--say", action="append", help="a line to say (repeatable); without it, stdin's lines")
    parser.add_argument("--until", help="leave once a line containing this text arrives")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LAB_BRIDGE_PORT", "7000")))
    try:
        sys.exit(asyncio.run(main(parser.parse_args())))
    except (ConnectionError, OSError) as e:
        print(f"cannot reach the lab's bridge: {e}", file=sys.stderr)
        sys.exit(2)

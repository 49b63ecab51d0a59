"""A small asyncio client for the Concurrency Lab's TCP event-bus bridge (standard library only).

The bridge (Vert.x's vertx-tcp-eventbus-bridge, the lab's ``bridge`` service on LAB_BRIDGE_PORT, 7000 by
default) speaks frames of a 4-byte big-endian length followed by that many bytes of UTF-8 JSON:

    client -> lab   {"type": "send"|"publish"|"register"|"unregister"|"ping", "address", "body", "headers",
                     "replyAddress"}
    lab -> client   {"type": "message", "address", "body", "headers", "replyAddress"?}
                    {"type": "err", "address"?, "failureCode", "failureType", "message"}
                    {"type": "pong"}

Usage::

    async with await LabBus.connect("127.0.0.1", 7000) as bus:
        status = await bus.request("echo.status", {})
        async with bus.subscribe("mapreduce.progress") as progress:
            async for message in progress:
                print(message)

A failed request raises :class:`BusError` with the lab's failure code (400, 404, 409, 503 no node serves the
address, 504 timeout, ...). An address the bridge does not permit raises ``BusError`` with code ``None`` and
message ``access_denied``: the bridge answers those at once, in order, so every frame is followed by a ping
and the first answer before its pong is that frame's refusal.
"""

import asyncio
import itertools
import json
import struct
import uuid

__all__ = ["LabBus", "BusError"]

_LENGTH = struct.Struct(">I")
MAX_FRAME_BYTES = 64 * 1024 * 1024


class BusError(Exception):
    """A request that failed: ``code`` is the lab's failure code, or None for a refusal by the bridge."""

    def __init__(self, code, message, failure_type=None):
        super().__init__(f"{code}: {message}" if code is not None else message)
        self.code = code
        self.message = message
        self.failure_type = failure_type


class Subscription:
    """Messages published or sent to one address, as an async iterator; ``async with`` unregisters at the end."""

    def __init__(self, bus, address):
        self._bus = bus
        self.address = address
        self._queue = asyncio.Queue()

    def _deliver(self, frame):
        self._queue.put_nowait(frame)

    async def get(self, timeout=None):
        """The next message's body; raises asyncio.TimeoutError after ``timeout`` seconds."""
        frame = await asyncio.wait_for(self._queue.get(), timeout)
        if isinstance(frame, Exception):
            raise frame
        return frame.get("body")

    def __aiter__(self):
        return self

    async def __anext__(self):
        try:
            return await self.get()
        except ConnectionError:
            raise StopAsyncIteration

    async def __aenter__(self):
        await self._bus._register(self)
        return self

    async def __aexit__(self, *exc):
        await self._bus.unregister(self.address)


class LabBus:
    """One connection to the bridge. Create it with :meth:`connect`; close it with :meth:`close` or ``async with``."""

    def __init__(self, reader, writer, ping_interval):
        self._reader = reader
        self._writer = writer
        self._replies = {}          # reply address -> Future
        self._fences = []           # [(Future or None, pong Future or None)], one per ping, in sending order
        self._subscriptions = {}    # address -> Subscription
        self._ids = itertools.count()
        self._prefix = "labbus." + uuid.uuid4().hex[:12] + "."
        self._closed = False
        self._reading = asyncio.ensure_future(self._read())
        self._pinging = asyncio.ensure_future(self._ping(ping_interval))

    @classmethod
    async def connect(cls, host="127.0.0.1", port=7000, timeout=10.0, ping_interval=30.0):
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        return cls(reader, writer, ping_interval)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()

    # ---- what a caller uses ----

    async def request(self, address, body=None, timeout=5.0, headers=None):
        """Sends ``body`` to ``address`` and returns the reply's body; raises BusError or asyncio.TimeoutError."""
        reply_address = self._prefix + str(next(self._ids))
        reply = asyncio.get_running_loop().create_future()
        self._replies[reply_address] = reply
        # The bridge also times the request out, a little later than we do, so no reply is left waiting there.
        # Its "timeout" header is a number (milliseconds); the bridge reads every other header as a string.
        all_headers = {"timeout": int(timeout * 1000) + 1000}
        all_headers.update(headers or {})
        frame = {"type": "send", "address": address, "body": body if body is not None else {},
                 "headers": all_headers, "replyAddress": reply_address}
        try:
            return await asyncio.wait_for(self._exchange(frame, reply), timeout)
        finally:
            self._replies.pop(reply_address, None)

    async def send(self, address, body=None, headers=None):
        """Sends one message, expecting no reply; raises BusError when the bridge refuses the address."""
        await self._checked({"type": "send", "address": address, "body": body, "headers": headers or {}})

    async def publish(self, address, body=None, headers=None):
        """Publishes to every consumer of ``address``; raises BusError when the bridge refuses the address."""
        await self._checked({"type": "publish", "address": address, "body": body, "headers": headers or {}})

    def subscribe(self, address):
        """``async with bus.subscribe(address) as messages:`` registers, then iterates over the bodies."""
        return Subscription(self, address)

    async def unregister(self, address):
        if self._subscriptions.pop(address, None) is not None and not self._closed:
            await self._write({"type": "unregister", "address": address, "headers": {}})

    async def close(self):
        if self._closed:
            return
        self._closed = True
        self._pinging.cancel()
        self._writer.close()
        try:
            await self._writer.wait_closed()
        except ConnectionError:
            pass
        await asyncio.gather(self._reading, return_exceptions=True)

    # ---- frames ----

    async def _register(self, subscription):
        self._subscriptions[subscription.address] = subscription
        try:
            await self._checked({"type": "register", "address": subscription.address, "headers": {}})
        except BusError:
            self._subscriptions.pop(subscription.address, None)
            raise

    async def _exchange(self, frame, reply):
        await self._fenced(frame, reply)
        return await reply

    async def _checked(self, frame, timeout=10.0):
        """Writes a frame and waits for its pong: a refusal, if any, comes before it."""
        verdict = asyncio.get_running_loop().create_future()
        await asyncio.wait_for(self._fenced(frame, verdict), timeout)
        if verdict.done():
            verdict.result()  # raises the refusal

    async def _fenced(self, frame, failable):
        """Writes a frame and a ping; a refusal of the frame arrives before the pong and fails ``failable``."""
        pong = asyncio.get_running_loop().create_future()
        self._fences.append((failable, pong))
        await self._write(frame, {"type": "ping"})
        await pong

    async def _write(self, *frames):
        if self._closed:
            raise ConnectionError("the bus connection is closed")
        for frame in frames:
            data = json.dumps(frame, separators=(",", ":")).encode("utf-8")
            self._writer.write(_LENGTH.pack(len(data)) + data)
        await self._writer.drain()

    async def _ping(self, interval):
        """Keeps an idle connection open (the bridge closes one silent for two minutes)."""
        while True:
            await asyncio.sleep(interval)
            self._fences.append((None, None))  # its pong fences nothing
            await self._write({"type": "ping"})

    async def _read(self):
        failure = ConnectionError("the bus connection was closed")
        try:
            while True:
                (length,) = _LENGTH.unpack(await self._reader.readexactly(4))
                if length > MAX_FRAME_BYTES:
                    raise ConnectionError(f"a frame of {length} bytes: not the lab's bridge?")
                self._dispatch(json.loads(await self._reader.readexactly(length)))
        except (asyncio.IncompleteReadError, ConnectionError, OSError) as e:
            failure = ConnectionError(f"the bus connection was closed ({e.__class__.__name__})")
        finally:
            self._closed = True
            for future in list(self._replies.values()) + [f for fence in self._fences for f in fence if f]:
                if not future.done():
                    future.set_exception(failure)
                    future.exception()  # retrieved: the waiter, if any, sees it; nobody is warned twice
            for subscription in self._subscriptions.values():
                subscription._deliver(failure)

    def _dispatch(self, frame):
        kind = frame.get("type")
        address = frame.get("address")
        if kind == "pong":
            if self._fences:
                _, pong = self._fences.pop(0)
                if pong is not None and not pong.done():
                    pong.set_result(None)
            return
        if address in self._replies:
            reply = self._replies[address]
            if reply.done():
                return
            if kind == "err":
                reply.set_exception(BusError(frame.get("failureCode"), frame.get("message"), frame.get("failureType")))
            else:
                reply.set_result(frame.get("body"))
            return
        if kind == "err" and address is None:
            # The bridge refused the frame at the head of the fences (access_denied, unknown_address...).
            if self._fences:
                failable, _ = self._fences[0]
                if failable is not None and not failable.done():
                    failable.set_exception(BusError(None, frame.get("message") or frame.get("body") or "refused"))
            return
        subscription = self._subscriptions.get(address)
        if subscription is not None:
            subscription._deliver(frame)

"""A fault-injecting HTTP proxy for one request per connection: it drops connections
mid-request, loses responses after the server acted, delays, and sends requests twice."""

from __future__ import annotations

import asyncio
import random
from collections import Counter

import msgspec


class Faults(msgspec.Struct, frozen=True, kw_only=True):
    """Chances, per request, of each fault (they are exclusive but for delays)."""

    drop: float = 0.05
    lose_response: float = 0.05
    duplicate: float = 0.05
    delay: float = 0.1
    max_delay_s: float = 0.2


async def _read_request(reader: asyncio.StreamReader) -> bytes | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        return None
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    try:
        return head + await reader.readexactly(length)
    except (asyncio.IncompleteReadError, ConnectionError):
        return None


class FaultProxy:
    """Listens on loopback and forwards to the server's port, injecting faults."""

    def __init__(self, target_port: int, faults: Faults, rng: random.Random) -> None:
        self.target_port = target_port
        self.faults = faults
        self.rng = rng
        self.injected: Counter[str] = Counter()
        self._server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _forward(self, request: bytes) -> bytes | None:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            return None
        try:
            writer.write(request)
            await writer.drain()
            return await reader.read()  # the client asked for `Connection: close`
        except ConnectionError:
            return None
        finally:
            writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await _read_request(reader)
            if request is None:
                return
            roll = self.rng.random()
            if self.rng.random() < self.faults.delay:
                self.injected["delayed"] += 1
                await asyncio.sleep(self.rng.uniform(0, self.faults.max_delay_s))
            if roll < self.faults.drop:
                self.injected["dropped_mid_request"] += 1
                return
            response = await self._forward(request)
            roll -= self.faults.drop
            if response and 0 <= roll < self.faults.duplicate:
                self.injected["duplicated"] += 1
                response = await self._forward(request)
            elif response and 0 <= roll - self.faults.duplicate < self.faults.lose_response:
                self.injected["response_lost"] += 1
                return
            if response:
                writer.write(response)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

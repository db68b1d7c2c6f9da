"""`outreach serve` in its own process, killed with SIGKILL and started again at will."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

import httpx


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """The real service on a database (a SQLite file by default), on a loopback port."""

    def __init__(self, database_url: str, log_path: Path) -> None:
        self.database_url = database_url
        self.log_path = log_path
        self.port = free_port()
        self.process: asyncio.subprocess.Process | None = None
        self.restarts = 0

    async def start(self) -> None:
        env = {
            **os.environ,
            "OUTREACH_DATABASE_URL": self.database_url,
            "OUTREACH_PORT": str(self.port),
            "OUTREACH_SECURE_COOKIES": "false",
        }
        with self.log_path.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "outreach", "serve", env=env, stdout=log, stderr=log
            )
        async with httpx.AsyncClient() as client:
            for _ in range(300):
                try:
                    if (await client.get(f"http://127.0.0.1:{self.port}/health")).is_success:
                        return
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
        raise RuntimeError(f"the server did not start; see {self.log_path}")

    async def kill(self) -> None:
        """SIGKILL: no clean shutdown, as a power cut."""
        if self.process is not None:
            self.process.kill()
            await self.process.wait()
            self.process = None

    async def restart(self) -> None:
        await self.kill()
        self.restarts += 1
        await self.start()

    async def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            await self.process.wait()
            self.process = None

"""A PyTAK client driven by a test, for the hub tests (test/hub-peers.test.ts).

Connects with PyTAK's own transport (pytak.protocol_factory, so tcp:// and tls:// with the
PYTAK_TLS_* keys from the environment), sends what the test writes and reports what it
receives. Talks to the test in JSON lines:
  stdin:  {"send": "<event …/>"}   queue one event on PyTAK's TXWorker
          {"quit": true}
  stdout: {"connected": true}      once connected
          {"event": "<event …>"}   each event received
          {"error": "…"}           the connection failed or closed
Run with Debian's python3 and PYTHONPATH=<peers>/pytak/src.
"""
import asyncio
import configparser
import json
import os
import sys

import pytak


def say(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class Printer(pytak.RXWorker):
    async def handle_data(self, data):
        pass

    async def run(self, _=-1):
        while True:
            data = await self.readcot()
            if not data:
                say({"error": "connection closed"})
                return
            say({"event": data.decode("utf-8", "replace")})


async def main():
    parser = configparser.ConfigParser()
    parser["peer"] = {k: v for k, v in os.environ.items() if k == "COT_URL" or k.startswith("PYTAK_")}
    config = parser["peer"]
    try:
        reader, writer = await pytak.protocol_factory(config)
    except Exception as exc:  # reported to the test, which decides
        say({"error": f"{type(exc).__name__}: {exc}"})
        return
    tx_queue = asyncio.Queue()
    sender = pytak.TXWorker(tx_queue, config, writer)
    receiver = Printer(asyncio.Queue(), config, reader)
    say({"connected": True})
    loop = asyncio.get_running_loop()

    async def commands():
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                return
            command = json.loads(line)
            if command.get("quit"):
                return
            if "send" in command:
                await tx_queue.put(command["send"].encode("utf-8"))

    tasks = [asyncio.ensure_future(sender.run()), asyncio.ensure_future(receiver.run()), asyncio.ensure_future(commands())]
    await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in tasks:
        task.cancel()
    writer.close()


if __name__ == "__main__":
    asyncio.run(main())

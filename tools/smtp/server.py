#!/usr/bin/python3
"""A real SMTP server (aiosmtpd) on a loopback port, for the tests of sending mail.

    /usr/bin/python3 server.py --dir DIR --control FILE [--port 0]

It prints `listening on smtp://127.0.0.1:<port>` when ready. Every message it
accepts is stored as DIR/<n>.eml, beside DIR/<n>.json with its envelope and the
message as a mail program reads it (headers decoded, the plain and HTML parts as
text), so tests need not decode MIME themselves. The
control file (JSON, read again for every message, so a test changes it between
steps) says how to answer: {"mode": "accept"} (the default), "temporary" (451) or
"permanent" (550). A server that is down is this process stopped; started again
with --port it comes back on the same port.
"""

import argparse
import asyncio
import json
import os

from email import message_from_bytes, policy

from aiosmtpd.smtp import SMTP


def read(raw):
    """The message as a mail program shows it: decoded headers and parts."""
    message = message_from_bytes(raw, policy=policy.default)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return {
        "subject": str(message.get("Subject", "")),
        "headers": {name: str(value) for name, value in message.items()},
        "text": text.get_content() if text else "",
        "html": html.get_content() if html else "",
    }


class Store:
    def __init__(self, directory, control):
        self.directory = directory
        self.control = control
        self.count = len([n for n in os.listdir(directory) if n.endswith(".eml")])

    def mode(self):
        try:
            with open(self.control, encoding="utf-8") as file:
                return json.load(file).get("mode", "accept")
        except (OSError, ValueError):
            return "accept"

    async def handle_DATA(self, server, session, envelope):
        mode = self.mode()
        if mode == "temporary":
            return "451 4.3.0 Try again later (the test server says so)"
        if mode == "permanent":
            return "550 5.1.1 No such mailbox here (the test server says so)"
        self.count += 1
        name = os.path.join(self.directory, str(self.count))
        with open(name + ".eml.part", "wb") as file:
            file.write(envelope.original_content or envelope.content)
        raw = envelope.original_content or envelope.content
        with open(name + ".json", "w", encoding="utf-8") as file:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos, **read(raw)}, file)
        # The .eml appears whole or not at all: tests wait for it.
        os.rename(name + ".eml.part", name + ".eml")
        return f"250 2.0.0 Ok: queued as {self.count}"


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--control", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    store = Store(args.dir, args.control)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(store, hostname="smtp.test", enable_SMTPUTF8=True),
        "127.0.0.1",
        args.port,
        reuse_address=True,
    )
    port = server.sockets[0].getsockname()[1]
    print(f"listening on smtp://127.0.0.1:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())

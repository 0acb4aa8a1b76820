#!/usr/bin/python3
"""A real webhook receiver on a loopback port, for the tests of webhooks.

    /usr/bin/python3 receiver.py [--port 0]

It prints `listening on http://127.0.0.1:<port>` when ready. It checks every
POST to /hook the way the Standard Webhooks scheme says: the HMAC-SHA256, keyed
with the secret's bytes (base64 after `whsec_`), of "{webhook-id}.{webhook-timestamp}.{body}",
against each `v1,` signature in `webhook-signature`. It answers 500 while told to
fail, else 200, and keeps every request it got.

    POST /control   {"secret": "whsec_…", "fail": 3}   fail the next 3, check with this secret
    GET  /received  every request: id, type, objective_id, verified, status, at_ms, body
"""

import argparse
import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
state = {"secret": "", "fail": 0, "received": []}


def verified(headers, body):
    secret = state["secret"]
    if not secret.startswith("whsec_"):
        return False
    key = base64.b64decode(secret[len("whsec_"):])
    msg_id = headers.get("webhook-id", "")
    stamp = headers.get("webhook-timestamp", "")
    signed = f"{msg_id}.{stamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    given = [s.split(",", 1)[1] for s in headers.get("webhook-signature", "").split() if s.startswith("v1,")]
    fresh = stamp.isdigit() and abs(time.time() - int(stamp)) < 300
    return fresh and any(hmac.compare_digest(expected, g) for g in given)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, payload=b""):
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        if self.path == "/received":
            with lock:
                payload = json.dumps(state["received"]).encode()
            self.answer(200, payload)
        else:
            self.answer(404)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.path == "/control":
            control = json.loads(body)
            with lock:
                state.update({k: v for k, v in control.items() if k in ("secret", "fail")})
            self.answer(200)
            return
        if self.path != "/hook":
            self.answer(404)
            return
        try:
            event = json.loads(body)
        except ValueError:
            event = {}
        with lock:
            status = 500 if state["fail"] > 0 else 200
            if state["fail"] > 0:
                state["fail"] -= 1
            state["received"].append({
                "id": self.headers.get("webhook-id"),
                "type": event.get("type"),
                "objective_id": (event.get("data") or {}).get("objective_id"),
                "verified": verified(self.headers, body),
                "status": status,
                "at_ms": int(time.time() * 1000),
                "body": event,
            })
        self.answer(status, b"{}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

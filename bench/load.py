#!/usr/bin/env python3
"""A bounded load on the running platform's REST API, on 127.0.0.1 only.

CUSTOMERS customers are requested (each write must be accepted: they stay within the write rate
limit); as soon as each is accepted, SSE_CLIENTS clients in all (spread evenly over the customers)
follow its event stream until the stream ends at READY; meanwhile READS_PER_SECOND reads
(GET /customers pages and GET /customers/{id}, alternately) run for DURATION seconds. Then every
SSE client's events are compared with the customer's timeline up to READY, and the customers are
deprovisioned with purge.

The API token comes on stdin (never on a command line). Prints the figures and writes them as JSON
to the file named by the first argument.
"""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse
from collections import Counter

API = urllib.parse.urlsplit(os.environ.get("TENANTPLANE_API", "http://127.0.0.1:8081/api/v1"))
if API.hostname not in ("127.0.0.1", "localhost"):
    sys.exit("load: TENANTPLANE_API must be on 127.0.0.1")
CUSTOMERS = int(os.environ.get("TENANTPLANE_LOAD_CUSTOMERS", "10"))
SSE_CLIENTS = int(os.environ.get("TENANTPLANE_LOAD_SSE_CLIENTS", "200"))
READS_PER_SECOND = int(os.environ.get("TENANTPLANE_LOAD_READS_PER_SECOND", "200"))
DURATION = int(os.environ.get("TENANTPLANE_LOAD_DURATION", "60"))
READY_WAIT = int(os.environ.get("TENANTPLANE_LOAD_READY_WAIT", "900"))
READERS = 20
TOKEN = sys.stdin.readline().strip()
RUN = time.strftime("%H%M%S")
IDS = [f"load-{RUN}-{n}" for n in range(CUSTOMERS)]


def connection(timeout=30):
    return http.client.HTTPConnection(API.hostname, API.port or 80, timeout=timeout)


def call(method, path, body=None, conn=None, timeout=30):
    """One request; returns (status, parsed JSON or None, seconds)."""
    own = conn is None
    conn = conn or connection(timeout)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    started = time.monotonic()
    try:
        conn.request(method, API.path + path, body=data, headers=headers)
        response = conn.getresponse()
        raw = response.read()
        elapsed = time.monotonic() - started
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return response.status, parsed, elapsed
    finally:
        if own:
            conn.close()


class SseClient(threading.Thread):
    """Follows one customer's event stream until it ends, keeping the event ids it saw."""

    def __init__(self, customer):
        super().__init__(daemon=True)
        self.customer = customer
        self.event_ids = set()
        self.error = None

    def run(self):
        deadline = time.monotonic() + READY_WAIT
        while time.monotonic() < deadline:
            conn = connection(timeout=READY_WAIT)
            try:
                conn.request(
                    "GET",
                    f"{API.path}/customers/{self.customer}/events",
                    headers={"Authorization": f"Bearer {TOKEN}", "Accept": "text/event-stream"},
                )
                response = conn.getresponse()
                if response.status != 200:
                    self.error = f"HTTP {response.status}"
                    return
                for line in response:
                    line = line.decode("utf-8", "replace").rstrip("\r\n")
                    if line.startswith("data:"):
                        entry = json.loads(line[5:].strip())
                        self.event_ids.add(entry["eventId"])
                self.error = None
                return
            except (OSError, http.client.HTTPException, ValueError) as e:
                # A dropped stream is followed again from the start; the ids are a set.
                self.error = f"{type(e).__name__}: {e}"
                time.sleep(1)
            finally:
                conn.close()


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, int((p * len(ordered) + 99) // 100) - 1))
    return ordered[index]


def reader(stop, results, lock, offset, accepted):
    conn = connection()
    interval = READERS / READS_PER_SECOND
    next_at = time.monotonic() + offset * interval / READERS
    n = 0
    while not stop.is_set():
        now = time.monotonic()
        if now < next_at:
            time.sleep(next_at - now)
        next_at += interval
        n += 1
        # A customer is read once its request was accepted: before, 404 is the right answer.
        known = list(accepted)
        path = f"/customers/{known[n % len(known)]}" if n % 2 == 0 and known else "/customers?size=20"
        try:
            status, _, elapsed = call("GET", path, conn=conn)
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = connection()
            status, elapsed = 0, None
        with lock:
            results.append((status, elapsed))
    conn.close()


def main(out_path):
    started = time.monotonic()
    writes = {}
    clients = []
    stop = threading.Event()
    reads = []
    accepted = []
    lock = threading.Lock()
    readers = [
        threading.Thread(target=reader, args=(stop, reads, lock, i, accepted), daemon=True)
        for i in range(READERS)
    ]
    for thread in readers:
        thread.start()
    per_customer = max(1, SSE_CLIENTS // CUSTOMERS)
    for customer in IDS:
        status, body, _ = call(
            "POST", "/customers", {"id": customer, "name": f"Load {customer}", "plan": "small"}
        )
        writes[customer] = status
        if status == 202:
            accepted.append(customer)
        if status == 202:
            for _ in range(per_customer):
                client = SseClient(customer)
                client.start()
                clients.append(client)
    while time.monotonic() - started < DURATION:
        time.sleep(0.5)
    stop.set()
    for thread in readers:
        thread.join(10)

    statuses = {}
    ready_deadline = time.monotonic() + READY_WAIT
    for customer in IDS:
        while True:
            status, body, _ = call("GET", f"/customers/{customer}")
            statuses[customer] = body.get("status") if body else f"HTTP {status}"
            if statuses[customer] in ("READY", "FAILED") or time.monotonic() > ready_deadline:
                break
            time.sleep(2)
    for client in clients:
        client.join(max(1, ready_deadline - time.monotonic()))

    complete = 0
    incomplete = []
    for client in clients:
        _, body, _ = call("GET", f"/customers/{client.customer}")
        timeline = body.get("timeline", []) if body else []
        wanted = set()
        for entry in timeline:
            wanted.add(entry["eventId"])
            if entry["type"] == "tenantplane.customer.ready.v1":
                break
        if wanted and wanted <= client.event_ids:
            complete += 1
        else:
            incomplete.append(
                f"{client.customer}: saw {len(client.event_ids & wanted)} of {len(wanted)}"
                + (f" ({client.error})" if client.error else "")
            )

    for customer in IDS:
        call("DELETE", f"/customers/{customer}?purge=true")
    gone_deadline = time.monotonic() + 300
    for customer in IDS:
        while time.monotonic() < gone_deadline:
            _, body, _ = call("GET", f"/customers/{customer}")
            if not body or body.get("status") == "DEPROVISIONED":
                break
            time.sleep(2)

    latencies = [elapsed * 1000 for status, elapsed in reads if status == 200]
    figures = {
        "customers": CUSTOMERS,
        "writes_accepted": sum(1 for s in writes.values() if s == 202),
        "ready": sum(1 for s in statuses.values() if s == "READY"),
        "reads": len(reads),
        "reads_failed": sum(1 for status, _ in reads if status != 200),
        # 0: no answer (the connection failed or timed out).
        "reads_failed_by_status": " ".join(
            f"{status}×{count}"
            for status, count in sorted(Counter(s for s, _ in reads if s != 200).items())
        )
        or "none",
        "reads_per_second": round(len(reads) / DURATION, 1),
        "read_p50_ms": round(percentile(latencies, 50), 1) if latencies else None,
        "read_p99_ms": round(percentile(latencies, 99), 1) if latencies else None,
        "sse_clients": len(clients),
        "sse_complete": complete,
        "sse_incomplete": incomplete[:10],
        "duration_s": DURATION,
    }
    print(json.dumps(figures, indent=2))
    with open(out_path, "w") as out:
        json.dump(figures, out)
    ok = (
        figures["writes_accepted"] == CUSTOMERS
        and figures["sse_complete"] == len(clients)
        and figures["reads_failed"] == 0
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

"""Portal load benchmark: many concurrent readers on one article, against ``sulieu serve`` as a user runs it.

    .venv/bin/python bench/portal/run.py [--readers 500] [--seconds 60] [--port 8450] [--workers 2]
    scripts/with-postgres.sh .venv/bin/python bench/portal/run.py      # the same on PostgreSQL

Makes a throwaway data directory (SQLite, or the database in $DATABASE_URL), imports the Lâm Đồng seed page
with ``sulieu portal import``, starts ``sulieu serve`` on 127.0.0.1 (loopback only), then:

1. server time of the article page, one request at a time: from the cache (anonymous) and uncached;
2. ``--readers`` asyncio clients, each looping GET on the article for ``--seconds`` (bounded: every request
   has a timeout, and the run stops at the deadline), with a browser user agent so that every GET counts;
3. after the run, ``GET /api/v1/articles/<id>``: ``views`` minus the number of successful GETs (must be 0).

Prints one JSON object: throughput, p50/p95/p99 latency in ms, errors, the view-count difference.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SULIEU = [sys.executable, "-m", "sulieu.cli"]
ARTICLE = ROOT / "portal" / "demo_data" / "lam-dong-lich-su-dang.html"
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([*SULIEU, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=900,
                          check=False)
    if done.returncode != 0:
        raise SystemExit("bench: %s failed: %s" % (" ".join(args), done.stderr.strip()[-800:]))
    return done.stdout


async def _get(host: str, port: int, path: str, timeout: float) -> tuple[int, float]:
    """One HTTP/1.1 GET on a fresh connection: (status, seconds)."""
    start = time.perf_counter()
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        writer.write(("GET %s HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: %s\r\nAccept: text/html\r\n"
                      "Connection: close\r\n\r\n" % (path, host, port, UA)).encode())
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        if length:
            await asyncio.wait_for(reader.readexactly(length), timeout)
        else:
            await asyncio.wait_for(reader.read(), timeout)
        return status, time.perf_counter() - start
    finally:
        writer.close()


async def _load(host: str, port: int, path: str, readers: int, seconds: float, timeout: float) -> dict:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    deadline = time.perf_counter() + seconds

    async def reader() -> None:
        while time.perf_counter() < deadline:
            try:
                status, took = await _get(host, port, path, timeout)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                continue
            if status == 200:
                latencies.append(took)
            else:
                errors["HTTP %d" % status] = errors.get("HTTP %d" % status, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(reader() for _ in range(readers)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1) if latencies else 0.0

    return {"readers": readers, "seconds": round(elapsed, 1), "ok": len(latencies),
            "throughput_rps": round(len(latencies) / elapsed, 1), "p50_ms": pct(0.50), "p95_ms": pct(0.95),
            "p99_ms": pct(0.99), "max_ms": round(1000 * latencies[-1], 1) if latencies else 0.0,
            "errors": sum(errors.values()), "error_kinds": errors}


def _server_times(base: str, path: str, n: int = 20) -> dict:
    def timed(url: str) -> float:
        request = urllib.request.Request(url, headers={"User-Agent": UA})
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            response.read()
        return 1000 * (time.perf_counter() - start)

    timed(base + path)  # fills the cache
    cached = [timed(base + path) for _ in range(n)]
    uncached = [timed(base + path + "?khong-cache=%d" % i) for i in range(n)]  # a query string skips the cache
    return {"cached_p50_ms": round(statistics.median(cached), 1), "cached_max_ms": round(max(cached), 1),
            "uncached_p50_ms": round(statistics.median(uncached), 1), "uncached_max_ms": round(max(uncached), 1),
            "requests_each": n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8450)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes (sulieu serve --workers)")
    # Generous on purpose: a request the client gives up on is still served (and counted) by the server, so a
    # short timeout would make "views minus successful GETs" measure the client, not the counter.
    parser.add_argument("--timeout", type=float, default=900, help="seconds one request may take")
    args = parser.parse_args()
    if not 1024 <= args.port <= 65535:
        raise SystemExit("bench: --port must be in 1024-65535 (the server listens on 127.0.0.1 only)")
    data_dir = tempfile.mkdtemp(prefix="sulieu-bench-portal-")
    env = dict(os.environ, SULIEU_DATA_DIR=data_dir, SULIEU_ADMIN_PASSWORD="bench-password-2026",
               SULIEU_ALLOWED_HOSTS="127.0.0.1,localhost")
    database = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    print("bench: preparing %s in %s…" % (database, data_dir), file=sys.stderr)
    _run(["createadmin", "bench"], env)
    _run(["portal", "setup"], env)
    imported = json.loads(_run(["portal", "import", str(ARTICLE), "--json"], env))["results"][0]
    path = imported["url"]
    server = subprocess.Popen([*SULIEU, "serve", "--host", "127.0.0.1", "--port", str(args.port), "--no-worker",
                               "--workers", str(args.workers)], env={**env, "SULIEU_CONSOLE_LOG_LEVEL": "ERROR"},
                              cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = "http://127.0.0.1:%d" % args.port
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()  # noqa: S310 (loopback)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit("bench: the server did not start")
        times = _server_times(base, path)
        before = json.load(urllib.request.urlopen(base + "/api/v1/articles/%s" % imported["id"]))["views"]  # noqa: S310
        print("bench: %d readers for %ss…" % (args.readers, args.seconds), file=sys.stderr)
        load = asyncio.run(_load("127.0.0.1", args.port, path, args.readers, args.seconds, args.timeout))
        time.sleep(1)
        after = json.load(urllib.request.urlopen(base + "/api/v1/articles/%s" % imported["id"]))["views"]  # noqa: S310
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    print(json.dumps({"database": database, "article": path, "server_time": times, "load": load,
                      "views_counted": after - before, "views_minus_successful_gets": after - before - load["ok"]},
                     ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

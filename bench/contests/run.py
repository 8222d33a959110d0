"""Contest-day load test: simultaneous takers against ``sulieu serve`` on PostgreSQL, over real HTTP.

    .venv/bin/python bench/contests/run.py [--stages 250,500,1000,2000,4000] [--questions 10] [--think 4]
                                           [--ramp 20] [--workers 5] [--threads 8] [--port 8650]

What it does, all on loopback and bounded in count and time:

1. Uses ``$DATABASE_URL`` when it names PostgreSQL, else starts a throwaway PostgreSQL cluster on
   127.0.0.1:(port+1) with the server's *durable* defaults (fsync and synchronous_commit on), in a temporary
   directory it deletes afterwards.
2. Makes a data directory, migrates, loads a province with 40 communes, a bank of 200 questions and a contest
   through the ``sulieu`` commands, then starts ``sulieu serve --workers W --threads T --no-worker`` as the README
   says for a contest day (per-IP limit off because every simulated taker comes from 127.0.0.1; the per-token
   limit stays on).
3. For each stage N: N takers ramp in over ``--ramp`` seconds; each registers, starts an attempt, answers every
   question with a think time of about ``--think`` seconds (uniform ±50 %), then submits. A stage is *held*
   when answer saves have p99 < 300 ms and under 1 % errors; the run stops at the first stage not held.
4. Prints per stage: takers, peak simultaneous takers in an attempt, starts/s and start p95, answer saves/s,
   save p50/p95/p99, errors; then checks the database: answers stored = answers acknowledged (with the
   acknowledged value), submitted attempts = acknowledged submits. Also prints the CPU time used by the
   load generator itself (it shares the 2 cores with the server and PostgreSQL).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
SULIEU = [str(VENV_BIN / "sulieu")] if (VENV_BIN / "sulieu").exists() else [sys.executable, "-m", "sulieu.cli"]
TIMEOUT = 15.0


def log(msg: str) -> None:
    print("bench: " + msg, file=sys.stderr, flush=True)


# --- PostgreSQL ------------------------------------------------------------------------------------

class Postgres:
    """A throwaway cluster with durable settings (what a contest day would run), unless DATABASE_URL is set."""

    def __init__(self, port: int) -> None:
        self.port, self.dir, self.bindir, self.as_pg = port, None, None, []

    def start(self) -> str:
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            log("using $DATABASE_URL")
            return url
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        self.bindir = out.stdout.strip() if out.returncode == 0 else sorted(Path("/usr/lib/postgresql").glob(
            "*/bin"))[-1].as_posix()
        self.dir = tempfile.mkdtemp(prefix="sulieu-bench-pg.")
        os.chmod(self.dir, 0o755)
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
            self.as_pg = ["runuser", "-u", "postgres", "--"]
        subprocess.run([*self.as_pg, f"{self.bindir}/initdb", "-D", f"{self.dir}/data", "-U", "sulieu",
                        "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
        subprocess.run([*self.as_pg, f"{self.bindir}/pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/log",
                        "-w", "-o", f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} "
                        "-c max_connections=200 -c shared_buffers=256MB", "start"], check=True, capture_output=True)
        subprocess.run([f"{self.bindir}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "sulieu", "-d",
                        "postgres", "-qc", "CREATE DATABASE sulieu"], check=True, capture_output=True)
        log(f"PostgreSQL (fsync on, synchronous_commit on) on 127.0.0.1:{self.port}")
        return f"postgres://sulieu@127.0.0.1:{self.port}/sulieu"

    def postmaster_pid(self) -> int:
        try:
            return int((Path(self.dir) / "data" / "postmaster.pid").read_text().split()[0]) if self.dir else -1
        except (OSError, ValueError, IndexError):
            return -1

    def stop(self) -> None:
        if self.dir:
            subprocess.run([*self.as_pg, f"{self.bindir}/pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w",
                            "stop"], capture_output=True)
            shutil.rmtree(self.dir, ignore_errors=True)


def cpu_seconds(select) -> float:
    """utime+stime of the processes ``select(pid, ppid, session)`` accepts, from /proc (clock ticks → s)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ppid, session = int(fields[1]), int(fields[3])
        if select(int(entry.name), ppid, session):
            total += int(fields[11]) + int(fields[12])
    return total / tick


def start_redis(port: int, tmp: Path) -> subprocess.Popen | None:
    exe = shutil.which("redis-server") or shutil.which("valkey-server")
    if exe is None:
        log("no redis-server/valkey-server: rate-limit counters stay in each process's memory")
        return None
    proc = subprocess.Popen([exe, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
                             "--dir", str(tmp)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    log(f"{Path(exe).name} on 127.0.0.1:{port} for the rate-limit counters")
    return proc


# --- set-up ----------------------------------------------------------------------------------------

SETUP_UNITS = """
from orgs.models import UnitKind
from orgs.services import orgunit_get_or_create
p, _ = orgunit_get_or_create(kind=UnitKind.PROVINCE, code="B56", name="Tỉnh Thử tải", by=None)
for i in range(40):
    orgunit_get_or_create(kind=UnitKind.COMMUNE, code="B56-%02d" % i, name="Xã Thử %d" % i, parent=p, by=None)
"""


def setup(env: dict, tmp: Path, questions: int, time_limit: int) -> None:
    def run(*args: str) -> None:
        out = subprocess.run([*SULIEU, *args], env=env, capture_output=True, text=True)
        if out.returncode:
            raise SystemExit("bench: sulieu %s failed: %s" % (" ".join(args[:2]), out.stderr.strip()[-500:]))

    run("manage", "migrate", "--verbosity", "0")
    run("manage", "shell", "-c", SETUP_UNITS)
    bank = tmp / "bank.csv"
    lines = ["question,option_a,option_b,option_c,option_d,correct,topic,source_item"]
    for i in range(200):
        lines.append("Câu hỏi thử tải số %d về lịch sử Đảng bộ?,Phương án A,Phương án B,Phương án C,Phương án D,"
                     "%s,Thử tải," % (i, "abcd"[i % 4]))
    bank.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run("contest", "import-bank", str(bank), "--bank", "bench")
    now = time.time()
    iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(t))  # noqa: E731
    spec = {"slug": "bench", "title": "Thử tải", "bank": "bench", "questions_per_attempt": questions,
            "time_limit_s": time_limit, "attempts_per_round": 3, "unit_code": "B56",
            "prediction_question": "Bao nhiêu lượt?",
            "rounds": [{"name": "Tuần 1", "opens_at": iso(now - 60), "closes_at": iso(now + 6 * 3600)}]}
    (tmp / "spec.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    run("contest", "create", "--spec", str(tmp / "spec.json"))


# --- load ------------------------------------------------------------------------------------------

@dataclass
class Stage:
    takers: int
    start_lat: list = field(default_factory=list)
    save_lat: list = field(default_factory=list)
    errors: dict = field(default_factory=dict)
    active: int = 0
    peak: int = 0
    submits: int = 0
    t0: float = 0.0
    t1: float = 0.0
    first_start: float = 0.0
    last_start: float = 0.0

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


def pct(values: list, q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


async def one_taker(client, stage: Stage, idx: int, run_id: str, delay: float, think: float, acked: dict,
                    submitted: set) -> None:
    import httpx

    await asyncio.sleep(delay)
    try:
        r = await client.post("/api/v1/contests/bench/register", json={
            "name": "Thí sinh %s-%d" % (run_id, idx), "unit_code": "B56-%02d" % (idx % 40), "birth_year": 1990,
            "contact": "bench-%s-%d@example.org" % (run_id, idx)})
        if r.status_code not in (200, 201):
            return stage.error("register %d" % r.status_code)
        headers = {"Authorization": "Bearer " + r.json()["token"]}
        t = time.perf_counter()
        r = await client.post("/api/v1/contests/bench/attempts", headers=headers)
        stage.start_lat.append(time.perf_counter() - t)
        if r.status_code not in (200, 201):
            return stage.error("start %d" % r.status_code)
        now = time.monotonic()
        stage.first_start = stage.first_start or now
        stage.last_start = max(stage.last_start, now)
        attempt = r.json()
        stage.active += 1
        stage.peak = max(stage.peak, stage.active)
        try:
            for q in attempt["questions"]:
                await asyncio.sleep(random.uniform(think * 0.5, think * 1.5))
                choice = [random.choice(q["options"])["id"]]
                t = time.perf_counter()
                try:
                    r = await client.put("/api/v1/attempts/%d/answers/%d" % (attempt["attempt_id"], q["id"]),
                                         json={"option_ids": choice}, headers=headers)
                except httpx.HTTPError as exc:
                    stage.error("save " + type(exc).__name__)
                    continue
                stage.save_lat.append(time.perf_counter() - t)
                if r.status_code == 200:
                    acked[(attempt["attempt_id"], q["id"])] = choice
                else:
                    stage.error("save %d" % r.status_code)
            r = await client.post("/api/v1/attempts/%d/submit" % attempt["attempt_id"], json={"prediction": idx},
                                  headers=headers)
            if r.status_code == 200:
                submitted.add(attempt["attempt_id"])
                stage.submits += 1
            else:
                stage.error("submit %d" % r.status_code)
        finally:
            stage.active -= 1
    except httpx.HTTPError as exc:
        stage.error(type(exc).__name__)


async def run_stage(base: str, n: int, ramp: float, think: float, run_id: str, acked: dict, submitted: set,
                    connections: int) -> Stage:
    import httpx

    stage = Stage(n)
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=TIMEOUT) as client:
        stage.t0 = time.monotonic()
        await asyncio.gather(*(one_taker(client, stage, i, run_id, ramp * i / n, think, acked, submitted)
                               for i in range(n)))
        stage.t1 = time.monotonic()
    return stage


def report(stage: Stage) -> dict:
    saves = len(stage.save_lat)
    start_window = max(stage.last_start - stage.first_start, 1e-9)
    total_requests = saves + 2 * stage.takers + stage.submits
    errors = sum(stage.errors.values())
    return {
        "takers": stage.takers, "peak_simultaneous": stage.peak,
        "starts": len(stage.start_lat), "starts_per_s": round(len(stage.start_lat) / start_window, 1),
        "start_p95_ms": round(pct(stage.start_lat, 0.95), 1),
        "saves": saves, "saves_per_s": round(saves / max(stage.t1 - stage.t0, 1e-9), 1),
        "save_p50_ms": round(pct(stage.save_lat, 0.50), 1), "save_p95_ms": round(pct(stage.save_lat, 0.95), 1),
        "save_p99_ms": round(pct(stage.save_lat, 0.99), 1),
        "errors": errors, "error_rate": round(errors / max(total_requests, 1), 4), "error_kinds": stage.errors,
        "seconds": round(stage.t1 - stage.t0, 1),
    }


def verify(db_url: str, acked: dict, submitted: set) -> dict:
    import psycopg

    with psycopg.connect(db_url) as conn:
        rows = conn.execute("SELECT a.attempt_id, a.version_id, a.option_ids FROM contests_answer a "
                            "JOIN contests_attempt t ON t.id = a.attempt_id WHERE a.option_ids IS NOT NULL").fetchall()
        stored = {(att, vid): list(opts) for att, vid, opts in rows}
        subs = {r[0] for r in conn.execute("SELECT id FROM contests_attempt WHERE submitted_at IS NOT NULL "
                                           "AND auto_submitted = false").fetchall()}
    lost = [k for k in acked if k not in stored]
    wrong = [k for k, v in acked.items() if k in stored and stored[k] != v]
    return {"answers_acknowledged": len(acked), "answers_in_db": len(stored), "lost": len(lost),
            "different_value": len(wrong), "submits_acknowledged": len(submitted),
            "submitted_in_db": len(subs), "submits_lost": len(submitted - subs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stages", default="250,500,1000,2000,4000,8000,10000")
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--think", type=float, default=4.0, help="seconds between a taker's answers (mean)")
    parser.add_argument("--ramp", type=float, default=20.0, help="seconds over which a stage's takers start")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--connections", type=int, default=400, help="HTTP connections the generator opens")
    parser.add_argument("--port", type=int, default=8650)
    parser.add_argument("--max-seconds", type=float, default=900, help="stop starting stages after this")
    args = parser.parse_args()
    if not 8600 <= args.port <= 8698:
        raise SystemExit("bench: --port must be within 8600-8698 (this workspace's range)")
    stages = [int(s) for s in args.stages.split(",") if s.strip()]
    if max(stages) > 20000:
        raise SystemExit("bench: at most 20,000 takers per stage")
    pg = Postgres(args.port + 1)
    tmp = Path(tempfile.mkdtemp(prefix="sulieu-bench-contests."))
    server = redis = None
    began = time.monotonic()
    try:
        db_url = pg.start()
        env = dict(os.environ, DATABASE_URL=db_url, SULIEU_DATA_DIR=str(tmp / "data"),
                   SULIEU_CONTEST_RATE_IP="0", SULIEU_CONTEST_RATE_TOKEN="240", SULIEU_SECURE_COOKIES="0")
        redis = start_redis(args.port + 2, tmp)
        if redis is not None:
            env["SULIEU_REDIS_URL"] = "redis://127.0.0.1:%d/0" % (args.port + 2)
        log("set-up (migrate, units, bank, contest)…")
        setup(env, tmp, args.questions, time_limit=int(args.questions * args.think * 3 + 120))
        server = subprocess.Popen([*SULIEU, "serve", "--host", "127.0.0.1", "--port", str(args.port), "--workers",
                                   str(args.workers), "--threads", str(args.threads), "--no-worker"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        base = "http://127.0.0.1:%d" % args.port
        import httpx

        for _ in range(120):
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            raise SystemExit("bench: the server did not come up")
        log(f"sulieu serve --workers {args.workers} --threads {args.threads} on {base}")
        acked: dict = {}
        submitted: set = set()
        results = []
        held = 0
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        for n in stages:
            if time.monotonic() - began > args.max_seconds:
                log("time budget spent; stopping")
                break
            log(f"stage: {n} takers…")
            pg_pid = pg.postmaster_pid()
            redis_pid = redis.pid if redis is not None else -1
            probes = {
                "web": lambda pid, ppid, sid: sid == server.pid,
                "db": lambda pid, ppid, sid, pg_pid=pg_pid: pg_pid > 0 and pg_pid in (pid, ppid),
                "redis": lambda pid, ppid, sid, redis_pid=redis_pid: pid == redis_pid,
            }
            before = {k: cpu_seconds(f) for k, f in probes.items()}
            gen0 = resource.getrusage(resource.RUSAGE_SELF)
            stage = asyncio.run(run_stage(base, n, args.ramp, args.think, "%d-%d" % (os.getpid(), n), acked,
                                          submitted, args.connections))
            gen1 = resource.getrusage(resource.RUSAGE_SELF)
            row = report(stage)
            requests = row["saves"] + 2 * row["starts"] + stage.submits
            for k, f in probes.items():
                row[k + "_cpu_ms_per_request"] = round((cpu_seconds(f) - before[k]) * 1000 / max(requests, 1), 2)
            row["generator_cpu_ms_per_request"] = round((gen1.ru_utime + gen1.ru_stime - gen0.ru_utime
                                                         - gen0.ru_stime) * 1000 / max(requests, 1), 2)
            server_ms = row["web_cpu_ms_per_request"] + row["db_cpu_ms_per_request"] + row["redis_cpu_ms_per_request"]
            # What this request mix would sustain with the machine's cores given to the server alone.
            per_taker = (args.questions + 3) / (args.questions * args.think + 2)  # requests/s of one taker
            row["takers_per_core_estimate"] = int(1000 / max(server_ms, 1e-6) / per_taker)
            row["held"] = row["save_p99_ms"] < 300 and row["error_rate"] < 0.01
            results.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
            if not row["held"]:
                break
            held = max(held, row["peak_simultaneous"])
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        check = verify(db_url, acked, submitted)
        summary = {"largest_simultaneous_takers_held": held, "stages": len(results), "check": check,
                   "load_generator_cpu_s": round(cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime, 1),
                   "wall_s": round(time.monotonic() - began, 1), "cores": os.cpu_count(),
                   "server": {"workers": args.workers, "threads": args.threads},
                   "think_s": args.think, "questions": args.questions}
        print(json.dumps(summary, ensure_ascii=False), flush=True)
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if redis is not None:
            redis.terminate()
        pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

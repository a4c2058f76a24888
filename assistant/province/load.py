"""A bounded load run against the shared set-up (`make province`), loopback only: simulated users ask,
compare, summarise and draft plans through nginx (each keeps its own affinity cookie, as a browser does),
one user uploads reports and times how soon every replica answers from them; optionally one replica is
killed midway. Prints p50/p95 per action and the errors, telling those of requests in flight on the
killed replica from all others, and checks that every upload is still in the library at the end.

    python -m assistant.province load [--users 30] [--minutes 5] [--kill-replica 7862 --kill-after 120]
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config.settings import SAMPLES_DIR
from assistant.evaluation.bench import NAME_CHARS, _swap_region
from assistant.evaluation.qa import percentiles
from assistant.province.setup import PORTS, REPLICA_PORTS

QUESTIONS = ["天桥区2022年共收到多少件行政复议申请？", "哪些报告提到了法律明白人？", "绥滨县2024年共有多少件行政处罚案件？",
             "各报告存在的问题有哪些？", "法律援助办了多少件？", "老边区的行政执法三项制度落实得怎么样？"]
ACTIONS = (("问答", 0.75), ("对比", 0.12), ("摘要", 0.08), ("计划", 0.05))
THINK_S = (3.0, 10.0)  # between one user's actions
UPLOAD_EVERY_S = 30.0
SEEN_TIMEOUT_S = 30.0
KILL_WINDOW_S = 10.0  # errors of the killed replica's users this long after the kill count as its requests in flight
SEED = 20261207


@dataclass
class Record:
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    in_flight: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seen_s: list[float] = field(default_factory=list)  # until the answer from it came back, on the slowest replica
    asked_s: list[float] = field(default_factory=list)  # until the question so answered was asked, on the slowest
    uploaded: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _client(url: str, cookie: str):
    from gradio_client import Client

    return Client(url, headers={"Cookie": f"ra_node={cookie}"}, verbose=False, download_files=False)


def _replica_of(url: str, cookie: str) -> str:
    import httpx

    return httpx.get(url, cookies={"ra_node": cookie}, timeout=30).headers.get("x-ra-replica", "")


def _act(client, action: str, rng: random.Random) -> None:
    if action == "问答":
        result = client.predict(rng.choice(QUESTIONS), [], None, None, None, api_name="/respond")
        if "error" in str(result[-1]):
            raise RuntimeError(re.sub(r"<[^>]+>", "", str(result[-1]))[:120])
    elif action == "对比":
        client.predict(None, rng.choice(["行政复议", "普法", ""]), api_name="/do_compare")
    elif action == "摘要":
        client.predict(["004_6793ac9eb53e21ba.txt"], "一页", api_name="/do_summary")
    else:
        client.predict(rng.choice(["004_6793ac9eb53e21ba.txt", "003_fb7ec0fd7d2f86b8.txt"]), None, api_name="/do_plan")


def _user(n: int, url: str, until: float, record: Record, killed: dict) -> None:
    rng = random.Random(SEED + n)
    cookie = f"user{n:02d}"
    replica = _replica_of(url, cookie)
    client = _client(url, cookie)
    while time.monotonic() < until:
        time.sleep(rng.uniform(*THINK_S))
        action = rng.choices([a for a, _ in ACTIONS], [w for _, w in ACTIONS])[0]
        started = time.monotonic()
        try:
            _act(client, action, rng)
            with record.lock:
                record.timings[action].append(time.monotonic() - started)
        except Exception as exc:  # noqa: BLE001 - counted and printed, the run goes on
            at = killed.get("at")
            mine = at is not None and replica.endswith(f":{killed['port']}") and started <= at + KILL_WINDOW_S
            with record.lock:
                if mine:
                    record.in_flight[action] += 1
                else:
                    record.errors[action].append(str(exc)[:160])
            if mine:
                client = _client(url, cookie)  # as a browser would after a reload: another replica serves it


def _uploader(url: str, until: float, record: Record, replicas: tuple[int, ...], killed: dict) -> None:
    """Upload a new report every UPLOAD_EVERY_S through nginx, then ask every live replica directly until it
    answers from it: the time for a change to be seen everywhere, both until the first question answered from
    it was asked (the change was visible by then) and until its answer came back (that adds the answer's own
    time under load)."""
    from gradio_client import handle_file

    client = _client(url, "uploader")
    probes = {port: _client(f"http://127.0.0.1:{port}/", "probe") for port in replicas}  # each replica asked directly
    base = (SAMPLES_DIR / "004_6793ac9eb53e21ba.txt").read_text(encoding="utf-8")
    folder = Path("/tmp") / f"ra-load-{int(time.time())}"
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    while time.monotonic() + UPLOAD_EVERY_S < until:
        n += 1
        figure = 9000 + n
        region = "荷" + NAME_CHARS[n % len(NAME_CHARS)] + NAME_CHARS[(n // len(NAME_CHARS)) % len(NAME_CHARS)] + "区"
        name = f"负荷测试{n:03d}_{region}.txt"
        path = folder / name
        path.write_text(_swap_region(base, "天桥区", region).replace("行政复议84件", f"行政复议{figure}件"), encoding="utf-8")
        started = time.monotonic()
        try:
            client.predict([handle_file(str(path))], api_name="/do_upload")
            with record.lock:
                record.timings["上传"].append(time.monotonic() - started)
                record.uploaded.append(name)
        except Exception as exc:  # noqa: BLE001
            with record.lock:
                record.errors["上传"].append(str(exc)[:160])
            continue
        done = time.monotonic()
        seen: list[tuple[float, float]] = []

        def probe(port: int) -> None:
            while time.monotonic() - done < SEEN_TIMEOUT_S:
                asked = time.monotonic()
                answer = probes[port].predict(f"{region}2022年共收到多少件行政复议申请？", [], None, None, None,
                                              api_name="/respond")
                if str(figure) in str(answer[0][-1]):
                    seen.append((asked - done, time.monotonic() - done))
                    return
                time.sleep(0.1)
            seen.append((SEEN_TIMEOUT_S, SEEN_TIMEOUT_S))

        watchers = [threading.Thread(target=probe, args=(p,)) for p in replicas if killed.get("port") != p]
        for watcher in watchers:
            watcher.start()
        for watcher in watchers:
            watcher.join()
        with record.lock:
            record.asked_s.append(max(a for a, _ in seen))
            record.seen_s.append(max(b for _, b in seen))
        time.sleep(max(0.0, UPLOAD_EVERY_S - (time.monotonic() - started)))


def _kill(port: int, after: float, killed: dict) -> None:
    time.sleep(after)
    out = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True).stdout
    pids = set(re.findall(r"pid=(\d+)", out))
    for pid in pids:
        subprocess.run(["kill", "-9", pid])
    killed.update({"port": port, "at": time.monotonic(), "pids": sorted(pids)})


def run(users: int, minutes: float, kill_port: int | None, kill_after: float, url: str) -> Record:
    record, killed = Record(), {}
    until = time.monotonic() + minutes * 60
    threads = [threading.Thread(target=_user, args=(n, url, until, record, killed), daemon=True) for n in range(users)]
    threads.append(threading.Thread(target=_uploader, args=(url, until, record, REPLICA_PORTS, killed), daemon=True))
    if kill_port:
        threading.Thread(target=_kill, args=(kill_port, kill_after, killed), daemon=True).start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1.0, until - time.monotonic()) + 600)  # an action started at the end may finish
    record.killed = killed  # type: ignore[attr-defined]
    return record


def report(record: Record, database_url: str | None) -> None:
    print(f"{'动作':<6}{'次数':>6}{'p50 秒':>10}{'p95 秒':>10}{'错误':>6}")
    for action in [a for a, _ in ACTIONS] + ["上传"]:
        times = [t * 1000 for t in record.timings.get(action, [])]
        p = percentiles(times) if times else {"p50": 0, "p95": 0}
        print(f"{action:<6}{len(times):>6}{p['p50'] / 1000:>10.2f}{p['p95'] / 1000:>10.2f}{len(record.errors.get(action, [])):>6}")
    for action, messages in record.errors.items():
        for message in sorted(set(messages))[:3]:
            print(f"  错误（{action}）：{message}")
    killed = getattr(record, "killed", {})
    if killed:
        print(f"中途终止副本 127.0.0.1:{killed['port']}：其上进行中的请求失败 {sum(record.in_flight.values())} 个（不计入错误）")
    if record.seen_s:
        print(f"上传后各副本都能检索到（{len(record.seen_s)} 次上传，取最慢的副本）：答出它的提问发出于上传完成后 "
              f"{_spread(record.asked_s)}；其回答收到于 {_spread(record.seen_s)}")
    if database_url:
        import psycopg

        with psycopg.connect(database_url) as db:
            held = {r[0] for r in db.execute("SELECT name FROM reports WHERE status = 'ok'").fetchall()}
        lost = [n for n in record.uploaded if n not in held]
        print(f"上传的 {len(record.uploaded)} 份报告：{'全部在库' if not lost else '缺少 ' + '、'.join(lost)}")


def _spread(seconds: list[float]) -> str:
    return f"中位 {sorted(seconds)[len(seconds) // 2]:.2f} 秒、最长 {max(seconds):.2f} 秒"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m assistant.province load", description="共享报告库的负载测试（仅本机回环地址）")
    parser.add_argument("--users", type=int, default=30, help="模拟用户数")
    parser.add_argument("--minutes", type=float, default=5.0, help="持续分钟数")
    parser.add_argument("--kill-replica", type=int, default=None, help="中途终止这个端口上的应用副本，如 7862")
    parser.add_argument("--kill-after", type=float, default=120.0, help="开始后多少秒终止")
    parser.add_argument("--database-url", default=None, help="检查上传是否全部在库（默认 make province 的 PostgreSQL）")
    args = parser.parse_args(argv)
    url = f"http://127.0.0.1:{PORTS['nginx']}/"
    print(f"负载测试：{args.users} 个模拟用户，{args.minutes} 分钟，经 {url}")
    record = run(args.users, args.minutes, args.kill_replica, args.kill_after, url)
    report(record, args.database_url or f"postgresql://postgres@127.0.0.1:{PORTS['postgres']}/reports")

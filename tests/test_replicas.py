"""Two app replicas on one PostgreSQL library behind nginx (the `server` marker; real processes, loopback only):
a browser's requests stay on one replica (the affinity cookie), an upload made through one replica is answered
by the other within 2 s, and when a replica dies its users are served by the other with nothing lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from assistant.province.nginx import nginx_binary, write_config

from .conftest import ROOT, SAMPLES
from .helpers import free_port, wait_until_serving
from .test_shared_library import database, postgres  # noqa: F401 - fixtures

pytestmark = pytest.mark.server
QUESTION = "天桥区2022年共收到多少件行政复议申请？"


@pytest.fixture()
def replicas(tmp_path, database):  # noqa: F811 - the fixture imported above
    ports = [free_port(), free_port()]
    env = {**os.environ, "RA_DATABASE_URL": database, "RA_EMBEDDING_PROVIDER": "none", "RA_SAMPLES_DIR": "none",
           "RA_QUEUE_IN_APP": "false", "RA_DATA_DIR": str(tmp_path / "shared")}
    procs = [subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env={**env, "RA_PORT": str(p)}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True) for p in ports]
    for port, proc in zip(ports, procs):
        wait_until_serving(f"http://127.0.0.1:{port}/", proc, 90, "app.py")
    front = free_port()
    conf = write_config(tmp_path / "nginx", front, tuple(ports))
    nginx = subprocess.Popen([nginx_binary(), "-p", str(tmp_path / "nginx"), "-c", str(conf), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_serving(front, nginx, 30, "nginx")
    yield f"http://127.0.0.1:{front}/", dict(zip(ports, procs))
    for proc in [nginx, *procs]:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=20)


def _served_by(url: str, cookie: str) -> str:
    return httpx.get(url, cookies={"ra_node": cookie}, timeout=60).headers["x-ra-replica"]


def _client(url: str, cookie: str):
    from gradio_client import Client

    return Client(url, headers={"Cookie": f"ra_node={cookie}"}, verbose=False, download_files=False)


def _answer(client) -> str:
    return str(client.predict(QUESTION, [], None, None, None, api_name="/respond")[0][-1])


def test_affinity_shared_changes_and_a_replica_lost(replicas):
    from gradio_client import handle_file

    url, procs = replicas
    first = _served_by(url, "uploader")
    assert {_served_by(url, "uploader") for _ in range(5)} == {first}  # every request of a browser to one replica
    other = next(c for c in (f"user{i}" for i in range(50)) if _served_by(url, c) != first)
    asker = _client(url, other)
    assert "84" not in _answer(asker)
    uploader = _client(url, "uploader")
    uploader.predict([handle_file(str(SAMPLES / "004_6793ac9eb53e21ba.txt"))], api_name="/do_upload")
    done = time.monotonic()
    while "84" not in _answer(asker):  # asked of the other replica
        assert time.monotonic() - done < 2.0, "the other replica did not see the upload within 2 s"
    port = int(first.rsplit(":", 1)[1])
    os.killpg(procs[port].pid, signal.SIGKILL)  # the uploader's replica dies
    procs[port].wait(timeout=10)
    assert _served_by(url, "uploader") != first  # its browser is served by the other replica now
    assert "84" in _answer(_client(url, "uploader"))  # and nothing it stored is lost

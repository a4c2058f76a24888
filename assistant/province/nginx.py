"""nginx (Debian's) in front of the app replicas, with the session affinity Gradio needs: a browser's
requests (the page, its event stream, its uploads and downloads) all reach the replica that holds its
session. nginx gives each new browser a random `ra_node` cookie and hashes on it (consistent hashing:
when a replica stops, only its own users move, to a replica that then serves them after a reload).
"""

from __future__ import annotations

import os
import pwd
import shutil
from pathlib import Path

from assistant.province.postgres import PostgresMissing

TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "logs")
UPLOAD_LIMIT_MB = 60

CONFIG = """# written by `make province` (assistant/province/nginx.py): every change here is overwritten
worker_processes 1;
{user}
error_log logs/error.log warn;
pid logs/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log logs/access.log;
    client_max_body_size {upload_mb}m;
    client_body_temp_path client_body;
    proxy_temp_path proxy;
    fastcgi_temp_path fastcgi;
    uwsgi_temp_path uwsgi;
    scgi_temp_path scgi;
    map $cookie_ra_node $ra_affinity {{ "" $request_id; default $cookie_ra_node; }}
    map $cookie_ra_node $ra_set_cookie {{ "" "ra_node=$request_id; Path=/; HttpOnly; SameSite=Lax"; default ""; }}
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    upstream replicas {{
        hash $ra_affinity consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://replicas;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_buffering off;
            proxy_read_timeout 600s;
            proxy_next_upstream error timeout http_502;
            add_header Set-Cookie $ra_set_cookie always;
            add_header X-RA-Replica $upstream_addr always;
        }}
    }}
}}
"""


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise PostgresMissing("找不到 nginx：请安装 Debian 的 nginx 软件包（apt-get install nginx），make province 会自动安装")
    return found


def write_config(prefix: Path, port: int, replicas: tuple[int, ...]) -> Path:
    """nginx.conf under `prefix` (with its temporary folders), for `replicas` on 127.0.0.1."""
    user = ""
    owner = None
    if os.geteuid() == 0:  # workers run as www-data, and must write their temporary folders
        try:
            owner = pwd.getpwnam("www-data")
            user = "user www-data;"
        except KeyError:
            user = "user root;"
    for name in TEMP_DIRS:
        (prefix / name).mkdir(parents=True, exist_ok=True)
        if owner is not None:
            os.chown(prefix / name, owner.pw_uid, owner.pw_gid)
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in replicas)
    conf = prefix / "nginx.conf"
    conf.write_text(CONFIG.format(user=user, upload_mb=UPLOAD_LIMIT_MB, servers=servers, port=port), encoding="utf-8")
    return conf

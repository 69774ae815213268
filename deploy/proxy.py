"""HAProxy's configuration for N Streamlit servers, from the template beside this file."""
from __future__ import annotations

from pathlib import Path
from string import Template

TEMPLATE = Path(__file__).with_name("haproxy.cfg.in")
COOKIE = "RNNVIZ_SERVER"
MAX_BODY = 33 * 2**20           # bytes of one request: a 32 MB upload (server.maxUploadSize) and its form's framing


def server_name(i: int) -> str:
    return f"s{i + 1}"


def config(ports: list[int], port: int, address: str = "127.0.0.1") -> str:
    """The proxy listening on address:port, with one checked, cookie-named server per loopback port."""
    if not ports:
        raise ValueError("the proxy needs at least one server")
    servers = "\n".join(f"    server {server_name(i)} 127.0.0.1:{p} cookie {server_name(i)}" for i, p in enumerate(ports))
    return Template(TEMPLATE.read_text()).substitute(replicas=len(ports), address=address, port=port, cookie=COOKIE,
                                                     servers=servers, max_body=MAX_BODY)

"""`dealgraph serve`: the graph in a browser, for people who write no Cypher.

datasette is the model: the named queries (cypher/*.cypher) become pages with forms, and every
page that shows data has `.json` and `.csv` twins at the same URL, in exactly the format of
`dealgraph query --format json|csv` (graph.tables). Pages: `/` (what the graph holds, search,
the queries by theme), `/search?q=`, `/entity/{id}`, `/article/{id}`, `/queries/{name}`.

It is a Starlette app run by uvicorn, with Jinja2 templates and no front-end build: the graph
view is the one `dealgraph viz` pages use (graph/templates/graph.html, graph/static/graph.js),
served from this app like vis-network itself, never from a CDN.

Safety, because a local web server is reachable by every page the user's browser opens:
bound to 127.0.0.1 unless told otherwise; pages are GETs in Neo4j read transactions with parameters,
and the only writes (POST forms) need the app's secret token and the form's CSRF token, and are
recorded (graph.web.auth, graph.web.audit);
everything escaped; a Content-Security-Policy that runs scripts only from this server's files;
a Host header check against DNS rebinding; errors as one line, never a traceback or a setting.
"""
from __future__ import annotations

import socket
import sys
from functools import partial

from ..errors import DealgraphError
from .app import LOCAL_HOSTS, create_app  # noqa: F401 - the API
from .auth import Tokens

__all__ = ["create_app", "serve", "listen", "Background", "Tokens"]


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port, or one clear line saying why not (port taken, bad host)."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)  # connections queue from now on: "Serving ..." is true once this returns
    except OSError as exc:
        reason = "the port is in use (choose another with --port)" if exc.errno in (48, 98) else exc.strerror or exc
        raise DealgraphError(f"cannot listen on {host}:{port}: {reason}") from None
    sock.set_inheritable(True)
    return sock


def allowed_hosts(host: str, extra=()) -> list[str]:
    """The Host header names the app answers to: localhost names, the bound address, `extra`."""
    names = list(LOCAL_HOSTS) + [host] + list(extra)
    if host in ("0.0.0.0", "::"):
        names += [socket.gethostname(), socket.getfqdn()]
    return sorted(set(n for n in names if n))


def _server(app):
    """The uvicorn server of the app, as `serve` and `Background` run it: no access log, no
    Server header, no trust in proxy headers."""
    import uvicorn

    return uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, server_header=False,
                                         proxy_headers=False, lifespan="off"))


def _worker_app(settings, hosts, tokens, data, cache):
    """The app of one worker process of `serve --workers`: the same secrets and CSRF key as the others."""
    return create_app(settings, allowed_hosts=hosts, tokens=tokens, data=data, cache=cache)


def serve(settings, host: str = "127.0.0.1", port: int = 8001, open_browser: bool = False,
          extra_hosts=(), echo=lambda line: print(line, file=sys.stderr), tokens: Tokens | None = None,
          data=None, cache: bool = False, workers: int = 1) -> None:
    """Run the app until interrupted (Ctrl+C). Saving needs one of `tokens` (default: one new
    secret), whose URLs are printed as Jupyter prints its own; saves go into the folder `data`.
    `workers` > 1 serves from that many processes on the one socket (uvicorn's supervisor)."""
    sock = listen(host, port)
    hosts = allowed_hosts(host, extra_hosts)
    app = create_app(settings, allowed_hosts=hosts, tokens=tokens, data=data, cache=cache)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}/"
    try:
        app.state.graph.conn()
        echo(f"Serving {url} (Neo4j at {settings.uri}); Ctrl+C stops it")
    except DealgraphError as exc:
        echo(f"Serving {url}, but Neo4j does not answer yet: {exc} (pages say so until it does)")
    for label, address in app.state.tokens.urls(url):
        echo(f"To save articles, open {address} ({label}; saves go into {app.state.data})")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        if workers > 1:
            import uvicorn
            from uvicorn.supervisors import Multiprocess

            app.state.graph.close()
            config = uvicorn.Config(partial(_worker_app, settings, hosts, app.state.tokens, app.state.data, cache),
                                    factory=True, workers=workers, log_level="warning", access_log=False,
                                    server_header=False, proxy_headers=False, lifespan="off")
            Multiprocess(config, sockets=[sock]).run()
        else:
            _server(app).run(sockets=[sock])
    finally:
        app.state.graph.close()


class Background:
    """The app served by uvicorn in a thread of this process, for notebooks, tests and scripts
    (docs/browser_screenshot.py plays the Browser guide from it): `.url`, `.app`, `.stop()`.
    Port 0 takes any free port."""

    def __init__(self, settings=None, host: str = "127.0.0.1", port: int = 0, timeout: float = 30.0,
                 tokens: Tokens | None = None, data=None, cache: bool = False):
        import threading
        import time

        sock = listen(host, port)
        self.url = f"http://{host}:{sock.getsockname()[1]}"
        self.app = create_app(settings, allowed_hosts=allowed_hosts(host), tokens=tokens, data=data, cache=cache)
        self.server = _server(self.app)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise DealgraphError(f"the app did not start on {self.url}")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.app.state.graph.close()

"""Shared pieces of the benchmarks and the load and fault scenarios: a gunicorn that is always
stopped, a TCP proxy that can cut the database off, and small HTTP helpers (stdlib only).

Everything talks to 127.0.0.1 only, and every loop has a bound.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A free loopback port: from BENCH_PORTS ("7200-7299") when set, so sessions sharing a
    machine can each keep to their own range; otherwise one the kernel picks."""
    span = os.environ.get("BENCH_PORTS")
    candidates = [0]
    if span:
        low, high = (int(p) for p in span.split("-"))
        candidates = list(range(low, high + 1))
    for port in candidates:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            if port and _taken(port):
                continue
            return s.getsockname()[1]
    raise OSError(f"no free port in {span}")


_handed_out: set[int] = set()


def _taken(port: int) -> bool:
    """A port handed out before in this process (its server may not listen yet)."""
    if port in _handed_out:
        return True
    _handed_out.add(port)
    return False


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def wait_for_http(port: int, path: str, timeout: float = 90.0) -> None:
    """Until a worker answers 200 (the master listens before its workers are ready)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                conn.close()
                return
            conn.close()
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"127.0.0.1:{port}{path} did not answer 200 within {timeout} s")


class Gunicorn:
    """gunicorn with the project's settings (gunicorn.conf.py), in its own process group.

    Use as a context manager: on leaving, the whole group gets SIGTERM, then SIGKILL, so no
    worker outlives the run even when the scenario fails half-way. By default it runs from
    this checkout; `python` (a venv's interpreter), `config`, `cwd` and `pythonpath=None`
    run an installed app instead.
    """

    def __init__(
        self,
        env: dict[str, str],
        workers: int = 2,
        app: str = "assess:create_app()",
        log: Path | None = None,
        extra: tuple[str, ...] = (),
        health: str = "/healthz",
        python: str = sys.executable,
        config: str = str(ROOT / "gunicorn.conf.py"),
        cwd: Path = ROOT,
        pythonpath: str | None = str(ROOT),
    ) -> None:
        self.port = free_port()
        self.env = {
            **os.environ,
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            # A fresh worker per run: no recycling in the middle of a measurement.
            "GUNICORN_MAX_REQUESTS": "0",
            "GUNICORN_ACCESSLOG": os.environ.get("GUNICORN_ACCESSLOG", "/dev/null"),
            **env,
        }
        self.env.pop("PYTHONPATH", None)
        if pythonpath:
            self.env["PYTHONPATH"] = pythonpath
        self.app, self.log, self.extra, self.health = app, log, extra, health
        self.python, self.config, self.cwd = python, config, cwd
        self.process: subprocess.Popen | None = None
        self._log_file = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Gunicorn:
        self.start()
        self.ready()
        return self

    def start(self) -> None:
        """Start without waiting (several instances can then load side by side)."""
        self._log_file = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [self.python, "-m", "gunicorn", "--config", self.config, *self.extra, self.app],
            cwd=self.cwd,
            env=self.env,
            stdout=self._log_file,
            stderr=self._log_file,
            start_new_session=True,  # its own process group, killed as one
        )

    def ready(self) -> None:
        """Wait until a worker answers; a server that does not come up is stopped."""
        try:
            wait_for_http(self.port, self.health)
        except BaseException:
            self.stop()
            raise

    def worker_pids(self) -> list[int]:
        """The worker processes (children of the master)."""
        assert self.process is not None
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in out.split()]

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)
        # Workers are in the same group; make sure none is left behind.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        if self._log_file not in (None, subprocess.DEVNULL):
            self._log_file.close()
        self.process = None

    def __exit__(self, *exc) -> None:
        self.stop()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throw-away certificate for 127.0.0.1 (openssl), as (certificate, key)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


# Debian's nginx lives in /usr/sbin, which is not on every user's PATH.
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
# The proxy headers of the documented nginx set-up (deploy/nginx/), included as they are.
NGINX_PROXY_HEADERS = ROOT / "deploy" / "nginx" / "assess-proxy.conf"

NGINX_CONF = """\
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
{user}
events {{ worker_connections 256; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream assess {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        location / {{
            proxy_pass http://assess;
            include {headers};
            # Which instance answered, for the tests (not part of the documented set-up).
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


class Nginx:
    """nginx (Debian's) terminating TLS on 127.0.0.1:port in front of gunicorn instances,
    round-robin, with the documented proxy headers; one process, stopped on leaving.

    An instance that refuses connections is skipped (nginx's proxy_next_upstream default:
    a request that never reached it is passed on, POSTs included).
    """

    def __init__(self, folder: Path, upstreams: list[int], port: int | None = None) -> None:
        self.folder, self.upstreams = folder, upstreams
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def __enter__(self) -> Nginx:
        self.folder.mkdir(parents=True, exist_ok=True)
        cert, key = self_signed_certificate(self.folder)
        servers = "\n".join(
            f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=30s;" for p in self.upstreams
        )
        # As root, nginx's worker would switch to "nobody", who cannot read a private temp dir.
        user = "user root;" if os.geteuid() == 0 else ""
        conf = self.folder / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                folder=self.folder,
                user=user,
                servers=servers,
                port=self.port,
                cert=cert,
                key=key,
                headers=NGINX_PROXY_HEADERS,
            )
        )
        self.process = subprocess.Popen(
            [
                "nginx",
                "-p",
                str(self.folder),
                "-c",
                str(conf),
                "-e",
                str(self.folder / "error.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_for_port(self.port, timeout=15)
        except BaseException:
            self.stop()
            raise
        return self

    def log(self) -> str:
        path = self.folder / "error.log"
        return path.read_text() if path.exists() else ""

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()  # nginx's fast shutdown
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def __exit__(self, *exc) -> None:
        self.stop()


class TcpProxy:
    """A loopback TCP relay to the database that a scenario can cut and restore.

    stop() closes the listener and every relayed connection, as a database restart or a
    network failure would; start() listens again on the same port.
    """

    def __init__(self, target_port: int, port: int | None = None) -> None:
        self.target_port = target_port
        self.port = port or free_port()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> TcpProxy:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # the listener was closed by stop()
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), 5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        if self._listener is not None:
            # close() alone leaves a thread blocked in accept() holding the socket open;
            # shutdown() wakes it and the port stops accepting at once.
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for s in sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@contextlib.contextmanager
def connection(port: int, timeout: float = 30.0) -> Iterator[http.client.HTTPConnection]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        yield conn
    finally:
        conn.close()


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) by nearest rank; values need not be sorted."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


class CpuClock:
    """CPU seconds used by this process and, on a local PostgreSQL, by its server backends.

    The benchmark machine is shared, so wall-clock figures swing with whatever else runs;
    CPU time of client plus database server is the steadier measure of the work done.
    """

    def __init__(self, connection=None, pids: list[int] | None = None) -> None:
        self._pids: list[int] = list(pids or [])
        if connection is not None and connection.dialect.name == "postgresql":
            self._pids = [connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()]

    def _server(self) -> float:
        total = 0.0
        for pid in self._pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # PostgreSQL on another host, or the backend is gone
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def __enter__(self) -> CpuClock:
        self.wall = time.perf_counter()
        self.client = time.process_time()
        self.server = self._server()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self.wall
        self.client = time.process_time() - self.client
        self.server = self._server() - self.server

    @property
    def cpu(self) -> float:
        return self.client + self.server


def backend_pids(engine) -> list[int]:
    """The PostgreSQL server processes serving this database (none for SQLite)."""
    if engine.dialect.name != "postgresql":
        return []
    with engine.connect() as conn:
        return list(
            conn.exec_driver_sql(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid()"
            ).scalars()
        )


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} on {os.cpu_count()} cores"


class Checks:
    """Named pass/fail checks of a scenario, printed as they are made."""

    def __init__(self) -> None:
        self.failed: list[str] = []
        self.passed = 0

    def check(self, ok: bool, what: str) -> None:
        if ok:
            self.passed += 1
        else:
            self.failed.append(what)
        print(f"  {'ok  ' if ok else 'FAIL'} {what}")

"""gunicorn and wrk for the benches: the same serving setup for every figure.

wrk is the load generator (Debian package `wrk`, installed here when missing): a Python
client tops out near a bare route's cost itself, so its ratios say little.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 4
CONNECTIONS = 32


def ensure_wrk() -> str:
    """The wrk binary, installed with apt-get when it is not there yet."""
    found = shutil.which("wrk")
    if found:
        return found
    print("  installing wrk (apt-get install -y wrk)")
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    if os.geteuid() != 0:
        install.insert(0, "sudo")
    if subprocess.run(install, capture_output=True).returncode != 0:
        subprocess.run(install[:-4] + ["update", "-qq"], capture_output=True)
        subprocess.run(install, check=True, capture_output=True)
    return shutil.which("wrk") or "wrk"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn with `WORKERS` sync workers serving `target` on a free port, against `url`."""

    def __init__(self, target: str, url: str, workers: int = WORKERS, probe: str = "/"):
        self.port = free_port()
        env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-secret", POJO_SCHEDULER="")
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{self.port}",
             "--chdir", str(ROOT), "--log-level", "warning", target],
            env=env,
        )  # fmt: skip
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(120):
            try:
                requests.get(self.base + probe, timeout=5, allow_redirects=False)
                return
            except requests.RequestException:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def login_cookie(base: str, username: str, password: str) -> str:
    """A `Cookie:` header value for a session logged in through the login form."""
    session = requests.Session()
    page = session.get(base + "/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = session.post(
        base + "/login",
        data={"username": username, "password": password, "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.status_code
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


def check_page(url: str, headers: dict, must_contain: str | None = None) -> None:
    """Fail loudly unless `url` answers 200 (wrk counts a redirect to the login as success)."""
    response = requests.get(url, headers=headers, allow_redirects=False, timeout=30)
    if response.status_code != 200 or (must_contain and must_contain not in response.text):
        raise RuntimeError(f"{url}: {response.status_code}, not the page expected")


def wrk(url: str, seconds: float, headers: dict, connections: int = CONNECTIONS) -> float:
    """Requests per second wrk reaches on `url`; errors and non-2xx/3xx answers fail the run."""
    command = [ensure_wrk(), "-t2", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run(command + [url], capture_output=True, text=True, check=True)
    out = done.stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    if bad or (errors and any(int(n) for n in re.findall(r"\d+", errors.group(1)))):
        raise RuntimeError(f"wrk {url}: failed requests\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def alternating(targets: dict, rounds: int, seconds: float) -> dict[str, list[float]]:
    """Each target's req/s per round; targets take turns, so a busy machine slows all alike.

    `targets` maps a label to (url, headers). The order rotates from round to round.
    """
    figures: dict[str, list[float]] = {label: [] for label in targets}
    labels = list(targets)
    for round_ in range(rounds):
        shift = round_ % len(labels)
        for label in labels[shift:] + labels[:shift]:
            url, headers = targets[label]
            figures[label].append(wrk(url, seconds, headers))
    return figures

"""A small production-like cluster on loopback for the multi-node tests.

Two gunicorn web nodes, two Celery workers and one beat, sharing the test database on
PostgreSQL, Redis, and an S3-compatible object store (moto in server mode). Every process is
started here and stopped when the test module ends.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@dataclass
class Cluster:
    database_url: str
    broker_url: str
    cache_url: str
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="opop-cluster-")))
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    nodes: list[str] = field(default_factory=list)
    s3_url: str = ""
    bucket: str = "opop-media-test"
    queue: str = ""
    visibility_timeout: int = 20

    def environ(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "opop.settings.dev",
            "DEBUG": "false",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": self.broker_url,
            "REDIS_URL": self.cache_url,
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "AWS_S3_ENDPOINT_URL": self.s3_url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "ACCOUNT_EMAIL_VERIFICATION": "optional",
            "PYTHONUNBUFFERED": "1",
            "WORKER_HEARTBEAT_SECONDS": "2",
            # A killed worker's job comes back after this long (production: 300 s); short so a test can wait.
            "CELERY_VISIBILITY_TIMEOUT": str(self.visibility_timeout),
            "CELERY_UNACKED_RESTORE_SECONDS": "2",
        }

    def spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        log = (self.workdir / f"{name}.log").open("wb")
        process = subprocess.Popen(args, cwd=ROOT, env=self.environ(), stdout=log, stderr=subprocess.STDOUT)
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")

    def start(self) -> "Cluster":
        self.queue = f"cluster-{os.getpid()}-{free_port()}"
        s3_port = free_port()
        self.s3_url = f"http://127.0.0.1:{s3_port}"
        self.spawn("s3", [str(BIN / "python"), "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)])
        wait_for_http(self.s3_url + "/")
        import boto3

        boto3.client(
            "s3",
            endpoint_url=self.s3_url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        ).create_bucket(Bucket=self.bucket)
        for index in (1, 2):
            port = free_port()
            self.spawn(
                f"web{index}",
                [
                    str(BIN / "gunicorn"),
                    "-c",
                    "gunicorn.conf.py",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--threads",
                    "4",
                    "opop.wsgi",
                ],
            )
            self.nodes.append(f"http://127.0.0.1:{port}")
        for index in (1, 2):
            self.spawn_worker(f"worker{index}")
        self.spawn(
            "beat",
            [
                str(BIN / "celery"),
                "-A",
                "opop",
                "beat",
                "--loglevel=INFO",
                "--schedule",
                str(self.workdir / "celerybeat-schedule"),
            ],
        )
        for node in self.nodes:
            wait_for_http(node + "/healthz")
        return self

    def spawn_worker(self, name: str) -> subprocess.Popen:
        """A Celery worker on this cluster's queue, with one pool process (started afresh under a new name to
        stand in for the supervisor restarting a dead one)."""
        return self.spawn(
            name,
            [
                str(BIN / "celery"),
                "-A",
                "opop",
                "worker",
                "-Q",
                self.queue,
                "-c",
                "1",
                "-n",
                f"{name}-{self.queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
        )

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

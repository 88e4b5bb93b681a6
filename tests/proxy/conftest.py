"""A real proxy for the proxy tests: squid (Debian's package), started here.

- ``squid_none`` / ``squid_basic`` / ``squid_digest`` (session): one squid each, no
  authentication / Basic (``basic_ncsa_auth``) / Digest (``digest_file_auth``), each
  listening on a free local port for plain HTTP (``http_url``) and one for TLS to the
  proxy itself (``https_url``, a ``trustme`` certificate). ``squid.log_since(mark)`` reads
  its access log: the proof that requests went through it.
- ``tls_emulator`` (session): the Stripe emulator serving HTTPS with a ``trustme``
  certificate; ``ca_bundle`` (session): the test CA's PEM file, which trusts it and the
  squids' TLS ports.

squid must be installed (``apt-get install squid``): run as root with apt-get on the
machine, the fixture installs it; otherwise a missing squid FAILS the tests, saying so.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme

from stripe_dbapi.testing import Emulator

USER, PASSWORD, REALM = "svc-stripe", "proxy-pw-Xq7", "stripe-dbapi-tests"
HELPERS = Path("/usr/lib/squid")
# Digest: squid retires a nonce after this many uses (its stale=true); low, so that
# tests see the driver take fresh nonces.
NONCE_MAX_COUNT = 20


@dataclass(frozen=True)
class LogLine:
    """One line of squid's access log (its native format)."""

    result: str  # TCP_MISS/200, TCP_DENIED/407, TCP_TUNNEL/200
    method: str
    url: str
    user: str

    @property
    def status(self) -> int:
        return int(self.result.rsplit("/", 1)[1])


class Squid:
    user, password = USER, PASSWORD  # the account squid_basic and squid_digest accept
    nonce_max_count = NONCE_MAX_COUNT
    watchdog: subprocess.Popen | None = None  # stops squid if pytest dies (_WATCHDOG)

    def __init__(self, auth: str, directory: Path, cert, process, http_port, https_port):
        self.auth = auth
        self.directory = directory
        self.process = process
        self.http_url = f"http://127.0.0.1:{http_port}"
        self.https_url = f"https://127.0.0.1:{https_port}"
        self._cert = cert

    @property
    def access_log(self) -> Path:
        return self.directory / "access.log"

    def mark(self) -> int:
        """A position in the access log; ``log_since`` reads what comes after it."""
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def log_until(self, mark: int, done, within: float = 15) -> list[LogLine]:
        """The log after ``mark`` once ``done(lines)`` holds (squid writes a CONNECT's
        line when the tunnel closes, a moment after the client closed it)."""
        deadline = time.monotonic() + within
        lines = self.log_since(mark)
        while not done(lines) and time.monotonic() < deadline:
            time.sleep(0.05)
            lines = self.log_since(mark)
        return lines

    def log_served(self, mark: int, served: int) -> list[LogLine]:
        """The log after ``mark`` once it shows ``served`` requests (or tunnels) that
        were not refused with a 407."""
        return self.log_until(mark, lambda lines: sum(ln.status != 407 for ln in lines) >= served)

    def log_since(self, mark: int) -> list[LogLine]:
        if not self.access_log.exists():
            return []
        with self.access_log.open("rb") as file:
            file.seek(mark)
            text = file.read().decode()
        lines = []
        for line in text.splitlines():
            fields = line.split()
            if fields[5] != "-":  # a connection closed before any request (startup's probe)
                lines.append(LogLine(fields[3], fields[5], fields[6], fields[7]))
        return lines


def _squid_executable() -> str:
    found = shutil.which("squid") or shutil.which("squid", path="/usr/sbin:/usr/local/sbin")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        for command in (["apt-get", "install", "-y", "-q", "squid"],
                        ["sh", "-c", "apt-get update -q && apt-get install -y -q squid"]):
            subprocess.run(command, capture_output=True, env={**os.environ,
                           "DEBIAN_FRONTEND": "noninteractive"}, check=False)
            found = shutil.which("squid", path="/usr/sbin:/usr/local/sbin:/usr/bin")
            if found:
                return found
    pytest.fail(
        "the proxy tests need squid (a real proxy server), which is not installed: "
        "apt-get install squid (Debian/Ubuntu; .ci/run does it)", pytrace=False
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _config(auth: str, directory: Path, http_port: int, https_port: int, user: str) -> str:
    lines = [
        f"http_port 127.0.0.1:{http_port}",
        f"https_port 127.0.0.1:{https_port} tls-cert={directory}/proxy.pem "
        f"tls-key={directory}/proxy.key",
        f"cache_effective_user {user}",
        f"pid_filename {directory}/squid.pid",
        f"access_log stdio:{directory}/access.log",
        f"cache_log {directory}/cache.log",
        "cache_store_log none",
        f"coredump_dir {directory}",
        "cache deny all",
        "netdb_filename none",
        "pinger_enable off",
        "shutdown_lifetime 0 seconds",
        "via off",
    ]
    if auth == "basic":
        lines += [
            f"auth_param basic program {HELPERS}/basic_ncsa_auth {directory}/basic.passwd",
            f"auth_param basic realm {REALM}",
        ]
    if auth == "digest":
        lines += [
            f"auth_param digest program {HELPERS}/digest_file_auth -c {directory}/digest.passwd",
            f"auth_param digest realm {REALM}",
            f"auth_param digest nonce_max_count {NONCE_MAX_COUNT}",
        ]
    if auth == "none":
        lines += ["http_access allow all"]
    else:
        lines += ["acl authenticated proxy_auth REQUIRED", "http_access allow authenticated",
                  "http_access deny all"]
    return "\n".join(lines) + "\n"


def _password_files(directory: Path) -> None:
    # basic_ncsa_auth reads crypt(3)/MD5-crypt hashes (htpasswd's format); openssl makes one.
    hashed = subprocess.run(["openssl", "passwd", "-1", PASSWORD], capture_output=True,
                            text=True, check=True).stdout.strip()
    (directory / "basic.passwd").write_text(f"{USER}:{hashed}\n")
    # digest_file_auth -c: user:realm:HA1, no password in clear on disk.
    ha1 = hashlib.md5(f"{USER}:{REALM}:{PASSWORD}".encode()).hexdigest()
    (directory / "digest.passwd").write_text(f"{USER}:{REALM}:{ha1}\n")


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _start(auth: str, ca) -> tuple[Squid, Path]:
    executable = _squid_executable()
    directory = Path(tempfile.mkdtemp(prefix=f"squid-{auth}-"))
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert.private_key_pem.write_to_path(directory / "proxy.key")
    cert.cert_chain_pems[0].write_to_path(directory / "proxy.pem")
    _password_files(directory)
    # Run as root, squid drops to an unprivileged user: it must read and write here.
    user = "proxy" if _user_exists("proxy") else "nobody"
    http_port, https_port = _free_port(), _free_port()
    (directory / "squid.conf").write_text(_config(auth, directory, http_port, https_port, user))
    if os.geteuid() == 0:
        entry = pwd.getpwnam(user)
        for path in (directory, *directory.iterdir()):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    process = subprocess.Popen(
        [executable, "-N", "-f", str(directory / "squid.conf")],
        stdout=subprocess.DEVNULL, stderr=(directory / "stderr.log").open("w"),
        start_new_session=True,
    )
    squid = Squid(auth, directory, cert, process, http_port, https_port)
    squid.watchdog = subprocess.Popen([sys.executable, "-c", _WATCHDOG, str(process.pid)],
                                      stdin=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 30
    while not (_listening(http_port) and _listening(https_port)):
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(squid)
            log = (directory / "cache.log").read_text() if (directory / "cache.log").exists() else ""
            stderr = (directory / "stderr.log").read_text()
            pytest.fail(f"squid ({auth}) did not start: exit code {process.poll()}\n"
                        f"{stderr[-2000:]}\n{log[-2000:]}", pytrace=False)
        time.sleep(0.1)
    return squid, directory


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


# Stops squid (its process group: squid and its auth helpers) once its stdin closes: at
# _stop, or when pytest dies without tearing down (killed, or SIGTERM, on which Python
# runs no finalizers) and the kernel closes the pipe. A parent-death signal would not do:
# squid drops root for an unprivileged user, and a change of credentials clears it.
_WATCHDOG = """
import os, signal, sys
sys.stdin.buffer.read()
try:
    os.killpg(int(sys.argv[1]), signal.SIGTERM)
except ProcessLookupError:
    pass
"""


def _stop(squid: Squid) -> None:
    if squid.process.poll() is None:
        squid.process.send_signal(signal.SIGTERM)
        try:
            squid.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            # Its session: squid and its helpers (basic_ncsa_auth, digest_file_auth).
            os.killpg(squid.process.pid, signal.SIGKILL)
            squid.process.wait()
    if squid.watchdog is not None:
        squid.watchdog.communicate(timeout=15)  # closes its stdin: it finds squid gone


@pytest.fixture(scope="session")
def test_ca():
    return trustme.CA()


@pytest.fixture(scope="session")
def ca_bundle(test_ca, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    test_ca.cert_pem.write_to_path(path)
    return str(path)


def _squid_fixture(auth: str):
    @pytest.fixture(scope="session")
    def fixture(test_ca):
        squid, directory = _start(auth, test_ca)
        try:
            yield squid
        finally:
            _stop(squid)
            shutil.rmtree(directory, ignore_errors=True)

    return fixture


squid_none = _squid_fixture("none")
squid_basic = _squid_fixture("basic")
squid_digest = _squid_fixture("digest")


@pytest.fixture(scope="session")
def tls_emulator(test_ca):
    cert = test_ca.issue_cert("127.0.0.1", "localhost")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    with Emulator(seed="demo", ssl_context=context) as emulator:
        yield emulator

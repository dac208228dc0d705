"""A throwaway Dovecot IMAP server for tests of the mail intake.

`running_dovecot()` writes a minimal configuration into a temporary directory, starts
Dovecot on a free loopback port and stops it again; the session fixture `dovecot` yields
the running server. Each test takes a fresh mailbox owner from `add_user()`, so tests never
see each other's mail. Without Dovecot installed the tests are skipped, or fail when
`CI=true`.
"""

from __future__ import annotations

import contextlib
import imaplib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn
from urllib.parse import quote

import pytest

from portal_chassis.testing.backing import availability, in_ci

HOST = "127.0.0.1"
START_SECONDS = 15.0
STOP_SECONDS = 5.0
SPARE_USERS = 32
# Dovecot lives in sbin, which is not on every user's PATH.
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])

CONFIG = """\
protocols = imap
listen = {host}
base_dir = {dir}/run
state_dir = {dir}/run
log_path = {dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{dir}/mail/%u
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
first_valid_uid = 1
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/users
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={dir}/mail/%u
}}
"""


@dataclass
class Dovecot:
    """A running server; `passwords` maps each user it knows to the password, `spare`
    lists users prepared in advance that no test has taken yet."""

    host: str
    port: int
    directory: Path
    passwords: dict[str, str] = field(default_factory=dict)
    spare: list[str] = field(default_factory=list)

    def add_user(self, name: str | None = None, password: str | None = None) -> str:
        """A mailbox owner nobody has used yet, with the given or a random password."""
        if name is None and password is None and self.spare:
            return self.spare.pop()
        user = self._write_users([name or _new_name()], password)[0]
        # Dovecot rereads a changed users file at most once a second.
        time.sleep(1.05 - time.time() % 1)
        return user

    def _write_users(self, names: list[str], password: str | None = None) -> list[str]:
        if password is not None and ":" in password:
            raise ValueError("a colon ends the password field in Dovecot's users file")
        for name in names:
            self.passwords[name] = password or secrets.token_urlsafe(12)
        lines = "".join(f"{u}:{{PLAIN}}{pw}\n" for u, pw in self.passwords.items())
        users = self.directory / "users"
        users.write_text(lines)
        users.chmod(0o644)
        return names

    def url(self, user: str, mailbox: str = "INBOX") -> str:
        password = quote(self.passwords[user], safe="")
        return f"imap://{quote(user, safe='')}:{password}@{self.host}:{self.port}/{quote(mailbox)}"

    @contextlib.contextmanager
    def session(self, user: str) -> Iterator[imaplib.IMAP4]:
        imap = imaplib.IMAP4(self.host, self.port, timeout=10)
        try:
            imap.login(user, self.passwords[user])
            yield imap
        finally:
            with contextlib.suppress(Exception):
                imap.logout()

    def append(self, user: str, raw: bytes, mailbox: str = "INBOX") -> None:
        with self.session(user) as imap:
            imap.create(mailbox)  # "already exists" is fine
            status, detail = imap.append(mailbox, None, None, raw)
            assert status == "OK", detail

    def messages(self, user: str, mailbox: str = "INBOX") -> list[bytes]:
        """The mailbox's messages in UID order; none when the mailbox does not exist."""
        with self.session(user) as imap:
            status, _ = imap.select(mailbox, readonly=True)
            if status != "OK":
                return []
            _, data = imap.uid("SEARCH", "ALL")
            uids = data[0].split() if data and data[0] else []
            return [self._fetch(imap, uid) for uid in uids]

    @staticmethod
    def _fetch(imap: imaplib.IMAP4, uid: bytes) -> bytes:
        _, data = imap.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
        for part in data:
            if isinstance(part, tuple):
                return bytes(part[1])
        raise AssertionError(f"message {uid!r} vanished")


def _new_name() -> str:
    return f"u{secrets.token_hex(4)}"


def _executable(name: str) -> str | None:
    return shutil.which(name, path=SEARCH_PATH)


def _unavailable(why: str) -> NoReturn:
    message = f"dovecot is not available: {why}. Install dovecot-imapd to run these tests."
    availability.missing["dovecot"] = message
    if in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _greets(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1.0) as conn:
            return conn.recv(64).startswith(b"* OK")
    except OSError:
        return False


def _prepare(directory: Path, port: int) -> Path:
    # Dovecot's unprivileged processes must reach the configuration, users and mail.
    directory.chmod(0o755)
    (directory / "run").mkdir(exist_ok=True)
    mail = directory / "mail"
    mail.mkdir(exist_ok=True)
    shutil.chown(mail, "dovecot", "dovecot")
    config = directory / "dovecot.conf"
    config.write_text(CONFIG.format(host=HOST, dir=directory, port=port))
    return config


def _log_tail(directory: Path) -> str:
    log = directory / "dovecot.log"
    return log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"


def _stop(binary: str, config: Path, master: subprocess.Popen[bytes]) -> None:
    doveadm = _executable("doveadm") or str(Path(binary).with_name("doveadm"))
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        subprocess.run(
            [doveadm, "-c", str(config), "stop"],
            timeout=STOP_SECONDS,
            capture_output=True,
        )
    try:
        master.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        # The master did not obey; its children exit once it is gone.
        with contextlib.suppress(ProcessLookupError):
            os.kill(master.pid, signal.SIGKILL)
        master.wait(timeout=STOP_SECONDS)


def _start(binary: str, config: Path, port: int) -> subprocess.Popen[bytes]:
    # -F keeps the master in the foreground, so its pid is ours to stop.
    master = subprocess.Popen(
        [binary, "-F", "-c", str(config)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if _greets(port):
            return master
        if master.poll() is not None:
            break
        time.sleep(0.1)
    _stop(binary, config, master)
    raise RuntimeError(f"Dovecot did not come up on port {port}:\n{_log_tail(config.parent)}")


@contextlib.contextmanager
def running_dovecot(users: tuple[str, ...] = ("support",)) -> Iterator[Dovecot]:
    """Start Dovecot with the given users; stop it (within seconds) on leaving."""
    binary = _executable("dovecot")
    if binary is None:
        _unavailable("the dovecot binary is not installed")
    with tempfile.TemporaryDirectory(prefix="dovecot-") as tmp:
        directory = Path(tmp)
        port = _free_port()
        config = _prepare(directory, port)
        server = Dovecot(HOST, port, directory)
        # Written before the start, so they work at once (see `add_user`).
        server.spare = server._write_users([_new_name() for _ in range(SPARE_USERS)])
        server._write_users(list(users))
        master = _start(binary, config, port)
        try:
            yield server
        finally:
            _stop(binary, config, master)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """A Dovecot for the whole test session (fresh users per test via `add_user`)."""
    with running_dovecot() as server:
        yield server

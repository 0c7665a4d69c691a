"""Who may sign in to the dashboard, with which role, and how repeated wrong passwords are slowed.

Officials run the dashboard on a machine inside their own network, so accounts live in a small
TOML file beside the data (no identity server): one table per user with a role and a bcrypt hash.
Sign-in fails closed: as soon as an accounts source is configured (the environment variable
``CAMPAIGN_TRACKER_ACCOUNTS``, ``accounts_file`` or ``[accounts]`` in ``.streamlit/secrets.toml``,
or an existing ``data/accounts.toml``) the dashboard serves data only to signed-in users, and a
named file that is missing, unreadable, damaged or empty closes the dashboard with a Chinese
message instead of opening it. The demo opens without a password only when nothing is configured.

Command line (the README's two commands)::

    python -m dashboard.accounts add zhang --role editor     # asks for the password twice
    python -m dashboard.accounts list

Sign-in tries are counted per user name and per client address in ``accounts.attempts.json`` beside
the accounts file, under a file lock around check-and-record, so a reload, a second tab or twenty
simultaneous tries all count. After ``FREE_TRIES`` failures of one name (``CLIENT_FREE_TRIES`` of
one address) each further try waits twice as long (2 s, 4 s, … up to 15 minutes). An admin clears
a lock on 账户管理 or with ``unlock``; a locked admin signs in with a one-time link printed on the
server by ``sign-in-link``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import getpass
import hashlib
import hmac
import json
import os
import re
import secrets as _token_source
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import bcrypt

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt

ROLES = ("viewer", "editor", "admin")
ROLE_LABELS = {
    "viewer": "浏览者（浏览、下载）",
    "editor": "编辑（另可导入、校对）",
    "admin": "管理员（另可管理账户）",
}
ENV_VAR = "CAMPAIGN_TRACKER_ACCOUNTS"
DEFAULT_FILE = Path("data") / "accounts.toml"
MIN_PASSWORD = 8
BCRYPT_ROUNDS = 12
FREE_TRIES = 3
CLIENT_FREE_TRIES = 10
"""An address may mistype more often than one name: colleagues behind one office router share it."""
BASE_DELAY = 2.0
MAX_DELAY = 900.0
MAX_NAME = 40
"""Longest user name; a longer one is refused before anything about it is stored."""
MAX_ENTRIES = 10_000
"""Most entries kept in the attempts file (the oldest go first), so it cannot grow without bound."""
LINK_SECONDS = 600.0
_FORGET_AFTER = 24 * 3600.0
_NAME = re.compile(rf"^[\w.@-]{{1,{MAX_NAME}}}$")


class AccountError(Exception):
    """A problem an admin can fix; ``message`` is the Chinese sentence to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Account:
    """One person who may sign in. ``source`` is "file" (managed here) or "secrets" (read-only)."""

    name: str
    role: str
    password_hash: str
    source: str = "file"


@dataclass(frozen=True)
class SignIn:
    """The outcome of one sign-in try: the account, or a Chinese message and how long to wait."""

    account: Account | None
    message: str = ""
    wait: float = 0.0


def project_root() -> Path:
    return Path(__file__).resolve().parent.parent


def read_secrets(path: Path | None = None) -> dict:
    """The project's ``.streamlit/secrets.toml`` as a dict ({} when there is none)."""
    path = path or project_root() / ".streamlit" / "secrets.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AccountError(f"无法读取 {path}：{exc}。请修正该文件的 TOML 格式后重试") from exc


def named_accounts_file(secrets: Mapping | None = None) -> tuple[Path | None, str]:
    """The accounts file someone named, and who named it; ``(None, "")`` when nobody did.

    ``named_accounts_file({"accounts_file": "conf/users.toml"})`` →
    ``(<project>/conf/users.toml, "secrets.toml 中的 accounts_file")``.
    """
    named, by = os.environ.get(ENV_VAR, "").strip(), f"环境变量 {ENV_VAR}"
    if not named:
        secrets = read_secrets() if secrets is None else secrets
        named, by = str(secrets.get("accounts_file") or "").strip(), "secrets.toml 中的 accounts_file"
    if not named:
        return None, ""
    path = Path(named).expanduser()
    return (path if path.is_absolute() else project_root() / path), by


def accounts_path(secrets: Mapping | None = None) -> Path:
    """Where the accounts live: env ``CAMPAIGN_TRACKER_ACCOUNTS``, else secrets ``accounts_file``,
    else ``data/accounts.toml``; relative paths are taken from the project root.

    ``accounts_path({"accounts_file": "conf/users.toml"})`` → ``<project>/conf/users.toml``.
    """
    named, _ = named_accounts_file(secrets)
    return named or project_root() / DEFAULT_FILE


def attempts_path(accounts_file: Path) -> Path:
    """The failure counters beside the accounts file: ``data/accounts.attempts.json``."""
    return accounts_file.with_name(accounts_file.stem + ".attempts.json")


def check_name(name: str) -> str:
    """A user name is 1–40 letters (Chinese included), digits, ``. _ - @``; anything else is refused."""
    name = (name or "").strip()
    if not _NAME.fullmatch(name):
        raise AccountError(f"用户名“{name[:40]}”不可用：请只用 1–40 个汉字、字母、数字或 . _ - @")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"角色“{role}”不存在：请选择 {' / '.join(ROLES)} 之一")
    return role


def hash_password(password: str, rounds: int = BCRYPT_ROUNDS) -> str:
    """bcrypt hash of a password; refuses passwords shorter than ``MIN_PASSWORD`` characters."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码太短：请至少使用 {MIN_PASSWORD} 个字符")
    if len(password.encode("utf-8")) > 72:
        raise AccountError("密码太长：bcrypt 只用前 72 个字节，请使用更短的密码")
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    """True when ``password`` matches the bcrypt hash; a malformed hash never matches."""
    try:
        return bcrypt.checkpw(password.encode("utf-8")[:72], password_hash.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return False


@functools.cache
def _dummy_hash(rounds: int = BCRYPT_ROUNDS) -> str:
    return bcrypt.hashpw(b"no such user", bcrypt.gensalt(rounds)).decode("ascii")


def _cost_of(accounts: Mapping[str, Account]) -> int:
    """The bcrypt cost of the stored hashes (``$2b$12$…`` → 12), so an unknown name costs the same."""
    for account in accounts.values():
        parts = account.password_hash.split("$")
        if len(parts) > 3 and parts[2].isdigit() and 4 <= int(parts[2]) <= 31:
            return int(parts[2])
    return BCRYPT_ROUNDS


def _parse_accounts(table: object, source: str, where: Path | str) -> dict[str, Account]:
    if not isinstance(table, Mapping):
        raise AccountError(f"{where} 中的账户表格式不对：请用 python -m dashboard.accounts 重新添加账户")
    accounts = {}
    for name, entry in table.items():
        if not isinstance(entry, Mapping) or not entry.get("password_hash") or entry.get("role") not in ROLES:
            raise AccountError(
                f"{where} 中账户“{name}”缺少 role 或 password_hash，或角色无效：请用 "
                f"python -m dashboard.accounts set-role / passwd 修正"
            )
        accounts[str(name)] = Account(str(name), str(entry["role"]), str(entry["password_hash"]), source)
    return accounts


def _read_file(path: Path) -> str | None:
    """The text of an accounts file; None when it does not exist; AccountError when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as exc:
        raise AccountError(f"无法读取账户文件 {path}：不是 UTF-8 文本。请修正或删除该文件后重试") from exc
    except OSError as exc:
        reason = "没有读取权限" if isinstance(exc, PermissionError) else (exc.strerror or type(exc).__name__)
        raise AccountError(f"无法读取账户文件 {path}（{reason}）：请让运行看板的用户能读取该文件"
                           "（chmod 600，属主为该用户）后重试") from exc


def load_accounts(path: Path) -> dict[str, Account]:
    """The accounts in ``path`` ({} when the file does not exist: the CLI then creates it)."""
    text = _read_file(path)
    if text is None:
        return {}
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AccountError(f"无法读取账户文件 {path}：{exc}。请修正或删除该文件后重试") from exc
    return _parse_accounts(data.get("users", {}), "file", path)


def sign_in_required(secrets: Mapping | None = None) -> bool:
    """True when any accounts source is configured; the demo opens without sign-in only otherwise.

    Configured means: the environment variable or secrets' ``accounts_file`` names a file (whether
    or not it exists — a typo must not open the dashboard), secrets hold ``[accounts]``, or the
    default ``data/accounts.toml`` exists.
    """
    secrets = read_secrets() if secrets is None else secrets
    named, _ = named_accounts_file(secrets)
    return bool(named or secrets.get("accounts") or os.path.lexists(project_root() / DEFAULT_FILE))


def all_accounts(secrets: Mapping | None = None) -> dict[str, Account]:
    """Accounts from ``[accounts]`` in secrets.toml (read-only) plus the accounts file (which wins).

    Fails closed: a configured source that is missing, unreadable, damaged or holds no account
    raises AccountError (the dashboard then shows the message and serves nothing); {} only when
    no source is configured at all (the demo).
    """
    secrets = read_secrets() if secrets is None else secrets
    found = _parse_accounts(secrets.get("accounts", {}), "secrets", "secrets.toml")
    named, by = named_accounts_file(secrets)
    path = named or project_root() / DEFAULT_FILE
    if named and not path.exists():
        raise AccountError(
            f"账户文件 {path} 不存在（由{by} 指定）：为安全起见，看板暂停提供数据。请检查路径是否写错；"
            f"要新建该文件，请在服务器上运行 python -m dashboard.accounts add 用户名 --role admin")
    found.update(load_accounts(path))
    if not found and sign_in_required(secrets):
        raise AccountError(
            f"账户文件 {path} 中没有任何账户：为安全起见，看板暂停提供数据。请在服务器上运行 "
            f"python -m dashboard.accounts add 用户名 --role admin 添加管理员；"
            f"若要回到无需登录的演示模式，请删除该文件" + (f"并取消{by} 的设置" if by else ""))
    return found


def sign_in_enabled(secrets: Mapping | None = None) -> bool:
    return bool(all_accounts(secrets))


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` in one step with an owner-only file (a folder it creates is owner-only too)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def save_accounts(path: Path, accounts: Iterable[Account]) -> None:
    """Write the file-managed accounts (owner-only permissions, replaced in one step)."""
    lines = ["# 攻坚看板账户：请用 python -m dashboard.accounts 管理，不要手写密码", ""]
    for account in sorted(accounts, key=lambda a: a.name):
        if account.source != "file":
            continue
        lines += [
            f"[users.{_toml_string(account.name)}]",
            f"role = {_toml_string(account.role)}",
            f"password_hash = {_toml_string(account.password_hash)}",
            "",
        ]
    _write_atomic(path, "\n".join(lines))


def add_account(path: Path, name: str, role: str, password: str, rounds: int = BCRYPT_ROUNDS) -> Account:
    name, role = check_name(name), check_role(role)
    accounts = load_accounts(path)
    if name in accounts:
        raise AccountError(f"账户“{name}”已存在：要改角色请用 set-role，要改密码请用 passwd")
    accounts[name] = Account(name, role, hash_password(password, rounds))
    save_accounts(path, accounts.values())
    return accounts[name]


def _existing(accounts: dict[str, Account], name: str, path: Path) -> Account:
    if name not in accounts:
        raise AccountError(f"账户文件 {path} 中没有“{name}”：请用 list 查看现有账户")
    return accounts[name]


def _keeps_an_admin(accounts: dict[str, Account], path: Path) -> None:
    if not any(a.role == "admin" for a in accounts.values()):
        raise AccountError(f"{path} 中将不再有管理员：请先把另一个账户设为 admin")


def remove_account(path: Path, name: str, keep_admin: bool = False) -> None:
    """Delete an account; with ``keep_admin`` refuse to remove the last admin (the admin page does)."""
    accounts = load_accounts(path)
    _existing(accounts, name, path)
    del accounts[name]
    if keep_admin:
        _keeps_an_admin(accounts, path)
    save_accounts(path, accounts.values())


def set_role(path: Path, name: str, role: str, keep_admin: bool = False) -> Account:
    accounts = load_accounts(path)
    old = _existing(accounts, name, path)
    accounts[name] = Account(name, check_role(role), old.password_hash)
    if keep_admin:
        _keeps_an_admin(accounts, path)
    save_accounts(path, accounts.values())
    return accounts[name]


def set_password(path: Path, name: str, password: str, rounds: int = BCRYPT_ROUNDS) -> None:
    accounts = load_accounts(path)
    old = _existing(accounts, name, path)
    accounts[name] = Account(name, old.role, hash_password(password, rounds))
    save_accounts(path, accounts.values())


def lock_seconds(failures: int, free: int = FREE_TRIES) -> float:
    """How long to wait after ``failures`` wrong passwords in a row: 0, 0, 0, 2, 4, 8 … ≤ 900 s."""
    if failures < free:
        return 0.0
    return min(MAX_DELAY, BASE_DELAY * 2 ** min(failures - free, 20))


def user_key(name: str) -> str:
    """The attempts-file key of a user name: ``user_key("Zhang")`` → ``"user:zhang"``."""
    return f"user:{name.strip().casefold()}"


def client_key(client: str) -> str:
    """The attempts-file key of a client (its address, or the browser session when none is known)."""
    return f"client:{client}"


def _free_tries(key: str) -> int:
    return CLIENT_FREE_TRIES if key.startswith("client:") else FREE_TRIES


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``<attempts>.lock`` (owner-only) for one read-modify-write of ``path``.

    Every sign-in try of every process (Streamlit serves each browser from a thread; a second
    dashboard may run beside it) goes through here, so none is lost between read and write.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:  # Windows: msvcrt retries for about 10 s, then raises OSError
            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock on both systems


def _read_attempts(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_attempts(path: Path, attempts: dict[str, dict], now: float) -> None:
    kept = {k: v for k, v in attempts.items()
            if isinstance(v, dict) and now - float(v.get("last", 0)) < _FORGET_AFTER}
    if len(kept) > MAX_ENTRIES:
        newest = sorted(kept, key=lambda k: float(kept[k].get("last", 0)), reverse=True)[:MAX_ENTRIES]
        kept = {k: kept[k] for k in newest}
    _write_atomic(path, json.dumps(kept, ensure_ascii=False))


def _wait(attempts: Mapping[str, dict], keys: Iterable[str], now: float) -> float:
    waits = [0.0]
    for key in keys:
        entry = attempts.get(key) or {}
        count = int(entry.get("count", 0))
        waits.append(float(entry.get("last", 0)) + lock_seconds(count, _free_tries(key)) - now)
    return max(waits)


def wait_seconds(path: Path, keys: Iterable[str], now: float | None = None) -> float:
    """Seconds before any of ``keys`` (``user:zhang``, ``client:10.0.0.7``) may try again."""
    return _wait(_read_attempts(path), keys, time.time() if now is None else now)


def _count_try(path: Path, keys: list[str], now: float) -> float:
    """Check and record one try in one locked step; the wait that applied before it (0: go on)."""
    with _locked(path):
        attempts = _read_attempts(path)
        wait = _wait(attempts, keys, now)
        for key in keys:
            count = int((attempts.get(key) or {}).get("count", 0)) + 1
            attempts[key] = {"count": count, "last": now}
        _write_attempts(path, attempts, now)
    return wait


def record_failure(path: Path, keys: Iterable[str], now: float | None = None) -> None:
    """Count one failed try of each key (under the file lock)."""
    _count_try(path, list(keys), time.time() if now is None else now)


def clear_failures(path: Path, keys: Iterable[str]) -> None:
    """Forget the failures of ``keys`` (an admin's unlock, or a successful sign-in of that name)."""
    keys = list(keys)
    with _locked(path):
        attempts = _read_attempts(path)
        if any(attempts.pop(key, None) is not None for key in keys):
            _write_atomic(path, json.dumps(attempts, ensure_ascii=False))


def _settle_success(path: Path, user: str, others: list[str], now: float) -> None:
    """A right password: that name's count is cleared, and the client's try given back (not cleared:
    signing in with one's own account must not reset a count of guesses at other names)."""
    with _locked(path):
        attempts = _read_attempts(path)
        attempts.pop(user, None)
        for key in others:
            entry = attempts.get(key)
            if isinstance(entry, dict) and int(entry.get("count", 0)) > 1:
                attempts[key] = {**entry, "count": int(entry["count"]) - 1}
            else:
                attempts.pop(key, None)
        _write_attempts(path, attempts, now)


@dataclass(frozen=True)
class Lock:
    """A name or client that must wait: ``Lock("user:admin1", 7, 120.0)``."""

    key: str
    failures: int
    wait: float

    @property
    def label(self) -> str:
        kind, _, who = self.key.partition(":")
        return f"用户名 {who}" if kind == "user" else f"客户端 {who}"


def current_locks(path: Path, now: float | None = None) -> list[Lock]:
    """Every name and client that has to wait now, longest wait first (for 账户管理 and ``locks``)."""
    now = time.time() if now is None else now
    found = []
    for key, entry in _read_attempts(path).items():
        wait = _wait({key: entry}, [key], now) if isinstance(entry, dict) else 0.0
        if wait > 0:
            found.append(Lock(key, int(entry.get("count", 0)), wait))
    return sorted(found, key=lambda lock: -lock.wait)


def _wait_message(wait: float) -> str:
    return f"密码错误次数过多：请 {int(wait) + 1} 秒后再试；忘记密码请联系管理员"


_REFUSED = "用户名或密码不对：请重新输入；连续输错多次后需要等待"


def authenticate(
    accounts: Mapping[str, Account],
    attempts_file: Path,
    name: str,
    password: str,
    client: str = "",
    now: float | None = None,
) -> SignIn:
    """Check one sign-in try, counting every try per user name and per client on disk.

    The try is checked and recorded in one locked step before the password is even looked at
    (so twenty simultaneous guesses are twenty records, and a locked name is refused without a
    bcrypt check); a right password then clears that name's count. A name longer than
    ``MAX_NAME`` or with other characters is refused before anything about it is stored (only
    the client's count grows). An unknown name costs the same bcrypt check as a wrong password
    and gives the same message. ``authenticate(accounts, path, "zhang", "wrong")`` →
    ``SignIn(None, "用户名或密码不对…")``.
    """
    now = time.time() if now is None else now
    raw = name or ""
    name = raw.strip() if len(raw) <= 2 * MAX_NAME else ""
    well_formed = bool(_NAME.fullmatch(name))
    keys = ([user_key(name)] if well_formed else []) + ([client_key(client[:64])] if client else [])
    wait = _count_try(attempts_file, keys, now) if keys else 0.0
    if wait > 0:  # refused unchecked; the refused try counts too, so the wait has grown
        wait = _wait(_read_attempts(attempts_file), keys, now)
        return SignIn(None, _wait_message(wait), wait)
    account = accounts.get(name) if well_formed else None
    stored = account.password_hash if account else _dummy_hash(_cost_of(accounts))
    matched = verify_password(password or "", stored)
    if account and matched:
        _settle_success(attempts_file, user_key(name), keys[1:], now)
        return SignIn(account)
    wait = _wait(_read_attempts(attempts_file), keys, now)
    if wait > 0:
        return SignIn(None, _wait_message(wait), wait)
    return SignIn(None, _REFUSED)


# ---- one-time sign-in links (for a locked admin, from the server's command line) ------------

def links_path(accounts_file: Path) -> Path:
    """The pending one-time links beside the accounts file: ``data/accounts.links.json``."""
    return accounts_file.with_name(accounts_file.stem + ".links.json")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def create_sign_in_link(accounts_file: Path, name: str, now: float | None = None) -> str:
    """A one-time token that signs ``name`` in within ``LINK_SECONDS``, whatever its lock.

    Only someone with a shell on the server (who could reset the password anyway) can make one;
    only its SHA-256 is stored. ``create_sign_in_link(path, "admin1")`` → ``"q3J…"`` (43 chars).
    """
    now = time.time() if now is None else now
    if name not in (read_secrets().get("accounts") or {}):
        _existing(load_accounts(accounts_file), name, accounts_file)
    token = _token_source.token_urlsafe(32)
    path = links_path(accounts_file)
    with _locked(path):
        links = {h: v for h, v in _read_attempts(path).items()
                 if isinstance(v, dict) and float(v.get("until", 0)) > now}
        links[_token_hash(token)] = {"name": name, "until": now + LINK_SECONDS}
        _write_atomic(path, json.dumps(links, ensure_ascii=False))
    return token


def redeem_sign_in_link(accounts: Mapping[str, Account], accounts_file: Path, token: str,
                        now: float | None = None) -> SignIn:
    """Use a one-time token: its account (and that name's lock cleared), or a Chinese refusal."""
    now = time.time() if now is None else now
    path = links_path(accounts_file)
    wanted = _token_hash(token[:200])
    name = ""
    with _locked(path):
        links = _read_attempts(path)
        for stored in list(links):
            if hmac.compare_digest(stored, wanted):
                entry = links.pop(stored)
                if isinstance(entry, dict) and float(entry.get("until", 0)) > now:
                    name = str(entry.get("name", ""))
                _write_atomic(path, json.dumps(links, ensure_ascii=False))
    account = accounts.get(name) if name else None
    if account is None:
        return SignIn(None, "登录链接无效、已用过或已过期：请在服务器上重新运行 "
                            "python -m dashboard.accounts sign-in-link 用户名")
    clear_failures(attempts_path(accounts_file), [user_key(name)])
    return SignIn(account)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("密码：")
    if getpass.getpass("再输入一次：") != first:
        raise AccountError("两次输入的密码不一致：请重新运行命令")
    return first


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard.accounts",
                                     description="管理攻坚看板的登录账户")
    parser.add_argument("--file", type=Path,
                        help="账户文件（默认见 secrets.toml 的 accounts_file 或 data/accounts.toml）")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("add", help="添加账户（提示输入密码）")
    p.add_argument("name")
    p.add_argument("--role", choices=ROLES, default="viewer")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行）")
    sub.add_parser("list", help="列出账户及角色")
    p = sub.add_parser("remove", help="删除账户")
    p.add_argument("name")
    p = sub.add_parser("set-role", help="修改账户角色")
    p.add_argument("name")
    p.add_argument("role", choices=ROLES)
    p = sub.add_parser("passwd", help="重设密码")
    p.add_argument("name")
    p.add_argument("--password-stdin", action="store_true")
    p = sub.add_parser("unlock", help="清除输错记录（解除锁定）：某个用户名、某个客户端地址或全部")
    p.add_argument("name", nargs="?", help="用户名（不必是现有账户）")
    p.add_argument("--client", help="客户端地址，如 10.0.0.7（见 locks 的输出）")
    p.add_argument("--all", action="store_true", help="清除全部输错记录")
    sub.add_parser("locks", help="列出正在锁定中的用户名和客户端")
    p = sub.add_parser("sign-in-link", help="生成一次性登录链接（10 分钟内有效，不受锁定限制）")
    p.add_argument("name")
    p.add_argument("--url", default="http://127.0.0.1:8501", help="看板的地址（默认 http://127.0.0.1:8501）")
    return parser


def _no_accounts_note(path: Path) -> str:
    if path.exists():
        return (f"{path} 中没有账户：看板将暂停提供数据，直到添加账户；"
                "若要回到无需登录的演示模式，请删除该文件")
    return f"{path} 不存在：未设置账户时看板无需登录（演示模式）"


def _unlock(path: Path, args: argparse.Namespace) -> str:
    attempts = attempts_path(path)
    if args.all:
        with _locked(attempts):
            _write_atomic(attempts, "{}")
        return "已清除全部输错记录"
    keys = ([user_key(args.name)] if args.name else []) + ([client_key(args.client)] if args.client else [])
    if not keys:
        raise AccountError("请说明要解除哪一个：unlock 用户名、unlock --client 地址，或 unlock --all")
    clear_failures(attempts, keys)
    return "已清除 " + "、".join(Lock(k, 0, 0).label for k in keys) + " 的输错记录"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        path = args.file.resolve() if args.file else accounts_path()
        if args.command == "add":
            account = add_account(path, args.name, args.role, _read_password(args.password_stdin))
            print(f"已添加账户 {account.name}（{ROLE_LABELS[account.role]}），写入 {path}")
        elif args.command == "list":
            accounts = load_accounts(path)
            if not accounts:
                print(_no_accounts_note(path))
            for account in sorted(accounts.values(), key=lambda a: a.name):
                print(f"{account.name}\t{account.role}")
        elif args.command == "remove":
            remove_account(path, args.name)
            print(f"已删除账户 {args.name}")
            if not load_accounts(path):
                print(_no_accounts_note(path), file=sys.stderr)
        elif args.command == "set-role":
            set_role(path, args.name, args.role)
            print(f"账户 {args.name} 的角色已改为 {ROLE_LABELS[args.role]}")
        elif args.command == "passwd":
            _existing(load_accounts(path), args.name, path)
            set_password(path, args.name, _read_password(args.password_stdin))
            print(f"已重设 {args.name} 的密码")
        elif args.command == "unlock":
            print(_unlock(path, args))
        elif args.command == "locks":
            locks = current_locks(attempts_path(path))
            if not locks:
                print("没有正在锁定中的用户名或客户端")
            for lock in locks:
                print(f"{lock.label}\t输错 {lock.failures} 次\t{int(lock.wait) + 1} 秒后解除")
        elif args.command == "sign-in-link":
            token = create_sign_in_link(path, args.name)
            print(f"{args.url.rstrip('/')}/?signin={token}")
            print(f"请在 {int(LINK_SECONDS // 60)} 分钟内用浏览器打开上面的链接，以 {args.name} 登录"
                  "（只能用一次，不受输错锁定限制）", file=sys.stderr)
    except AccountError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Who may sign in to the dashboard, with which role, and how repeated wrong passwords are slowed.

Officials run the dashboard on a machine inside their own network, so accounts live in a small
TOML file beside the data (no identity server): one table per user with a role and a bcrypt hash.
Sign-in is on exactly when that file (or ``[accounts]`` in ``.streamlit/secrets.toml``) holds at
least one account; the embedded demo has none and opens without a password.

Command line (the README's two commands)::

    python -m dashboard.accounts add zhang --role editor     # asks for the password twice
    python -m dashboard.accounts list

Failed sign-ins are counted per user and per browser session in ``accounts.attempts.json`` beside
the accounts file, so a restarted session or a second tab does not reset the count. After
``FREE_TRIES`` failures each further try waits twice as long (2 s, 4 s, … up to 15 minutes).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import getpass
import json
import os
import re
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import bcrypt

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
BASE_DELAY = 2.0
MAX_DELAY = 900.0
_FORGET_AFTER = 24 * 3600.0
_NAME = re.compile(r"^[\w.@-]{1,40}$")


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


def accounts_path(secrets: Mapping | None = None) -> Path:
    """Where the accounts live: env ``CAMPAIGN_TRACKER_ACCOUNTS``, else secrets ``accounts_file``,
    else ``data/accounts.toml``; relative paths are taken from the project root.

    ``accounts_path({"accounts_file": "conf/users.toml"})`` → ``<project>/conf/users.toml``.
    """
    named = os.environ.get(ENV_VAR)
    if not named:
        secrets = read_secrets() if secrets is None else secrets
        named = secrets.get("accounts_file")
    path = Path(named) if named else DEFAULT_FILE
    return path if path.is_absolute() else project_root() / path


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
def _dummy_hash() -> str:
    return bcrypt.hashpw(b"no such user", bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


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


def load_accounts(path: Path) -> dict[str, Account]:
    """The accounts in ``path`` ({} when the file does not exist)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AccountError(f"无法读取账户文件 {path}：{exc}。请修正或删除该文件后重试") from exc
    return _parse_accounts(data.get("users", {}), "file", path)


def all_accounts(secrets: Mapping | None = None) -> dict[str, Account]:
    """Accounts from ``[accounts]`` in secrets.toml (read-only) plus the accounts file (which wins)."""
    secrets = read_secrets() if secrets is None else secrets
    found = _parse_accounts(secrets.get("accounts", {}), "secrets", "secrets.toml")
    found.update(load_accounts(accounts_path(secrets)))
    return found


def sign_in_enabled(secrets: Mapping | None = None) -> bool:
    return bool(all_accounts(secrets))


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
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


def lock_seconds(failures: int) -> float:
    """How long to wait after ``failures`` wrong passwords in a row: 0, 0, 0, 2, 4, 8 … ≤ 900 s."""
    if failures < FREE_TRIES:
        return 0.0
    return min(MAX_DELAY, BASE_DELAY * 2 ** (failures - FREE_TRIES))


def _read_attempts(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def wait_seconds(path: Path, keys: Iterable[str], now: float | None = None) -> float:
    """Seconds before any of ``keys`` (``user:zhang``, ``session:…``) may try again."""
    now = time.time() if now is None else now
    attempts = _read_attempts(path)
    waits = [0.0]
    for key in keys:
        entry = attempts.get(key) or {}
        waits.append(float(entry.get("last", 0)) + lock_seconds(int(entry.get("count", 0))) - now)
    return max(waits)


def record_failure(path: Path, keys: Iterable[str], now: float | None = None) -> None:
    now = time.time() if now is None else now
    attempts = {k: v for k, v in _read_attempts(path).items()
                if now - float(v.get("last", 0)) < _FORGET_AFTER}
    for key in keys:
        count = int((attempts.get(key) or {}).get("count", 0)) + 1
        attempts[key] = {"count": count, "last": now}
    _write_atomic(path, json.dumps(attempts, ensure_ascii=False))


def clear_failures(path: Path, keys: Iterable[str]) -> None:
    attempts = _read_attempts(path)
    if any(attempts.pop(key, None) is not None for key in list(keys)):
        _write_atomic(path, json.dumps(attempts, ensure_ascii=False))


def _wait_message(wait: float) -> str:
    return f"密码错误次数过多：请 {int(wait) + 1} 秒后再试；忘记密码请联系管理员"


def authenticate(
    accounts: Mapping[str, Account],
    attempts_file: Path,
    name: str,
    password: str,
    session_key: str = "",
    now: float | None = None,
) -> SignIn:
    """Check one sign-in try, counting failures per user and per session on disk.

    An unknown name costs the same bcrypt check as a wrong password and gives the same message,
    so the form does not tell which names exist. While a key is locked its password is not even
    checked. ``authenticate(accounts, path, "zhang", "wrong")`` → ``SignIn(None, "用户名或密码不对…")``.
    """
    name = (name or "").strip()
    keys = [f"user:{name.casefold()}"] + ([f"session:{session_key}"] if session_key else [])
    wait = wait_seconds(attempts_file, keys, now)
    if wait > 0:
        return SignIn(None, _wait_message(wait), wait)
    account = accounts.get(name)
    matched = verify_password(password or "", account.password_hash if account else _dummy_hash())
    if account and matched:
        clear_failures(attempts_file, keys)
        return SignIn(account)
    record_failure(attempts_file, keys, now)
    wait = wait_seconds(attempts_file, keys, now)
    if wait > 0:
        return SignIn(None, _wait_message(wait), wait)
    return SignIn(None, "用户名或密码不对：请重新输入；连续输错多次后需要等待")


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
    p = sub.add_parser("unlock", help="清除某账户的输错记录")
    p.add_argument("name")
    return parser


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
                print(f"{path} 中没有账户：看板无需登录")
            for account in sorted(accounts.values(), key=lambda a: a.name):
                print(f"{account.name}\t{account.role}")
        elif args.command == "remove":
            remove_account(path, args.name)
            print(f"已删除账户 {args.name}")
        elif args.command == "set-role":
            set_role(path, args.name, args.role)
            print(f"账户 {args.name} 的角色已改为 {ROLE_LABELS[args.role]}")
        elif args.command == "passwd":
            _existing(load_accounts(path), args.name, path)
            set_password(path, args.name, _read_password(args.password_stdin))
            print(f"已重设 {args.name} 的密码")
        elif args.command == "unlock":
            clear_failures(attempts_path(path), [f"user:{args.name.casefold()}"])
            print(f"已清除 {args.name} 的输错记录")
    except AccountError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

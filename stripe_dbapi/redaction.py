"""What the driver must never print, and how it is hidden: the one place for redaction.

Exception messages use ``redact`` (API keys only: an error quotes what Stripe said).
Everything the verbose log writes (stripe_dbapi/verbose.py) goes through ``scrub``,
which also hides card numbers, CVCs, passwords and other secret-named values, the
credentials in URLs, and any exact secret it is given (the proxy password); headers and
form bodies are redacted by name first (``scrub_headers``, ``scrub_pairs``), where the
name says exactly what a value is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

REDACTED = "[redacted]"

_SECRET_PATTERN = re.compile(r"\b(sk|rk|pk)_(live|test)_[A-Za-z0-9]+")

# Values whose name says they are secret: the last segment of a form key
# (card[cvc], payment_method_data[card][number]) or a JSON/SQL key ("cvc": "123").
# "number" only under "card": an invoice's number is not a secret (card numbers are
# caught anywhere by _CARD_NUMBER too).
SECRET_NAMES = frozenset({
    "cvc", "cvv", "cvc2", "password", "secret", "client_secret", "account_number",
    "id_number", "personal_id_number", "ssn_last_4", "api_key", "proxy_password",
})
_SECRET_NAME_ALTERNATIVES = "|".join(sorted(SECRET_NAMES | {"card_number"}, key=len, reverse=True))
# A secret-named key followed by = or : and a value: JSON ("cvc": "123"), SQL
# (cvc = '123'), form text (card[cvc]=123, card%5Bcvc%5D=123).
_NAMED_VALUE = re.compile(
    rf"""(?P<key>["']?(?:(?<=%5B)|\b)(?:{_SECRET_NAME_ALTERNATIVES})\b["']?(?:\]|%5D)?\s*[:=]\s*)"""
    r"""(?P<value>\[redacted\]|"[^"]*"|'[^']*'|[^\s&,;}\]"')]+)""",
    re.IGNORECASE,
)
# 13 to 19 digits, alone or in groups of four split by spaces or dashes: the length of
# every card number. Any such run is hidden (a 13-digit amount too: better too much).
_CARD_NUMBER = re.compile(r"(?<![\w.])\d(?:[ -]?\d){12,18}(?![\w.])")
# user:password@ in a URL (a proxy URL with credentials).
_URL_CREDENTIALS = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^/@\s:]*):[^/@\s]*@")

SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})


def mask_key(api_key: str) -> str:
    # Stripe's own convention: keep the prefix and the last four characters, but
    # only when the secret part is long enough that four characters reveal little.
    prefix, _, secret = api_key.rpartition("_")
    if not prefix:
        return "****"
    if len(secret) < 16:
        return f"{prefix}_****"
    return f"{prefix}_****{secret[-4:]}"


def redact(text: str, api_key: str | None = None) -> str:
    """Mask API keys in text that may reach a log line or an exception message."""
    if api_key:
        text = text.replace(api_key, mask_key(api_key))
    return _SECRET_PATTERN.sub(lambda m: mask_key(m.group(0)), text)


def scrub(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with every secret the verbose log must not write hidden: the given
    ``secrets`` (the API key, the proxy password) wherever they occur, API keys,
    credentials in URLs, secret-named values and card numbers."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, mask_key(secret) if _is_key(secret) else REDACTED)
    text = redact(text)
    text = _URL_CREDENTIALS.sub(lambda m: f"{m['scheme']}{m['user']}:{REDACTED}@", text)
    text = _NAMED_VALUE.sub(_hide_value, text)
    return _CARD_NUMBER.sub(REDACTED, text)


def scrub_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Headers to print: credentials and cookies replaced (a Bearer key keeps its
    masked form, which says which key was used)."""
    shown = []
    for name, value in headers:
        if name.lower() in SECRET_HEADERS:
            scheme, _, credential = value.partition(" ")
            if scheme.lower() == "bearer" and _is_key(credential):
                value = f"Bearer {mask_key(credential)}"
            else:
                value = f"{scheme} {REDACTED}" if credential else REDACTED
        shown.append((name, value))
    return shown


def scrub_pairs(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Form fields to print: a field whose name is secret (card[cvc], card[number],
    ...[password]) has its value replaced."""
    return [(key, REDACTED if is_secret_field(key) else value) for key, value in pairs]


def is_secret_field(key: str) -> bool:
    """Whether a form field (``card[number]``, ``bank_account[account_number]``) or a
    JSON key holds a secret."""
    segments = [s for s in re.split(r"[\[\]]+", key.lower()) if s]
    if not segments:
        return False
    last = segments[-1]
    return last in SECRET_NAMES or (last == "number" and "card" in segments[:-1])


def _is_key(text: str) -> bool:
    return bool(_SECRET_PATTERN.fullmatch(text))


def _hide_value(match: re.Match) -> str:
    value = match["value"]
    quote = value[0] if value[:1] in ("'", '"') else ""
    return f"{match['key']}{quote}{REDACTED}{quote}"

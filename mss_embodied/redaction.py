"""Redaction by value: every secret this process knows is scrubbed from everything it writes.

Scrubbing option *names* (``api_key``) is not enough: a server that echoes the key in its error
body, a ``base_url`` such as ``http://user:KEY@host/v1`` or a token nested in ``extra_body`` would
still reach results.jsonl, config.json, metrics.json, report.md and the log. So the harness
registers every secret *value* it sees (options whose names mark credentials, at any depth; the
user-info and credential query parameters of URLs; the environment's credential variables), and
the write boundaries (the run store, the response cache, the command line's error line) pass
everything through :data:`REDACTOR`.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

#: Words that mark an option name as a credential (``api_key``, ``hf_token``, ``apiKey``, ``client_secret``).
SECRET_WORDS: frozenset[str] = frozenset({"key", "apikey", "token", "secret", "password", "passwd", "auth",
                                          "authorization", "credential", "credentials", "bearer"})
#: What a secret is replaced with.
MARK = "<redacted>"
#: Shorter values are not redacted by value: they are no credential, and replacing every "abc" in a
#: report would garble it (they are still dropped from config.json by name).
MIN_SECRET_CHARS = 6
#: Environment values shorter than this are not taken for credentials (flags, modes, ports).
MIN_ENV_SECRET_CHARS = 8
#: Placeholders that are not secrets (local servers accept any key).
NOT_SECRETS: frozenset[str] = frozenset({"sk-local-no-key", "EMPTY", "none", "None", "null", "dummy"})
_AUTH_SCHEME = re.compile(r"^(?:bearer|basic|token|bot)\s+(\S+)$", re.IGNORECASE)


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()) if w]


def is_secret(name: str) -> bool:
    """Option names that may hold credentials. Whole words only, so ``max_tokens``, ``tokenizer`` or
    ``max_completion_tokens`` stay generation parameters (in the cache key and in config.json)."""
    return any(w in SECRET_WORDS for w in _words(name))


def names_credential(name: str) -> bool:
    """Names whose *value* is a credential, so it is redacted wherever it appears: the last word is a
    credential word (``api_key``, ``HF_TOKEN``, ``client_secret``), unlike ``RAY_AUTH_MODE`` (value
    "token") or ``SSH_AUTH_SOCK`` (a path), whose values are ordinary words that must stay readable."""
    words = _words(name)
    return bool(words) and words[-1] in SECRET_WORDS


def url_secrets(text: str) -> list[str]:
    """The user name, password and credential query values of a URL (``http://u:KEY@host/?api-key=X``),
    and the HTTP Basic credential the client derives from its user-info (base64 of ``u:KEY``), which a
    server may echo back."""
    if "://" not in text:
        return []
    try:
        parts = urlsplit(text.strip())
        user, password = parts.username or "", parts.password or ""
        # a user name is a credential when it stands alone (https://TOKEN@host) or looks like a token;
        # an ordinary one ("user") stays, or every "user" in a report would be redacted
        found = [user if not password or len(user) >= 12 else "", password]
        found += [v for k, v in parse_qsl(parts.query, keep_blank_values=False) if is_secret(k)]
    except ValueError:  # not a URL after all
        return []
    if password:
        for u, p in {(user, password), (unquote(user), unquote(password))}:
            found.append(base64.b64encode(f"{u}:{p}".encode()).decode("ascii"))
    return [unquote(v) for v in found if v] + [v for v in found if v]


class Redactor:
    """A set of secret values and one compiled pattern over them; thread-safe."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()
        self._env_seen: dict[str, str] = {}
        for value in values:
            self.add(value)

    @property
    def values(self) -> frozenset[str]:
        return frozenset(self._values)

    def add(self, value: Any) -> None:
        """Register one secret value (and its URL-encoded form, which is how it appears in URLs)."""
        if not isinstance(value, str):
            return
        value = value.strip()
        scheme = _AUTH_SCHEME.match(value)
        if scheme:  # "Bearer TOKEN": the token alone is what an echo shows
            self.add(scheme.group(1))
        if len(value) < MIN_SECRET_CHARS or value in NOT_SECRETS:
            return
        new = {value, quote(value, safe="")} - self._values
        if new:
            with self._lock:
                self._values |= new
                self._pattern = None

    def add_options(self, options: Any, secret: bool = False) -> None:
        """Every value under a credential name, at any depth, and credentials inside URLs."""
        if isinstance(options, Mapping):
            for key, value in options.items():
                self.add_options(value, secret or names_credential(str(key)))
        elif isinstance(options, (list, tuple)):
            for value in options:
                self.add_options(value, secret)
        elif isinstance(options, str):
            if secret:
                self.add(options)
            for value in url_secrets(options):
                self.add(value)

    def add_environment(self, environ: Mapping[str, str] | None = None) -> None:
        """Credential variables (``OPENAI_API_KEY``, ``HF_TOKEN``, ...) and URL credentials in any variable.
        A value that reads as a plain word (``required``, ``disabled``) is a setting, not a credential."""
        environ = os.environ if environ is None else environ
        for name, value in environ.items():
            if self._env_seen.get(name) == value:
                continue
            self._env_seen[name] = value
            if (names_credential(name) and len(value.strip()) >= MIN_ENV_SECRET_CHARS
                    and not re.fullmatch(r"[a-z_-]+", value.strip())):
                self.add(value)
            for found in url_secrets(value):
                self.add(found)

    def _compiled(self) -> re.Pattern[str] | None:
        with self._lock:
            if self._pattern is None and self._values:
                alternatives = sorted(self._values, key=len, reverse=True)  # longest first: no partial leftovers
                self._pattern = re.compile("|".join(re.escape(v) for v in alternatives))
            return self._pattern

    def text(self, text: str) -> str:
        pattern = self._compiled()
        return text if pattern is None else pattern.sub(MARK, text)

    def data(self, value: Any) -> Any:
        """A copy of JSON-like data with every string (keys too) redacted."""
        pattern = self._compiled()
        if pattern is None:
            return value
        return _walk(value, lambda s: pattern.sub(MARK, s))

    def contains_secret(self, text: str) -> bool:
        pattern = self._compiled()
        return bool(pattern and pattern.search(text))


def _walk(value: Any, fix: Any) -> Any:
    if isinstance(value, str):
        return fix(value)
    if isinstance(value, Mapping):
        return {(fix(k) if isinstance(k, str) else k): _walk(v, fix) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_walk(v, fix) for v in value]
    return value


#: The process's redactor: the harness registers what it knows, every write boundary applies it.
REDACTOR = Redactor()


def redact_text(text: str) -> str:
    """``text`` with every known secret (the environment's included) replaced by :data:`MARK`."""
    REDACTOR.add_environment()
    return REDACTOR.text(text)


def redact_data(value: Any) -> Any:
    REDACTOR.add_environment()
    return REDACTOR.data(value)


def register_options(*options: Mapping[str, Any]) -> None:
    """Register the secrets in option mappings (policy and judge options) with :data:`REDACTOR`."""
    for mapping in options:
        REDACTOR.add_options(mapping)


class RedactingFilter(logging.Filter):
    """Log records with every known secret redacted by value: a log is written like any other file."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact_text(record.getMessage())
        record.args = ()
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        return True

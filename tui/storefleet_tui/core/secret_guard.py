"""Refuse extra vars that look secret: ansible-runner writes extra vars to its artifacts
(`env/extravars`, the `command` file, every event), so a secret there is kept on disk.

A variable looks secret by its name (password, passwd, pass, pwd, secret, token, key,
credential(s), passphrase) or by its value: a PEM block, a JWT, or a long random string
(32 or more characters of the base64 alphabet with upper case, lower case and digits
and the spread of a random string). Hex strings are let through: image digests and
commit hashes are public. Messages name the variable and never show the value.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

# Anywhere in a name: `store_admin_password`, `apiToken`, `registry_credentials`.
NAME_PARTS = ("password", "passwd", "passphrase", "secret", "token", "credential")
# Whole words of a name only: `ssh_key` and `become_pass`, not `bypass` or `monkey`.
NAME_WORDS = frozenset({"pass", "pwd", "key", "keys", "apikey", "privatekey", "accesskey"})

_PEM = re.compile(r"-----BEGIN [A-Z0-9 ]+-----")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_TOKEN_RUN = re.compile(r"[A-Za-z0-9+/=_-]{32,}")
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
# Bits per character: random base64 of 32 characters has about 4.6, a camel-case
# identifier about 4, a hex digest at most 4 (and is let through anyway).
RANDOM_BITS_PER_CHARACTER = 4.3


class SecretExtraVar(ValueError):
    """An extra var that looks secret; the message names it, never its value."""


def secret_problem(extravars: Mapping[str, Any]) -> str:
    """Why the first secret-looking variable is refused, or '' when none is."""
    for path, value in _leaves(extravars, ""):
        name = path.rsplit(".", 1)[-1]
        if _secret_name(name):
            return _refusal(path, "its name says it holds a secret")
        why = _secret_value(value) if isinstance(value, str) else ""
        if why:
            return _refusal(path, f"its value looks like {why}")
    return ""


def refuse_secrets(extravars: Mapping[str, Any]) -> None:
    problem = secret_problem(extravars)
    if problem:
        raise SecretExtraVar(problem)


def _refusal(path: str, why: str) -> str:
    return (
        f"extra var {path!r} looks secret ({why}): secrets never go in extra vars, which"
        " ansible-runner keeps in its artifacts; the playbooks read them from the cluster"
    )


def _leaves(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Every named value, nested ones as `outer.inner` (list items as `outer[0]`)."""
    if isinstance(value, Mapping):
        for key, inner in value.items():
            named = f"{path}.{key}" if path else str(key)
            yield named, inner
            yield from _leaves(inner, named)
    elif isinstance(value, list | tuple):
        for index, inner in enumerate(value):
            yield from _leaves(inner, f"{path}[{index}]")
    elif path.endswith("]"):
        yield path, value


def _secret_name(name: str) -> bool:
    lowered = name.lower()
    if any(part in lowered for part in NAME_PARTS):
        return True
    return any(word.lower() in NAME_WORDS for word in _WORDS.findall(name))


def _secret_value(value: str) -> str:
    if _PEM.search(value):
        return "a PEM block"
    if _JWT.search(value):
        return "a JWT"
    if any(_random(run) for run in _TOKEN_RUN.findall(value)):
        return "a key (a long random string)"
    return ""


def _random(run: str) -> bool:
    classes = (str.isupper, str.islower, str.isdigit)
    if not all(any(test(c) for c in run) for test in classes):
        return False
    counts = Counter(run)
    bits = -sum(n / len(run) * math.log2(n / len(run)) for n in counts.values())
    return bits >= RANDOM_BITS_PER_CHARACTER

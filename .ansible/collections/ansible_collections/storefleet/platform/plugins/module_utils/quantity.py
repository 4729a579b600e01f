# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Kubernetes resource quantities: parse to exact integers, format canonically.

CPU is counted in millicores and memory/storage in bytes, as integers, so sums are exact.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from decimal import Decimal, InvalidOperation

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "": Decimal(1)}
_DECIMAL.update({"k": Decimal(10**3), "M": Decimal(10**6), "G": Decimal(10**9)})
_DECIMAL.update({"T": Decimal(10**12), "P": Decimal(10**15), "E": Decimal(10**18)})
_QUANTITY = re.compile(r"^([+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$")


class QuantityError(ValueError):
    """A value that is not a Kubernetes quantity."""


def parse(value):
    """The exact Decimal value of a quantity such as '250m', '1.5', '512Mi' or 2."""
    if isinstance(value, bool):
        raise QuantityError("%r is not a quantity" % (value,))
    if isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str):
        raise QuantityError("%r is not a quantity" % (value,))
    match = _QUANTITY.match(value.strip())
    if not match:
        raise QuantityError("%r is not a quantity (examples: 250m, 1, 512Mi, 5Gi)" % value)
    try:
        number = Decimal(match.group(1))
    except InvalidOperation:
        raise QuantityError("%r is not a quantity" % value) from None
    suffix = match.group(2) or ""
    factor = _BINARY.get(suffix) or _DECIMAL[suffix]
    return number * factor


def millicores(value):
    """CPU quantity in whole millicores (Kubernetes rounds CPU up to 1m)."""
    return int((parse(value) * 1000).to_integral_value(rounding="ROUND_CEILING"))


def byte_count(value):
    """Memory or storage quantity in whole bytes (rounded up, like the API server)."""
    return int(parse(value).to_integral_value(rounding="ROUND_CEILING"))


def format_cpu(milli):
    """'2' for whole cores, else '2500m' - the forms the API server keeps."""
    return str(milli // 1000) if milli % 1000 == 0 else "%dm" % milli


def format_bytes(count):
    """The largest binary suffix that divides exactly: '3Gi', '1536Mi', or plain bytes."""
    for suffix in ("Ei", "Pi", "Ti", "Gi", "Mi", "Ki"):
        unit = _BINARY[suffix]
        if count and count % unit == 0:
            return "%d%s" % (count // unit, suffix)
    return str(count)

"""Personal data out of questions and feedback before anything is stored or logged.

Recognised, each by its shape and where possible its check digit: a BSN (nine digits, or
the ``1234.56.782`` notation, passing the 11-proef), e-mail addresses, Dutch phone numbers
(mobile and landline, ``06-…``, ``020 …``, ``+31 …``, ``0031 …``) and IBANs (mod-97 check).
Each is replaced by a Dutch marker such as ``[BSN verwijderd]``. Ordinary numbers (amounts
like ``118,11``, years, ``960 uur``, dates) do not match these shapes or fail the check.

``install_log_redaction()`` applies the same redaction to every log record of the process
(including uvicorn's access log, whose paths carry search questions).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus

BSN_MARK = "[BSN verwijderd]"
EMAIL_MARK = "[e-mailadres verwijderd]"
PHONE_MARK = "[telefoonnummer verwijderd]"
IBAN_MARK = "[IBAN verwijderd]"

_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}"
                   r"(?: ?[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])")
_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w-])")
# Prefix (+31 / 0031 / 0, optionally "(0)" or brackets around the area code), then digits
# with single separators; the digit count is checked afterwards.
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)31[ .-]?(?:\(0\)[ .-]?)?\(?|\(?0)\d{1,3}\)?"
                    r"[ .\-/]{0,3}\d(?:[ .-]?\d){5,8}(?!\w|[.,]\d)")
_DATE = re.compile(r"\d{1,2}[-.]\d{1,2}[-.]\d{4}")
_BSN = re.compile(r"(?<![\w.,€$-])(?:\d{9}|\d{4}\.\d{2}\.\d{3})(?!\w|[.,]\d)")


def _valid_iban(text: str) -> bool:
    iban = text.replace(" ", "").upper()
    if not 15 <= len(iban) <= 34:
        return False
    digits = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


def _valid_phone(text: str) -> bool:
    if _DATE.search(text):
        return False
    digits = re.sub(r"\D", "", text)
    if text.lstrip("(").startswith(("+31", "0031")):
        digits = "0" + digits[4 if text.startswith("0031") else 2:].removeprefix("0")
    return len(digits) == 10 and digits[0] == "0" and digits[1] != "0"


def is_valid_bsn(text: str) -> bool:
    """The 11-proef: 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of 11 (and not all zero)."""
    digits = [int(ch) for ch in text if ch.isdigit()]
    if len(digits) != 9 or not any(digits):
        return False
    total = sum(weight * d for weight, d in zip(range(9, 1, -1), digits[:8])) - digits[8]
    return total % 11 == 0


def _sub(pattern: re.Pattern[str], mark: str, check, text: str) -> str:
    return pattern.sub(lambda m: mark if check(m.group(0)) else m.group(0), text)


def redact_personal_data(text: str) -> str:
    """``text`` with BSNs, e-mail addresses, Dutch phone numbers and IBANs replaced."""
    if not text or not any(ch.isdigit() or ch == "@" for ch in text):
        return text
    text = _sub(_IBAN, IBAN_MARK, _valid_iban, text)
    text = _EMAIL.sub(EMAIL_MARK, text)
    text = _sub(_PHONE, PHONE_MARK, _valid_phone, text)
    return _sub(_BSN, BSN_MARK, is_valid_bsn, text)


def _redact_value(value):
    """A log argument, redacted. URL-encoded text (query strings in the access log) is also
    checked decoded, and only then logged decoded: other lines stay as they were."""
    if not isinstance(value, str):
        return value
    value = redact_personal_data(value)
    if "%" in value or "+" in value:
        decoded = unquote_plus(value)
        redacted = redact_personal_data(decoded)
        if redacted != decoded:
            return redacted
    return value


def install_log_redaction() -> None:
    """Redact personal data in every log record created from now on (idempotent).

    A record factory rather than a filter: filters sit on single loggers or handlers that
    uvicorn reconfigures, a factory sees every record of every logger. Arguments are
    redacted one by one because uvicorn's access formatter unpacks ``record.args``."""
    current = logging.getLogRecordFactory()
    if getattr(current, "redacts_personal_data", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = current(*args, **kwargs)
        record.msg = _redact_value(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_value(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _redact_value(v) for k, v in record.args.items()}
        return record

    factory.redacts_personal_data = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)

"""Personal data (BSN, e-mail, phone, IBAN) is redacted; ordinary numbers are left alone."""

from __future__ import annotations

import logging

import pytest

from service.privacy import (
    BSN_MARK,
    EMAIL_MARK,
    IBAN_MARK,
    PHONE_MARK,
    install_log_redaction,
    is_valid_bsn,
    redact_personal_data,
)


@pytest.mark.parametrize("text, mark", [
    ("Mijn BSN is 111222333, klopt mijn toeslag?", BSN_MARK),
    ("bsn 123456782", BSN_MARK),
    ("BSN: 1234.56.782.", BSN_MARK),
    ("Mail mij op jan.de-vries@gemeente-zwolle.nl graag", EMAIL_MARK),
    ("contact: J.Jansen+npo@Voorbeeld.NL", EMAIL_MARK),
    ("Bel 06-12345678 voor overleg", PHONE_MARK),
    ("Bel 06 12 34 56 78", PHONE_MARK),
    ("mobiel 0612345678", PHONE_MARK),
    ("tel. +31 6 12345678", PHONE_MARK),
    ("tel. +31612345678", PHONE_MARK),
    ("tel. 0031 6 1234 5678", PHONE_MARK),
    ("bel 020-1234567", PHONE_MARK),
    ("bel (020) 123 45 67 tijdens kantooruren", PHONE_MARK),
    ("bel +31 (0)20 123 4567", PHONE_MARK),
    ("bel 010 - 123 45 67", PHONE_MARK),
    ("IBAN NL91ABNA0417164300 van de school", IBAN_MARK),
    ("rekening NL91 ABNA 0417 1643 00.", IBAN_MARK),
    ("rekening nl91abna0417164300", IBAN_MARK),
    ("Belgische rekening BE68 5390 0754 7034", IBAN_MARK),
])
def test_personal_data_is_redacted(text, mark):
    redacted = redact_personal_data(text)
    assert mark in redacted
    digits_left = [w for w in redacted.split() if sum(ch.isdigit() for ch in w) >= 6]
    assert not digits_left, redacted
    assert "@" not in redacted


@pytest.mark.parametrize("text", [
    "Gemeenten kregen 118,11 euro per leerling.",
    "Het budget is € 1.234.567 voor 2024.",
    "Peuters krijgen 960 uur voorschoolse educatie.",
    "Vanaf 1 augustus 2020 in groep 6, schooljaar 2020-2021.",
    "De regeling gold tot 01-08-2020 10 jaar lang.",
    "Het bedrag van 123456789 euro is een ongeldig BSN-nummer.",  # fails the 11-proef
    "Rekening NL91ABNA0417164301 heeft een foute controlecijfer.",  # fails mod 97
    "In totaal 12345678 leerlingen, 0,5 fte en 3.500 uur.",
    "Kenmerk 2023-0012345 en artikel 12, lid 3; postcode 1234 AB.",
    "0800-1234 is een gratis nummer; 2,5 miljard euro.",
    "Versie 1.0.2 van het document, 15.000 kinderen.",
])
def test_ordinary_numbers_stay(text):
    assert redact_personal_data(text) == text


def test_bsn_eleven_check():
    assert is_valid_bsn("111222333") and is_valid_bsn("123456782")
    assert not is_valid_bsn("123456789") and not is_valid_bsn("000000000")
    assert not is_valid_bsn("12345678")


def test_several_kinds_in_one_text():
    text = ("Ik ben Jan (BSN 111222333), bereikbaar op 06-12345678 of jan@example.org, "
            "IBAN NL91ABNA0417164300. Hoeveel uur VE krijgt mijn kind (960 uur?)")
    assert redact_personal_data(text) == (
        f"Ik ben Jan (BSN {BSN_MARK}), bereikbaar op {PHONE_MARK} of {EMAIL_MARK}, "
        f"IBAN {IBAN_MARK}. Hoeveel uur VE krijgt mijn kind (960 uur?)")


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_log_records_are_redacted():
    install_log_redaction()
    install_log_redaction()  # idempotent
    collect = Collect()
    loggers = [logging.getLogger("kennisloket.test"), logging.getLogger("uvicorn.access")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:  # handlers on the loggers: uvicorn may have stopped propagation
        lg.addHandler(collect)
        lg.setLevel(logging.INFO)
    try:
        loggers[0].info("vraag: %s", "mijn bsn is 111222333")
        loggers[1].info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET",
                        "/v1/search?q=mail+jan%40example.org+of+bel+0612345678", "1.1", 200)
    finally:
        for lg, level in zip(loggers, levels):
            lg.removeHandler(collect)
            lg.setLevel(level)
    text = "\n".join(collect.lines)
    assert "111222333" not in text and BSN_MARK in text
    assert "jan%40example.org" not in text and "0612345678" not in text
    assert EMAIL_MARK in text and PHONE_MARK in text and "/v1/search?q=" in text

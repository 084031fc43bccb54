"""Personal data a resident types, replaced by a placeholder before anything stores or logs the text.

Masked: e-mail addresses ("matti@example.fi", also "matti(at)example.fi" as hel.fi writes them,
"matti [at] example.fi", "matti @ example.fi") as [e-mail]; IBANs, Finnish, Swedish or any other,
spaced or not, as [IBAN]; Finnish personal identity codes with a valid check character, whatever the
century sign or separator (-, +, A-F, U-Y, en dash, space, none), as [identity code]; phone numbers in
any form a resident writes them (+358 (0)40 123 4567, (040) 123 4567, 040.123.4567, 358401234567,
+46 70 123 45 67) as [phone].

Left alone: dates (06.12.2019, 06 12 2019), opening hours (klo 0800-1600), years, counts
(350 000 euroa) and business IDs (0201256-6), which the assistant's questions are about, and an
identity code or IBAN whose check character is wrong, which is not one.

Check characters and numbering plans tell personal data from other numbers better than patterns
can, so the checks are the libraries that know them: python-stdnum (identity codes, IBANs, business
IDs) and phonenumbers, Google's libphonenumber (every country's numbering plan). The examples in
docs/security.md are tested against this module (tests/channel/test_masking.py).
"""

from __future__ import annotations

import re
from typing import Iterator, Tuple

import phonenumbers
from stdnum import iban
from stdnum.fi import hetu, ytunnus

_EMAIL = re.compile(r"[\w.+-]+ ?(?:@|\(at\)|\[at\]) ?[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# Country, check digits, then groups of four (spaced or not) and a shorter last one; stdnum decides.
# Letters in the groups are capitals, so that a next word ("... 7466 tack") is not taken for a group.
_IBAN = re.compile(r"\b(?i:[A-Z]{2})\d\d(?: ?[A-Z0-9]{4})+(?: ?[A-Z0-9]{1,3})?\b")
_IDENTITY_CODE = re.compile(
    r"(?<!\w)(?P<date>\d{6})(?P<sign>[-+– A-FU-Y]?)(?P<rest>\d{3}[0-9A-Y])(?!\w)", re.IGNORECASE
)
_CENTURY_SIGNS = frozenset("+-ABCDEFUVWXY")
# What phonenumbers would also read as a number: a date ("06 12 2019" is Vaasa's 06 area) or opening
# hours ("0800-1600" is a toll-free 0800 number).
_DATE_OR_HOURS = re.compile(r"[0-3]?\d([-. ])[01]?\d\1(?:19|20)\d\d|[0-2]\d[.:]?[0-5]\d ?[-–] ?[0-2]\d[.:]?[0-5]\d")
# Number-like words in a row, not glued to a letter. The matcher reads a row as one number, so in
# "soitin 040 123 4567 16 kertaa" it would find none: stretches of a row are tried one by one instead,
# from each word that can start a number written in Finland (+, 0 and 00, or the country code 358).
_NUMBER_ROW = re.compile(r"(?<![^\W\d])[+(]?\d[^\s,;]*(?:\s+[+(]?\d[^\s,;]*)*")
_WORD = re.compile(r"\S+")  # a row's words are what stands between spaces: "+358", "(0)40", "123"
_NUMBER_START = re.compile(r"[+(0]|358")
_NUMBER_WORDS, _NUMBER_CHARS = 6, 24  # the most a number is written in: "+358 (0)40 123 45 67"
# At most this many calls of the matcher a text: enough for a long list of phone numbers, and a text
# of nothing but digits cannot keep a worker busy.
_TRIES = 300


def mask_personal_data(text: str) -> str:
    """The text with each e-mail address, IBAN, identity code and phone number in it replaced."""
    # Longest first: an e-mail address or an IBAN may hold digits that read as a phone number.
    text = _EMAIL.sub("[e-mail]", text)
    text = _IBAN.sub(lambda m: "[IBAN]" if iban.is_valid(m[0]) else m[0], text)
    text = _IDENTITY_CODE.sub(lambda m: "[identity code]" if _is_identity_code(m) else m[0], text)
    return _mask_phone_numbers(text)


def _is_identity_code(match: re.Match) -> bool:
    # The check character covers the date and individual number, not the century. Where the sign is
    # missing or not one (space, en dash), 2000 stands in: its dates include every 1900 one, 29.2. too.
    sign = match["sign"].upper()
    code = match["date"] + (sign if sign in _CENTURY_SIGNS else "A") + match["rest"]
    return hetu.is_valid(code, allow_temporary=True)  # a temporary code (900-999) is a person's too


def _mask_phone_numbers(text: str) -> str:
    masked, done, tries = [], 0, _TRIES
    for start, end in _stretches(text):
        if start < done:  # within a number masked already
            continue
        if not tries:
            break
        tries -= 1
        length = _phone_number_at_start(text[start:end])
        if length:
            masked += [text[done:start], "[phone]"]
            done = start + length
    return "".join(masked) + text[done:]


def _stretches(text: str) -> Iterator[Tuple[int, int]]:
    """Where a phone number may be: from each word of a row that may start one, as many of the next
    words as a number is written in, longest first."""
    for row in _NUMBER_ROW.finditer(text):
        words = [word.span() for word in _WORD.finditer(text, row.start(), row.end())]
        for i, (start, _) in enumerate(words):
            if _NUMBER_START.match(text, start):
                ends = [end for _, end in words[i : i + _NUMBER_WORDS] if end - start <= _NUMBER_CHARS]
                yield from ((start, end) for end in reversed(ends))


def _phone_number_at_start(candidate: str) -> int:
    """The length of the phone number the candidate starts with; 0 when it starts with none."""
    # VALID: a number the numbering plan assigns. The laxer POSSIBLE also takes "350 000" and
    # "2020-2027"; the stricter STRICT_GROUPING misses "0800 123 456" and "031-123 45 67".
    for match in phonenumbers.PhoneNumberMatcher(candidate, "FI", leniency=phonenumbers.Leniency.VALID):
        left_alone = _DATE_OR_HOURS.fullmatch(match.raw_string) or ytunnus.is_valid(match.raw_string)
        if match.start == 0 and not left_alone:
            return match.end
    return 0

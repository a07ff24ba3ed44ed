"""From the bytes of a caseload file to a JSON value the validator can trust.

Problems with the file as a whole (not UTF-8, not JSON, nested beyond what
can be read) raise `CaseloadFileError` with one sentence a clinic admin can
act on. Values that JSON can hold but the clinical record cannot stay in the
document for `value_problems` to report by JSON path, so the validator names
the record they are in:
- a NUL character: PostgreSQL text cannot hold \\x00;
- a lone surrogate (a `\\ud800` escape without its pair): it has no UTF-8
  encoding, so PostgreSQL cannot take it either;
- a number longer than any field needs: Python refuses to convert one of more
  than 4,300 digits, and a long one costs quadratic time to convert;
- NaN and Infinity, which Python reads but JSON does not allow;
- a value nested deeper than any part of the format.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass

# No field of the format needs more; a pain score has 2 digits.
MAX_NUMBER_DIGITS = 30
# The format's deepest value (a pain score) is 7 levels down; computed export
# fields are no deeper.
MAX_DEPTH = 32
SHOWN_CHARS = 60

SAVE_AS_UTF8 = "Save it again as UTF-8 (in most editors: Save As, then choose the encoding “UTF-8”)."


class CaseloadFileError(ValueError):
    """The file cannot be read as a JSON document at all."""


@dataclass(frozen=True)
class UnreadableNumber:
    """Stands in the document for a number that is not read (see module doc)."""

    description: str

    def __repr__(self):
        return self.description


# The first line of the CSV export (interchange.csv_export): a file for spreadsheets, not for import.
CSV_EXPORT_HEADER = "clinic,ref,date,entry_kind,location,context,score"


def not_json(head: str, where: str) -> str:
    """Why a file that does not parse is refused: the CSV export named as
    such, anything else with the parser's words and place."""
    if head.lstrip("\ufeff").startswith(CSV_EXPORT_HEADER):
        return ("This is Kinetic's CSV export, which is for spreadsheets and holds only the pain scores: "
                "import the JSON export (rehab-caseload/1) instead.")
    return f"This is not valid JSON: {where}."


def caseload_file_parse(*, data: bytes):
    """The JSON value in `data`, or CaseloadFileError saying why there is none."""
    text = _decode(data)
    if not text.strip():
        raise CaseloadFileError("The file is empty.")
    try:
        return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as error:
        raise CaseloadFileError(not_json(text, f"{error.msg} at line {error.lineno}, column {error.colno}")) from None
    except RecursionError:
        raise CaseloadFileError(
            "The file is nested too deeply to read: it has lists or objects inside each other "
            f"far beyond the {MAX_DEPTH} levels a caseload file can have."
        ) from None


def _decode(data: bytes) -> str:
    # RFC 8259 lets a reader ignore a UTF-8 byte order mark, and editors on
    # Windows add one: it is not the user's mistake.
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    encoding = json.detect_encoding(data) if data else "utf-8"
    if encoding.startswith(("utf-16", "utf-32")):
        name = "UTF-16" if encoding.startswith("utf-16") else "UTF-32"
        raise CaseloadFileError(f"The file is saved as {name} text; caseload files are UTF-8. {SAVE_AS_UTF8}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise CaseloadFileError(
            f"The file is not UTF-8 text: the byte 0x{data[error.start]:02X} at line {line}, column {column} "
            f"is not valid UTF-8 (the file may be saved as Latin-1 or Windows-1252). {SAVE_AS_UTF8}"
        ) from None


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text.partition("e")[0].partition("E")[0])


def _int(text: str):
    if len(text) > MAX_NUMBER_DIGITS and _digits(text) > MAX_NUMBER_DIGITS:
        return UnreadableNumber(f"a number with {_digits(text):,} digits")
    return int(text)


def _float(text: str):
    if len(text) > MAX_NUMBER_DIGITS and _digits(text) > MAX_NUMBER_DIGITS:
        return UnreadableNumber(f"a number with {_digits(text):,} digits")
    value = float(text)
    if value in (float("inf"), float("-inf")):
        return UnreadableNumber(f"the number {text[:SHOWN_CHARS]}, too large to read")
    return value


def _constant(name: str):
    return UnreadableNumber(f"{name} (not a number JSON allows)")


# What the validator uses to report these problems.


def printable(text: str) -> str:
    """`text` with NUL and lone surrogates escaped, safe to store and print."""
    text = text.replace("\x00", "\\u0000")
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def text_problem(text: str) -> str | None:
    """Why `text` cannot be stored in the clinical record, or None."""
    if "\x00" in text:
        return "contains a NUL character (\\u0000), which cannot be stored"
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(text[error.start])
        return f"contains a lone surrogate (\\u{code:04x}), which is not valid Unicode text"
    return None


def path_key(path: str, key) -> str:
    shown = printable(str(key))
    if len(shown) > SHOWN_CHARS:
        shown = shown[:SHOWN_CHARS] + "…"
    return f"{path}.{shown}" if path else shown


def path_index(path: str, index: int) -> str:
    return f"{path}[{index}]"


def value_problems(value, path: str = "", *, depth: int = 0) -> list[tuple[str, str]]:
    """Every (path, reason) inside `value` that cannot be read or stored, in
    document order (a dict's field names before its values).

    Recursive only down to MAX_DEPTH, so no document is too deep for it. It
    reads every value of a file, so the common values (plain text, small
    numbers) are checked inline, and a path is kept as a link to its
    parent's and written out only for a problem.
    """
    found: list[tuple[object, str]] = []
    _walk(value, None, depth, found)
    return [(_path_text(path, link), message) for link, message in found]


def _walk(value, link, depth, found) -> None:
    kind = type(value)
    if kind is dict or kind is list or isinstance(value, dict | list):
        if depth >= MAX_DEPTH:
            found.append((link, f"is nested more than {MAX_DEPTH} levels deep"))
            return
        if isinstance(value, dict):
            for key in value:
                if isinstance(key, str) and ("\x00" in key or not key.isascii()):
                    problem = text_problem(key)
                    if problem:
                        found.append(((link, key, False), f"the field name {problem}"))
            children, is_index = value.items(), False
        else:
            children, is_index = enumerate(value), True
        # A child's link is made only when it is needed (a problem, or a
        # value to look into): most children are plain text and numbers.
        for key, child in children:
            kind = type(child)
            if kind is str:
                if "\x00" in child or not child.isascii():
                    problem = text_problem(child)
                    if problem:
                        found.append(((link, key, is_index), problem))
            elif kind is int:
                if not -(10**9) < child < 10**9:
                    _walk(child, (link, key, is_index), depth + 1, found)
            elif kind is not float and kind is not bool and child is not None:
                _walk(child, (link, key, is_index), depth + 1, found)
        return
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            found.append((link, problem))
    elif isinstance(value, UnreadableNumber):
        found.append((link, f"{value!r} cannot be read"))
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_NUMBER_DIGITS:
        found.append((link, f"a number with more than {MAX_NUMBER_DIGITS} digits cannot be read"))


def _path_text(path: str, link) -> str:
    parts = []
    while link is not None:
        link, part, is_index = link
        parts.append((part, is_index))
    for part, is_index in reversed(parts):
        path = path_index(path, part) if is_index else path_key(path, part)
    return path

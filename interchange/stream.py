"""Reading a caseload file one patient at a time.

A file of any size is read in chunks: the top-level object's fields come out
one by one, and the `patients` list element by element, so what is in memory
is one chunk and one patient, however many patients the file holds.

Each value is decoded by the standard library's JSON decoder (its C scanner,
`raw_decode` at a position of the buffer) with the hooks of
`interchange.decoding`, so a value reads exactly as `caseload_file_parse`
reads it: NaN, a 5,000-digit number and a lone surrogate escape stay in the
patient for the validator to report by its ref and JSON path, and a file-level
problem (not UTF-8, not JSON) gives the same sentence, with the line and
column in the whole file. (ijson's C backend was tried: it rejects NaN as a
file-level error, turns a lone surrogate escape into "?" without a word, and
crashes the process on a 5,000-digit number.)

A source is opened again for each pass over it (`CaseloadSource.open`): a
file on disk, bytes in memory, or an import job's stored upload read from the
database in slices (`interchange.jobs`).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from interchange.decoding import (
    MAX_DEPTH,
    SAVE_AS_UTF8,
    CaseloadFileError,
    _constant,
    _float,
    _int,
    caseload_file_parse,
    not_json,
)

CHUNK_BYTES = 1 << 20
# A document that is not an object is never a caseload; up to this size it is
# read whole, so its problems are reported exactly as by caseload_file_parse.
WHOLE_NON_OBJECT_BYTES = 4 << 20
WHITESPACE = " \t\n\r"
FIRST_CHAR_KIND = {"[": "a list", '"': "text", "t": "true/false", "f": "true/false", "n": "null"}

_decoder = json.JSONDecoder(parse_int=_int, parse_float=_float, parse_constant=_constant)


@dataclass
class CaseloadSource:
    """Something that can be read, from the start, as often as needed."""

    open: Callable[[], BinaryIO]
    size: int | None = None

    @classmethod
    def of_bytes(cls, data: bytes) -> CaseloadSource:
        import io

        return cls(open=lambda: io.BytesIO(data), size=len(data))

    @classmethod
    def of_path(cls, path) -> CaseloadSource:
        import os

        return cls(open=lambda: open(path, "rb"), size=os.path.getsize(path))  # noqa: SIM115 (closed by the reader)

    @classmethod
    def of_file(cls, handle: BinaryIO) -> CaseloadSource:
        """An open, seekable file (a spooled standard input), read from its start each time."""
        import os

        def reopen():
            stream = os.fdopen(os.dup(handle.fileno()), "rb")
            stream.seek(0)
            return stream
        handle.flush()
        return cls(open=reopen, size=os.fstat(handle.fileno()).st_size)


@dataclass
class Document:
    """What one pass has read of the top-level object, besides the patients."""

    fields: dict = field(default_factory=dict)  # every top-level field; a patients list stands as []
    patients_lists: int = 0  # how many `patients` lists the object holds (one, in a good file)
    whole: object = None  # the value, when the document is not an object
    is_object: bool = True


class _Text:
    """The file's text in a sliding buffer, with the file position of its start."""

    def __init__(self, stream: BinaryIO, chunk_bytes: int):
        self.stream = stream
        self.chunk_bytes = chunk_bytes
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.line = 1  # line of buf[0] in the file
        self.column0 = 0  # column of buf[0] in its line (0-based, characters)
        self._pending = b""  # the start of a UTF-8 sequence cut by the chunk
        self._bytes_before = 0  # bytes of the file decoded before the pending ones
        self._lines_before = 0  # newlines in those bytes
        self._line_start = 0  # byte offset where the current line starts
        self._started = False

    def _read_bytes(self, size) -> str:
        data = self.stream.read(size)
        if not self._started:
            self._started = True
            data = self._start(data)
        if not data:
            self.eof = True
            if self._pending:
                self._undecodable(self._pending, 0)
            return ""
        data = self._pending + data
        try:
            text = data.decode("utf-8")
            self._pending = b""
            used = len(data)
        except UnicodeDecodeError as error:
            if error.reason == "unexpected end of data" and error.end == len(data):
                text = data[:error.start].decode("utf-8")
                self._pending = data[error.start:]
                used = error.start
            else:
                self._undecodable(data, error.start)
        self._account(data[:used])
        return text

    def _start(self, data: bytes) -> bytes:
        # As caseload_file_parse: a UTF-8 byte order mark is not the user's
        # mistake; UTF-16 and UTF-32 are.
        while len(data) < 4:
            more = self.stream.read(4 - len(data))
            if not more:
                break
            data += more
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8):]
            self._bytes_before = self._line_start = len(codecs.BOM_UTF8)
        encoding = json.detect_encoding(data) if data else "utf-8"
        if encoding.startswith(("utf-16", "utf-32")):
            name = "UTF-16" if encoding.startswith("utf-16") else "UTF-32"
            raise CaseloadFileError(f"The file is saved as {name} text; caseload files are UTF-8. {SAVE_AS_UTF8}")
        return data

    def _account(self, data: bytes):
        newlines = data.count(b"\n")
        if newlines:
            self._line_start = self._bytes_before + data.rfind(b"\n") + 1
        self._lines_before += newlines
        self._bytes_before += len(data)

    def _undecodable(self, data: bytes, start: int):
        line = self._lines_before + data.count(b"\n", 0, start) + 1
        last = data.rfind(b"\n", 0, start)
        line_start = self._bytes_before + last + 1 if last >= 0 else self._line_start
        column = self._bytes_before + start - line_start + 1
        raise CaseloadFileError(
            f"The file is not UTF-8 text: the byte 0x{data[start]:02X} at line {line}, column {column} "
            f"is not valid UTF-8 (the file may be saved as Latin-1 or Windows-1252). {SAVE_AS_UTF8}"
        )

    def more(self) -> bool:
        """Read more of the file into the buffer (at least as much as it holds,
        so a long value is re-scanned a logarithmic number of times)."""
        if self.eof:
            return False
        want = max(self.chunk_bytes, len(self.buf) - self.pos)
        text = ""
        while not text and not self.eof:
            text = self._read_bytes(want)
        if not text:
            return False  # the buffer is left as it was: an error's position in it still holds
        self._drop_consumed()
        self.buf += text
        return True

    def _drop_consumed(self):
        if self.pos:
            dropped = self.buf[:self.pos]
            newlines = dropped.count("\n")
            if newlines:
                self.line += newlines
                self.column0 = len(dropped) - dropped.rfind("\n") - 1
            else:
                self.column0 += len(dropped)
            self.buf = self.buf[self.pos:]
            self.pos = 0

    def skip_space(self) -> str:
        """The next character that is not whitespace ("" at the end of the file)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in WHITESPACE:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def expect(self, chars: str, what: str) -> str:
        char = self.skip_space()
        if not char or char not in chars:
            self.fail(what)
        self.pos += 1
        return char

    def value(self):
        """Decode the JSON value at the current position."""
        self.skip_space()
        while True:
            try:
                value, end = _decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as error:
                # Cut by the end of the buffer, or wrong? Only the end of the
                # file can tell a cut value from a wrong one.
                cut = error.pos >= len(self.buf) - 12 or error.msg.startswith("Unterminated string")
                if cut and self.more():
                    continue
                self.fail(error.msg, at=error.pos)
            except RecursionError:
                raise CaseloadFileError(
                    "The file is nested too deeply to read: it has lists or objects inside each other "
                    f"far beyond the {MAX_DEPTH} levels a caseload file can have."
                ) from None
            # A number at the end of the buffer may go on in the next chunk.
            if end == len(self.buf) and self.more():
                continue
            self.pos = end
            return value

    def fail(self, message, *, at=None):
        at = self.pos if at is None else at
        before = self.buf[:at]
        newlines = before.count("\n")
        line = self.line + newlines
        column = at - before.rfind("\n") if newlines else self.column0 + at + 1
        raise CaseloadFileError(not_json(self.buf if line == 1 else "", f"{message} at line {line}, column {column}"))


def caseload_events(source: CaseloadSource, document: Document, *, chunk_bytes=CHUNK_BYTES,
                    patients_only=False) -> Iterator[tuple[int, object]]:
    """The patients of the file, as (index, value), in file order; the rest of
    the top-level object is recorded in `document` as the pass reads it.

    Raises CaseloadFileError when the file cannot be read as JSON (at the
    point where that shows). With `patients_only`, the fields after the list
    are not read (the caller has them from an earlier pass)."""
    with source.open() as stream:
        text = _Text(stream, chunk_bytes)
        first = text.skip_space()
        if first == "":
            raise CaseloadFileError("The file is empty.")
        if first != "{":
            document.is_object = False
            document.whole = _whole(source, first)
            return
        text.pos += 1
        index = 0
        if text.skip_space() == "}":
            text.pos += 1
        else:
            while True:
                if text.skip_space() != '"':
                    text.fail("Expecting property name enclosed in double quotes")
                key = text.value()
                text.expect(":", "Expecting ':' delimiter")
                if key == "patients" and text.skip_space() == "[":
                    document.patients_lists += 1
                    document.fields[key] = []
                    yield from _patients(text, start=index)
                    index = -1  # a second list is an error; its patients are not numbered on
                    if patients_only:
                        return
                else:
                    document.fields[key] = text.value()
                if text.expect(",}", "Expecting ',' delimiter") == "}":
                    break
        if text.skip_space() != "":
            text.fail("Extra data")


def _patients(text: _Text, *, start: int):
    text.pos += 1  # [
    index = start
    if text.skip_space() == "]":
        text.pos += 1
        return
    while True:
        value = text.value()
        if index >= 0:
            yield index, value
            index += 1
        if text.expect(",]", "Expecting ',' delimiter") == "]":
            return


def _whole(source: CaseloadSource, first: str):
    """A document that is not an object: read whole if small, as caseload_file_parse would."""
    if source.size is None or source.size <= WHOLE_NON_OBJECT_BYTES:
        with source.open() as stream:
            return caseload_file_parse(data=stream.read())
    return NotAnObject(FIRST_CHAR_KIND.get(first, "a number"))


@dataclass(frozen=True)
class NotAnObject:
    """Stands for a large document that is not an object (not read)."""

    kind: str

"""Reading source files safely: decoding, checksums, front matter and sidecar hints.

Every refusal is an `InputError` naming the file, the line when there is one, and the reason.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import json
import os
import re
import stat
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, ClassVar, cast

from unkg.errors import InputError
from unkg.extract.source_text import HINT_KEYS, front_matter


@dataclass
class Source:
    """A decoded source file."""

    path: Path
    name: str
    text: str
    checksum: str  # sha256 of the bytes as stored
    hints: dict[str, Any]


# --- limits: every input is bounded -------------------------------------------------------------

MIB = 1024 * 1024


@dataclass(frozen=True)
class InputLimits:
    """How much one source file may make the loaders read, hold and spend.

    Each can be set by an environment variable (read when a file is opened, so the load's
    worker processes see the same values): `UNKG_MAX_INPUT_BYTES` (bytes read from one file,
    after decompression; JSON Lines and MARCXML are streamed), `UNKG_MAX_TEXT_BYTES` (a text file,
    which is held whole), `UNKG_MAX_LINE_BYTES` (one JSON Lines record), `UNKG_MAX_GZIP_RATIO`
    (decompressed / compressed size beyond 16 MiB: a gzip bomb), `UNKG_FILE_TIME_LIMIT` (seconds
    a load worker may spend on one file or part of a file)."""

    max_input_bytes: int = 4096 * MIB
    max_text_bytes: int = 64 * MIB
    max_line_bytes: int = 32 * MIB
    max_gzip_ratio: int = 100
    file_time_limit: float = 600.0

    ENV: ClassVar[dict[str, str]] = {
        "max_input_bytes": "UNKG_MAX_INPUT_BYTES", "max_text_bytes": "UNKG_MAX_TEXT_BYTES",
           "max_line_bytes": "UNKG_MAX_LINE_BYTES", "max_gzip_ratio": "UNKG_MAX_GZIP_RATIO",
           "file_time_limit": "UNKG_FILE_TIME_LIMIT"}

    @classmethod
    def current(cls) -> InputLimits:
        """The defaults, overridden by the environment variables that are set."""
        values: dict[str, Any] = {}
        for name, variable in cls.ENV.items():
            raw = os.environ.get(variable)
            if raw:
                try:
                    values[name] = float(raw) if name == "file_time_limit" else int(raw)
                except ValueError:
                    raise InputError(f"{variable}={raw!r} is not a number") from None
        return cls(**values)


class BoundedReader:
    """A binary file, decompressed when gzipped, that refuses to yield more than `limit` bytes
    or (gzip) more than `max_gzip_ratio` times its compressed size: a small bomb is refused
    after a bounded read, with memory bounded by what the caller holds."""

    _RATIO_FLOOR = 16 * MIB

    def __init__(self, path: Path, limit: int, limits: InputLimits) -> None:
        self.path = path
        self.limit = limit
        self.limits = limits
        self.read_bytes = 0
        self.gzipped = path.name.endswith(".gz")
        try:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):  # a pipe would block, a device never end
                raise InputError("not a regular file", path=str(path))
            self.compressed = info.st_size
            self._raw: IO[bytes] = path.open("rb")
        except FileNotFoundError:
            raise InputError("no such file", path=str(path)) from None
        except IsADirectoryError:
            raise InputError("is a directory, not a file", path=str(path)) from None
        except OSError as err:
            raise InputError(f"cannot read: {err.strerror or err}", path=str(path)) from None
        # a GzipFile is a binary file; typeshed does not call it IO[bytes]
        self._fh: IO[bytes] = cast(IO[bytes], gzip.GzipFile(fileobj=self._raw)) \
            if self.gzipped else self._raw

    def read(self, size: int = -1) -> bytes:
        want = MIB if size is None or size < 0 else size
        try:
            data = self._fh.read(min(want, self.limit + 1 - self.read_bytes) or 1)
        except (EOFError, zlib.error, gzip.BadGzipFile) as err:
            raise InputError(f"cannot read the file: truncated or corrupt gzip data ({err})",
                             path=str(self.path)) from None
        except OSError as err:
            raise InputError(f"cannot read: {err.strerror or err}", path=str(self.path)) from None
        self.read_bytes += len(data)
        if self.read_bytes > self.limit:
            what = "decompressed size" if self.gzipped else "size"
            raise InputError(f"{what} above the limit of {self.limit} bytes (set "
                             f"{self._variable()} to allow more)", path=str(self.path))
        if (self.gzipped and self.read_bytes > self._RATIO_FLOOR
                and self.read_bytes > self.limits.max_gzip_ratio * max(self.compressed, 1)):
            raise InputError(f"gzip data expands more than {self.limits.max_gzip_ratio} times "
                             "(a decompression bomb?); refused (set UNKG_MAX_GZIP_RATIO to "
                             "allow more)", path=str(self.path))
        return data

    def _variable(self) -> str:
        if self.limit == self.limits.max_text_bytes:
            return InputLimits.ENV["max_text_bytes"]
        return InputLimits.ENV["max_input_bytes"]

    def close(self) -> None:
        self._fh.close()
        self._raw.close()

    def __enter__(self) -> BoundedReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_bounded(path: Path, limits: InputLimits | None = None) -> BoundedReader:
    """A streamed source file (JSON Lines, MARCXML), bounded by `max_input_bytes`."""
    limits = limits or InputLimits.current()
    return BoundedReader(Path(path), limits.max_input_bytes, limits)


# A line holding something besides white space (blank lines are skipped at C speed: a file of
# nothing but newlines costs no Python loop per line).
_CONTENT_LINE = re.compile(rb"^[^\n]*?[^\s][^\n]*", re.MULTILINE)


def iter_lines(path: Path, *, limits: InputLimits | None = None,
               digest: Any = None) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) of the non-blank lines of a (gzipped) text file, streamed; a line
    longer than `max_line_bytes` is (number, None), not held. `digest` (a hashlib object) is fed
    every byte read."""
    limits = limits or InputLimits.current()
    cap = limits.max_line_bytes
    with open_bounded(path, limits) as fh:
        lineno = 1  # number of the line being carried
        carry: list[bytes] = []
        carried = 0
        too_long = False
        while True:
            chunk = fh.read(MIB)
            if digest is not None:
                digest.update(chunk)
            if not chunk:
                break
            first = chunk.find(b"\n")
            if first < 0:
                carried += len(chunk)
                too_long = too_long or carried > cap
                if not too_long:
                    carry.append(chunk)
                continue
            carried += first
            if too_long or carried > cap:
                yield lineno, None
            else:
                line = b"".join(carry) + chunk[:first]
                if line.strip():
                    yield lineno, line
            lineno += 1
            last = chunk.rfind(b"\n")
            if last > first:
                region = chunk[first + 1:last]
                seen, pos = 0, 0  # newlines of the region before `pos`
                for m in _CONTENT_LINE.finditer(region):
                    seen += region.count(b"\n", pos, m.start())
                    pos = m.start()
                    yield lineno + seen, (m.group() if m.end() - m.start() <= cap else None)
                lineno += region.count(b"\n") + 1
            rest = chunk[last + 1:]
            carry, carried, too_long = [rest], len(rest), len(rest) > cap
            if too_long:
                carry = []
        if carried and (too_long or b"".join(carry).strip()):
            yield lineno, None if too_long else b"".join(carry)


def count_lines_of(path: Path, limits: InputLimits | None = None) -> int:
    """Number of lines of a (gzipped) text file, streamed and bounded."""
    total = 0
    last = b"\n"
    with open_bounded(path, limits) as fh:
        while chunk := fh.read(MIB):
            total += chunk.count(b"\n")
            last = chunk[-1:]
    return total + (last != b"\n")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """sha256 of a file's bytes as stored, read in chunks (files may be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_bytes(path: Path, limits: InputLimits | None = None, *, text: bool = True) -> bytes:
    """A file's bytes (decompressed when gzipped), at most `max_text_bytes` of them for a text
    (held whole and parsed), `max_input_bytes` for other files (`text=False`: a PDF)."""
    limits = limits or InputLimits.current()
    chunks: list[bytes] = []
    limit = limits.max_text_bytes if text else limits.max_input_bytes
    with BoundedReader(path, limit, limits) as fh:
        while chunk := fh.read(MIB):
            chunks.append(chunk)
    return b"".join(chunks)


def _utf16_without_bom(sample: bytes) -> bool:
    """NUL bytes on every other position, as ASCII text in UTF-16 has them."""
    even, odd = sample[0::2], sample[1::2]
    return len(sample) >= 4 and ((odd.count(0) > 0.6 * len(odd) and not even.count(0))
                                 or (even.count(0) > 0.6 * len(even) and not odd.count(0)))


def decode(data: bytes, path: str) -> str:
    """UTF-8 text (a BOM is dropped), or UTF-16 with its byte-order mark; refuse empty, binary
    and other data, with the line when there is one."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise InputError("UTF-32 text: convert it to UTF-8", path=path)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as err:
            raise InputError(f"not valid UTF-16 (at byte offset {err.start})", path=path) from None
    if not data.strip():
        raise InputError("empty file", path=path)
    if _utf16_without_bom(data[:8192]):
        raise InputError("UTF-16 text without a byte-order mark: convert it to UTF-8",
                         path=path)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"binary file (a NUL byte at offset {nul}), not a text", path=path,
                         line=data.count(b"\n", 0, nul) + 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})",
            path=path,
            line=line,
        ) from None
    controls = sum(
        1 for ch in text[:8192] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f"
    )
    if controls > 8:
        raise InputError("binary file (control characters), not a text", path=path)
    return text


def sidecar_hints(path: Path) -> dict[str, Any]:
    """Hints from `NAME.meta.json` beside the file (symbol, language, type, date, title)."""
    name = path.name
    for suffix in (".gz",):
        name = name.removesuffix(suffix)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    for candidate in (path.with_name(f"{stem}.meta.json"), path.with_name(f"{name}.meta.json")):
        if candidate.is_file():
            try:
                data = json.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
                raise InputError(f"unreadable sidecar: {err}", path=str(candidate)) from None
            if not isinstance(data, dict):
                raise InputError("sidecar must hold a JSON object", path=str(candidate))
            return {k: v for k, v in data.items() if k in HINT_KEYS}
    return {}


def read_source(path: Path) -> Source:
    """Read, decode and fingerprint a text file; collect front-matter and sidecar hints."""
    data = read_bytes(path)
    text = decode(data, str(path))
    hints = sidecar_hints(path)
    fm, _ = front_matter(text)
    hints = {**fm, **hints}
    return Source(path=path, name=path.name, text=text, checksum=sha256_bytes(data), hints=hints)

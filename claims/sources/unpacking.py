"""Read the entries of a zip from outside within bounds, a chunk at a time.

import_investigation and verify_report open zips that anyone may have made. A zip says how
large its entries are, and may lie; one that deflates well enough turns a few megabytes into
gigabytes (a 7.9 MB file inflated to 900 MB and took 1.9 GB of memory when entries were read
whole). Here every entry is read in chunks of a mebibyte, and a file is refused, with one line
saying why, as soon as it:

- lists more entries than ZIP_MAX_ENTRIES (checked in the end record, before the central
  directory is read into memory, since a directory of millions of entries is itself a bomb);
- declares an entry over ZIP_MAX_ENTRY_BYTES, or entries over ZIP_MAX_TOTAL_BYTES in all;
- declares an entry of a mebibyte or more that is over 200 times its compressed size (text
  deflates five to ten times; only filler deflates like that);
- inflates an entry past what it declared, or past either limit, whatever it declared.

Callers keep in memory only what they must parse (a manifest, the investigation data, a
report) and hash or copy everything else on the way through.
"""

import hashlib
import struct
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings

CHUNK_BYTES = 1024**2
MAX_COMPRESSION_RATIO = 200
# Below this size a high ratio is harmless (a short, repetitive JSON compresses well).
RATIO_CHECK_FROM_BYTES = 1024**2

# The end of central directory record and the ZIP64 locator and record (APPNOTE 4.3.14-16).
_END = b"PK\x05\x06"
_END_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_LOCATOR_SIZE = 20
_ZIP64_END = b"PK\x06\x06"
_LONGEST_COMMENT = 0xFFFF


class ZipRefused(ValueError):
    """The zip is damaged or over a limit; str() says which in one line."""


class ZipTooLarge(ZipRefused):
    """The zip breaks one of the limits (as opposed to being damaged)."""


@dataclass(frozen=True)
class Limits:
    entries: int
    entry_bytes: int
    total_bytes: int

    @classmethod
    def from_settings(cls):
        return cls(
            entries=settings.ZIP_MAX_ENTRIES,
            entry_bytes=settings.ZIP_MAX_ENTRY_BYTES,
            total_bytes=settings.ZIP_MAX_TOTAL_BYTES,
        )


class BoundedZip:
    """A zip opened for bounded reading; use as a context manager.

    `source` is a path or a seekable binary file. Raises ZipRefused when the zip cannot be read
    or breaks a limit before anything is inflated; the reading methods raise it as soon as an
    entry breaks one. Every byte inflated through this object counts towards the total.
    """

    def __init__(self, source, limits=None):
        self.limits = limits or Limits.from_settings()
        self.inflated = 0
        try:
            _refuse_many_entries(source, self.limits.entries)
        except OSError as error:
            raise ZipRefused(f"Not a readable zip file: {error}.") from error
        try:
            self.archive = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise ZipRefused(f"Not a readable zip file: {error}.") from error
        try:
            self.infos = self.archive.infolist()
            self._check_declared()
        except ZipRefused:
            self.archive.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.archive.close()

    def _check_declared(self):
        limits = self.limits
        # The end record's count can disagree with the directory that was read.
        if len(self.infos) > limits.entries:
            raise ZipTooLarge(_too_many(len(self.infos), limits.entries))
        for info in self.infos:
            if info.file_size > limits.entry_bytes:
                raise ZipTooLarge(
                    f"{info.filename} would unpack to {info.file_size:,} bytes; one entry may "
                    f"unpack to at most {limits.entry_bytes:,} bytes."
                )
            compressed = max(info.compress_size, 1)
            if (
                info.file_size >= RATIO_CHECK_FROM_BYTES
                and info.file_size > MAX_COMPRESSION_RATIO * compressed
            ):
                raise ZipTooLarge(
                    f"{info.filename} is compressed too well to be genuine (zip bomb?)."
                )
        declared = sum(info.file_size for info in self.infos)
        if declared > limits.total_bytes:
            raise ZipTooLarge(
                f"The file would unpack to {declared:,} bytes; the limit is "
                f"{limits.total_bytes:,} bytes."
            )

    def chunks(self, info):
        """Yield the entry's bytes a chunk at a time, counting each against the limits."""
        size = 0
        try:
            with self.archive.open(info) as entry:
                while chunk := entry.read(CHUNK_BYTES):
                    size += len(chunk)
                    self.inflated += len(chunk)
                    # zipfile stops at the declared size and then checks the CRC; this does
                    # not rely on it, and also catches a reader that would not stop.
                    if size > info.file_size or size > self.limits.entry_bytes:
                        raise ZipTooLarge(f"{info.filename} unpacks to more than it declares.")
                    if self.inflated > self.limits.total_bytes:
                        raise ZipTooLarge(
                            f"The file unpacks to more than {self.limits.total_bytes:,} bytes."
                        )
                    yield chunk
        # A damaged or hostile entry can fail in zipfile or zlib in several ways; an encrypted
        # one or an unknown compression method raises RuntimeError or NotImplementedError.
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            ValueError,
            RuntimeError,
            NotImplementedError,
        ) as error:
            if isinstance(error, ZipRefused):
                raise
            message = " ".join(str(error).split())
            raise ZipRefused(f"The file is damaged ({info.filename}: {message}).") from error

    def getinfo(self, name):
        """The ZipInfo of entry `name`; KeyError if there is none."""
        return self.archive.getinfo(name)

    def start_again(self):
        """Count from zero again, for a second pass over entries a first pass has bounded."""
        self.inflated = 0

    def read(self, info):
        """The whole entry as bytes: only for entries that must be parsed in memory."""
        return b"".join(self.chunks(info))

    def sha256(self, info):
        """The entry's SHA-256 (hex), read a chunk at a time."""
        digest = hashlib.sha256()
        for chunk in self.chunks(info):
            digest.update(chunk)
        return digest.hexdigest()

    def copy(self, info, target):
        """Write the entry to the binary file `target` a chunk at a time; return its SHA-256."""
        digest = hashlib.sha256()
        for chunk in self.chunks(info):
            digest.update(chunk)
            target.write(chunk)
        return digest.hexdigest()


def _too_many(count, limit):
    return f"The file has {count:,} entries; the limit is {limit:,}."


def _refuse_many_entries(source, limit):
    """Refuse a zip whose end record counts more than `limit` entries, before zipfile reads
    the whole central directory into memory (a ZipInfo per entry). A file that is not a zip
    is left for zipfile to refuse."""
    if isinstance(source, str | bytes) or hasattr(source, "__fspath__"):
        with open(source, "rb") as file:
            count = _entries_declared(file)
    else:
        position = source.tell()
        try:
            count = _entries_declared(source)
        finally:
            source.seek(position)
    if count is not None and count > limit:
        raise ZipTooLarge(_too_many(count, limit))


def _entries_declared(file):
    """The entry count in the zip's end record (ZIP64 if the plain one is full), or None."""
    size = file.seek(0, 2)
    tail_size = min(size, _END_SIZE + _LONGEST_COMMENT + _ZIP64_LOCATOR_SIZE)
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    # The last signature, as zipfile looks for it; a comment may hold the bytes too.
    end = tail.rfind(_END)
    if end < 0 or len(tail) - end < _END_SIZE:
        return None
    count = struct.unpack_from("<H", tail, end + 10)[0]
    locator = end - _ZIP64_LOCATOR_SIZE
    if count != 0xFFFF or locator < 0 or tail[locator : locator + 4] != _ZIP64_LOCATOR:
        return count
    record_offset = struct.unpack_from("<Q", tail, locator + 8)[0]
    file.seek(record_offset)
    record = file.read(56)
    if len(record) < 56 or record[:4] != _ZIP64_END:
        return count
    return struct.unpack_from("<Q", record, 32)[0]

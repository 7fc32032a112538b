"""Untrusted zips are read in chunks within bounds: entries, bytes per entry, bytes in all.

The bombs are small and made here: highly compressible entries, entries whose headers lie
about their size, and honest entries over limits lowered for the test.
"""

import hashlib
import io
import random
import struct
import tracemalloc
import zipfile

import pytest

from claims.sources.unpacking import BoundedZip, Limits, ZipRefused

ROOMY = Limits(entries=100, entry_bytes=64 * 1024**2, total_bytes=256 * 1024**2)


def make_zip(entries, compression=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
    return out.getvalue()


def declare_size(data, size):
    """`data` (a one-entry zip) with both headers claiming the entry inflates to `size`."""
    patched = bytearray(data)
    local = patched.find(b"PK\x03\x04")
    central = patched.find(b"PK\x01\x02")
    struct.pack_into("<I", patched, local + 22, size)
    struct.pack_into("<I", patched, central + 24, size)
    return bytes(patched)


def read_all(data, limits=ROOMY):
    with BoundedZip(io.BytesIO(data), limits) as archive:
        return {info.filename: archive.read(info) for info in archive.infos}


def test_entries_come_out_whole_within_the_limits():
    entries = {"a.txt": b"alpha" * 1000, "b/c.bin": bytes(range(256))}
    assert read_all(make_zip(entries)) == entries


def test_a_large_entry_is_hashed_a_chunk_at_a_time():
    body = random.Random(3).randbytes(24 * 1024**2)
    data = make_zip({"big.bin": body}, compression=zipfile.ZIP_STORED)
    with BoundedZip(io.BytesIO(data), ROOMY) as archive:
        tracemalloc.start()
        digest = archive.sha256(archive.infos[0])
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert digest == hashlib.sha256(body).hexdigest()
    assert peak < 4 * 1024**2  # a few chunks, never the 24 MB entry


def test_copy_streams_an_entry_into_a_file_and_returns_its_hash(tmp_path):
    body = b"snapshot body " * 10_000
    archive = BoundedZip(io.BytesIO(make_zip({"s": body})), ROOMY)
    with archive, (tmp_path / "out").open("wb") as target:
        digest = archive.copy(archive.infos[0], target)
    assert (tmp_path / "out").read_bytes() == body
    assert digest == hashlib.sha256(body).hexdigest()


def test_too_many_entries_are_refused_before_the_directory_is_read():
    data = make_zip({f"e{i}": b"" for i in range(20)})
    with pytest.raises(ZipRefused, match="20 entries; the limit is 10"):
        BoundedZip(io.BytesIO(data), Limits(entries=10, entry_bytes=1000, total_bytes=1000))


def test_an_entry_over_the_entry_limit_is_refused_before_it_inflates():
    data = make_zip({"big": b"x" * 5000})
    with pytest.raises(ZipRefused, match="big would unpack to 5,000 bytes; one entry may"):
        BoundedZip(io.BytesIO(data), Limits(entries=10, entry_bytes=4000, total_bytes=10**6))


def test_entries_over_the_total_limit_are_refused_before_they_inflate():
    data = make_zip({"a": b"x" * 3000, "b": b"y" * 3000})
    with pytest.raises(ZipRefused, match="would unpack to 6,000 bytes; the limit is 5,000"):
        BoundedZip(io.BytesIO(data), Limits(entries=10, entry_bytes=4000, total_bytes=5000))


def test_an_entry_compressed_too_well_is_refused_before_it_inflates():
    data = make_zip({"bomb": b"\0" * 20 * 1024**2})  # 20 MB of zeros deflate to 20 kB
    assert len(data) < 100_000
    with pytest.raises(ZipRefused, match="bomb is compressed too well"):
        BoundedZip(io.BytesIO(data), ROOMY)


@pytest.mark.parametrize("declared", [1000, 0])
def test_an_entry_that_inflates_past_its_declared_size_is_refused(declared):
    # Both headers say the entry is small; it inflates to 5 MB.
    data = declare_size(make_zip({"liar": b"\0" * 5 * 1024**2}), declared)
    with pytest.raises(ZipRefused, match="liar"):
        read_all(data)


def test_a_damaged_entry_is_refused_in_one_line():
    data = bytearray(make_zip({"text": b"some words " * 500}))
    data[60] ^= 0xFF  # inside the compressed stream
    with pytest.raises(ZipRefused) as error:
        read_all(bytes(data))
    assert "text" in str(error.value)
    assert "\n" not in str(error.value)


def test_something_that_is_not_a_zip_is_refused():
    with pytest.raises(ZipRefused, match="Not a readable zip file"):
        BoundedZip(io.BytesIO(b"plain words, no zip"), ROOMY)


def test_limits_come_from_settings(settings):
    settings.ZIP_MAX_ENTRIES = 1
    with pytest.raises(ZipRefused, match="2 entries; the limit is 1"):
        BoundedZip(io.BytesIO(make_zip({"a": b"", "b": b""})))

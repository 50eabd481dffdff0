"""Unpack a `.zip` of disclosures for a batch upload, refusing what could hurt the server.

The limits are checked against the archive's own directory before anything is inflated,
and again while inflating (a forged directory can understate sizes): total uncompressed
size, number of members, and each member's compression ratio (a zip bomb inflates a few
kilobytes to gigabytes). Members whose path could escape a folder (`../`, absolute paths,
drive letters) are refused, not silently renamed, and so are archives inside archives:
a batch is one level deep.
"""

import io
import posixpath
import zipfile
import zlib

from ingest.document import UnreadableDocument

MAX_MEMBERS = 200
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed; office files and text stay far below
_RATIO_FLOOR = 1024 * 1024  # small members may compress better (a blank sheet) harmlessly
_CHUNK = 1024 * 1024
_NESTED = (b"PK\x03\x04", b"PK\x05\x06", b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh")


def read_archive(
    data: bytes,
    *,
    max_members: int = MAX_MEMBERS,
    max_total: int = MAX_TOTAL_BYTES,
    max_ratio: int = MAX_RATIO,
) -> list[tuple[str, bytes]]:
    """The (name, bytes) of every file in a zip archive, folders skipped, in archive
    order; raises UnreadableDocument naming the first rule the archive breaks."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise UnreadableDocument("the zip file is damaged and cannot be opened") from error
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > max_members:
            raise UnreadableDocument(
                f"the zip file holds {len(members)} files; at most {max_members} are accepted"
            )
        for member in members:
            _check_path(member.filename)
        if sum(m.file_size for m in members) > max_total:
            raise UnreadableDocument(_too_big(max_total))
        files, total = [], 0
        for member in members:
            if member.flag_bits & 0x1:
                raise UnreadableDocument(
                    f"{member.filename} is encrypted: upload the archive without a password"
                )
            content = _inflate(archive, member, max_total - total, max_ratio)
            total += len(content)
            if content.startswith(_NESTED):
                raise UnreadableDocument(
                    f"{member.filename} is an archive inside the archive: unpack it and upload its files"
                )
            files.append((member.filename, content))
        return files


def _check_path(name: str) -> None:
    path = name.replace("\\", "/")
    parts = path.split("/")
    if path.startswith("/") or (len(parts[0]) == 2 and parts[0][1] == ":") or ".." in parts:
        raise UnreadableDocument(f"the zip file names a path outside its folder ({name}): it is refused")
    if posixpath.normpath(path).startswith(".."):
        raise UnreadableDocument(f"the zip file names a path outside its folder ({name}): it is refused")


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int, max_ratio: int) -> bytes:
    """Inflate one member in chunks, stopping as soon as it outgrows the budget or its ratio."""
    limit = max(_RATIO_FLOOR, member.compress_size * max_ratio)
    if member.file_size > limit:
        raise UnreadableDocument(_bomb(member.filename))
    out = bytearray()
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                out += chunk
                if len(out) > budget:
                    raise UnreadableDocument(_too_big(None))
                if len(out) > limit:
                    raise UnreadableDocument(_bomb(member.filename))
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        # zipfile stops at the size the directory declares, so a forged size ends in a bad CRC.
        raise UnreadableDocument(
            f"{member.filename} is damaged in the zip file (or its sizes are forged)"
        ) from error
    return bytes(out)


def _too_big(limit: int | None) -> str:
    size = f" {limit // (1024 * 1024)} MB" if limit else ""
    return f"the zip file unpacks to more than the{size} limit: upload fewer files at a time"


def _bomb(name: str) -> str:
    return f"{name} inflates far beyond its compressed size (a zip bomb?): it is refused"

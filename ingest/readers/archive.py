"""Unpack a `.zip` of disclosures for a batch upload, refusing what could hurt the server.

The limits are checked against the archive's own directory before anything is inflated,
and again while inflating (a forged directory can understate sizes): total uncompressed
size, number of members, and each member's compression ratio (a zip bomb inflates a few
kilobytes to gigabytes). Members whose path could escape a folder (`../`, absolute paths,
drive letters) are refused, not silently renamed, and so are archives inside archives:
a batch is one level deep. Word and Excel files are zips too; they are told from archives by
their content (`ingest.readers.sniff`), and are a batch's documents like any other. Their own
zip is held to the same rules (`check_office_zip`) before python-docx or openpyxl unpacks it.
"""

import io
import posixpath
import zipfile
import zlib

from ingest.bounds import limit
from ingest.document import UnreadableDocument
from ingest.readers import sniff

MAX_MEMBERS = 200
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed; office files and text stay far below
_RATIO_FLOOR = 1024 * 1024  # small members may compress better (a blank sheet) harmlessly
_CHUNK = 1024 * 1024
# Other archive formats; a zip is told from a Word or Excel file (a zip too) by sniff.
_OTHER_ARCHIVES = (b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh")
_BATCH = "zip_file"  # the batch, as the refusals name it (ingest.refusals.WORDS)


def read_archive(
    data: bytes,
    *,
    max_members: int = MAX_MEMBERS,
    max_total: int = MAX_TOTAL_BYTES,
    max_ratio: int = MAX_RATIO,
) -> list[tuple[str, bytes]]:
    """The (name, bytes) of every file in a zip archive, folders skipped, in archive
    order; raises UnreadableDocument naming the first rule the archive breaks."""
    with _open(data, _BATCH) as archive:
        members = _checked_members(archive, max_members, max_total, _BATCH)
        for member in members:
            _check_path(member.filename)
        files = []
        for member, content in _inflated(archive, members, max_total, max_ratio, _BATCH):
            if _is_archive(content):
                raise UnreadableDocument("archive_inside_archive", name=member.filename)
            files.append((member.filename, content))
        return files


def check_office_zip(data: bytes, what: str) -> None:
    """Hold the zip a .docx or .xlsx is to the archive rules before a library unpacks it:
    parts (PARSE_MAX_OFFICE_PARTS), inflated size (PARSE_MAX_INFLATED_BYTES, from the
    directory and again while inflating), ratio, encryption. `what` names the file in the
    messages ("the Word file")."""
    max_total = limit("inflated_bytes")
    with _open(data, what) as archive:
        members = _checked_members(archive, limit("office_parts"), max_total, what)
        for _member, _content in _inflated(archive, members, max_total, MAX_RATIO, what, keep=False):
            pass


def _open(data: bytes, what: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise UnreadableDocument("archive_damaged", what={"code": what}) from error


def _checked_members(archive: zipfile.ZipFile, max_members: int, max_total: int, what: str) -> list:
    """The files of the archive, after the checks its directory allows before inflating."""
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > max_members:
        raise UnreadableDocument(
            "archive_too_many_files", what={"code": what}, count=f"{len(members):,}", most=f"{max_members:,}"
        )
    if sum(m.file_size for m in members) > max_total:
        raise _too_big(what, max_total)
    return members


def _inflated(archive: zipfile.ZipFile, members: list, max_total: int, max_ratio: int, what: str, keep=True):
    """(member, content) of each member, inflated within the budget left; content is b"" when
    not kept (a check needs only the sizes)."""
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise (
                UnreadableDocument("member_encrypted", name=member.filename)
                if what == _BATCH
                else UnreadableDocument("file_protected", what={"code": what})
            )
        content, size = _inflate(archive, member, max_total - total, max_ratio, what, keep)
        total += size
        yield member, content


def _is_archive(content: bytes) -> bool:
    """An archive inside the archive: any zip but a .docx or .xlsx, or another archive format."""
    return content.startswith(_OTHER_ARCHIVES) or sniff(content) == "zip"


def _check_path(name: str) -> None:
    path = name.replace("\\", "/")
    parts = path.split("/")
    if path.startswith("/") or (len(parts[0]) == 2 and parts[0][1] == ":") or ".." in parts:
        raise UnreadableDocument("path_outside", name=name)
    if posixpath.normpath(path).startswith(".."):
        raise UnreadableDocument("path_outside", name=name)


def _inflate(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int, max_ratio: int, what: str, keep: bool
) -> tuple[bytes, int]:
    """Inflate one member in chunks, stopping as soon as it outgrows the budget or its ratio:
    (its bytes, or b"" when not kept; its size)."""
    limit = max(_RATIO_FLOOR, member.compress_size * max_ratio)
    if member.file_size > limit:
        raise UnreadableDocument("zip_bomb", name=member.filename)
    out, size = bytearray(), 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if keep:
                    out += chunk
                if size > budget:
                    raise _too_big(what, None)
                if size > limit:
                    raise UnreadableDocument("zip_bomb", name=member.filename)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        # zipfile stops at the size the directory declares, so a forged size ends in a bad CRC.
        raise UnreadableDocument("member_damaged", name=member.filename, what={"code": what}) from error
    return bytes(out), size


def _too_big(what: str, limit: int | None) -> UnreadableDocument:
    """The refusal of an archive that unpacks beyond `limit` bytes (None: the budget left);
    a batch is told to send fewer files at a time."""
    batch = what == _BATCH
    if limit:
        mb = limit // (1024 * 1024)
        return (
            UnreadableDocument("batch_too_big", mb=mb)
            if batch
            else UnreadableDocument("archive_too_big", what={"code": what}, mb=mb)
        )
    return (
        UnreadableDocument("batch_beyond_limit")
        if batch
        else UnreadableDocument("archive_beyond_limit", what={"code": what})
    )

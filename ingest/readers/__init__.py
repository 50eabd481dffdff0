"""Format readers: each turns a file's bytes into the one intermediate `Document`.

The format is told by the bytes, never by the file name, so a renamed file is read (or
refused) for what it is.
"""

from ingest.document import Document, UnreadableDocument
from ingest.readers.text import read_text

# Magic numbers of the formats a county website offers that this reader does not read yet.
_NOT_YET_READ = {
    b"%PDF": "PDF",
    b"PK\x03\x04": "Word (.docx), Excel (.xlsx) or zip",
    b"\xd0\xcf\x11\xe0": "legacy Word (.doc) or Excel (.xls)",
}


def read_document(data: bytes, name: str) -> Document:
    """Read any supported disclosure file into a Document, or raise UnreadableDocument."""
    for magic, label in _NOT_YET_READ.items():
        if data.startswith(magic):
            raise UnreadableDocument(f"{label} files cannot be read yet; upload the text extracted from it")
    return read_text(data, name)

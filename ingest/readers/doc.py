"""Read legacy Word (.doc) disclosures by converting them to .docx with LibreOffice.

No Python library reads the .doc binary format well; LibreOffice does, and its headless
`soffice --convert-to docx` keeps tables as tables. scripts/ensure_system_packages.sh
installs it (libreoffice-writer-nogui). Where it is missing the file is refused with a
message that says what to install, or how the county's file can be saved instead.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ingest.document import Document, UnreadableDocument
from ingest.readers.docx import read_docx

CONVERT_TIMEOUT = 120  # seconds; a 40-page .doc converts in a few


def soffice() -> str | None:
    """The LibreOffice binary on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, suffix: str, target: str, timeout: int = CONVERT_TIMEOUT) -> bytes:
    """Convert a file with LibreOffice headless (`target`: docx, pdf, xls…) and return the
    bytes. Each call gets its own profile folder, so conversions can run side by side.
    Raises UnreadableDocument when LibreOffice is missing or fails.

    LibreOffice runs in a process group of its own (`soffice` starts `soffice.bin` under it):
    however the call ends (done, timed out, or the parse stopped from outside by SIGTERM), the
    whole group is killed and the folder with its profile and files removed."""
    binary = soffice()
    if binary is None:
        raise UnreadableDocument("doc_needs_libreoffice")
    with tempfile.TemporaryDirectory(prefix="soffice-") as tmp:
        source = Path(tmp) / f"input{suffix}"
        source.write_bytes(data)
        command = [
            binary,
            f"-env:UserInstallation=file://{tmp}/profile",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            tmp,
            str(source),
        ]
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "HOME": tmp},
            start_new_session=True,
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired as error:
            raise UnreadableDocument("libreoffice_timeout", seconds=timeout) from error
        finally:
            kill_group(process)
        output = Path(tmp) / f"input.{target.split(':')[0]}"
        if not output.exists():
            raise UnreadableDocument("libreoffice_failed", format=target.split(":")[0])
        return output.read_bytes()


def kill_group(process: subprocess.Popen) -> None:
    """Kill every process of the group `process` leads (it was started with
    start_new_session=True) and reap the leader."""
    with contextlib.suppress(ProcessLookupError):  # the group is gone: all of it has exited
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def read_doc(data: bytes, name: str) -> Document:
    """Read the bytes of a legacy .doc file into a Document, or raise UnreadableDocument."""
    return read_docx(convert(data, ".doc", "docx"), name)

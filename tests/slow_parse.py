"""A test app that slows every parse down by SLOW_PARSE_SECONDS (environment) and, when the
parse starts, writes the parsing process's id to PARSE_STARTED_FILE: the test then knows
the moment to kill the worker or the ingest in the middle of a parse. With PARSE_LOG, every
parse adds a line to that file: the file name and the process that started the parse (the
worker whose child parses), so a test counts the parses each worker made."""

import os
import time
from pathlib import Path

from django.apps import AppConfig


class SlowParseConfig(AppConfig):
    name = "tests.slow_parse"
    label = "slow_parse"

    def ready(self):
        from ingest import loader

        seconds = float(os.environ.get("SLOW_PARSE_SECONDS", "0"))
        marker = os.environ.get("PARSE_STARTED_FILE")
        log = os.environ.get("PARSE_LOG")
        parse = loader.parse_bytes

        def slow_parse(data, name):
            if marker:
                Path(marker).write_text(str(os.getpid()))
            if log:
                # One write of a short line to a file opened for appending: whole lines, even
                # when several processes parse at once.
                handle = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
                os.write(handle, f"{name}\t{os.getppid()}\n".encode())
                os.close(handle)
            time.sleep(seconds)
            return parse(data, name)

        # The command and the worker's parse child both call loader.parse_bytes.
        loader.parse_bytes = slow_parse

"""Debian's chromium as the browser tests and `make screenshots` launch it through Playwright."""

import shutil

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# No sandbox (the tests run as root in a container), no GPU, nothing fetched in the background.
ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def launch(playwright, *args):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*ARGS, *args])

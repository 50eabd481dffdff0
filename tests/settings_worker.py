"""Settings of the `manage.py` processes that tests/test_worker_faults.py starts: the project's
own, with a parse that can be made slow (tests.slow_parse) so a test can kill a worker or an
ingest in the middle of it."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.slow_parse.SlowParseConfig"]

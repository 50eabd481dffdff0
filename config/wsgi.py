"""WSGI entry point for gunicorn (docker-compose) and other servers."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Sessions, CSRF tokens and password-reset links are signed with SECRET_KEY: a server on the
# public development key would let anyone forge them.
if not settings.DEBUG and settings.SECRET_KEY == settings.INSECURE_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. A server needs a secret of its own: "
        "SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))'). "
        "For local development set DEBUG=1 instead."
    )

"""`houqin serve`: collect the static files, then run gunicorn (houqin/gunicorn_conf.py) in this process."""

from __future__ import annotations

import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

BAD_PORT = gettext_noop("PORT must be a number between 1 and 65535, not %(port)r.")


class Command(BaseCommand):
    help = (
        "Serve Houqin with gunicorn on 127.0.0.1:$PORT (default 8000). "
        "Environment: HOST, PORT, HOUQIN_WORKERS (default 2)."
    )

    def handle(self, *args, **options) -> None:
        port = os.environ.get("PORT", "") or "8000"
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise CommandError(_(BAD_PORT) % {"port": port})
        call_command("collectstatic", interactive=False, verbosity=0)
        connections.close_all()
        sys.stdout.flush()
        sys.stderr.flush()
        argv = [sys.executable, "-m", "gunicorn", "--config", "python:houqin.gunicorn_conf", "houqin.wsgi:application"]
        os.execv(sys.executable, argv)

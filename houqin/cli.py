"""The `houqin` console script: Django's manage.py for an installed Houqin.

`houqin serve`, `houqin demo`, `houqin createschool`, `houqin backup` and `houqin restore` are management
commands of houqin.core; every other Django command (migrate, createsuperuser, …) works as well.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "houqin.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv if argv is not None else sys.argv)
    except BrokenPipeError:
        # The reader went away (`houqin demo | head`): stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()

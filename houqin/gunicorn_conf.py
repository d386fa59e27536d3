"""gunicorn settings for `houqin serve` (also usable as `gunicorn -c python:houqin.gunicorn_conf houqin.wsgi`).

Environment: HOST (default 127.0.0.1), PORT (default 8000), HOUQIN_WORKERS (default 2).
"""

from __future__ import annotations

import os

import gunicorn.config


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def _supports(setting: str) -> bool:
    return any(s.name == setting for s in gunicorn.config.KNOWN_SETTINGS)


bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{_env_int('PORT', 8000)}"
workers = _env_int("HOUQIN_WORKERS", 2)
worker_class = "sync"
# Recycle workers now and then so a slow leak in one request path never grows without bound.
max_requests = 1000
max_requests_jitter = 100
timeout = 60
accesslog = "-"
errorlog = "-"
wsgi_app = "houqin.wsgi:application"

# gunicorn >= 25 opens a control socket at a fixed path: two instances on one machine would fight over it.
if _supports("control_socket_disable"):
    control_socket_disable = True

"""Production settings: `check --deploy` is clean, and a missing secret stops the start-up.

Each case runs `manage.py` in a fresh process, because settings are read once at import.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

# Variables that would change what is checked; each test sets what it needs.
CONTROLLED = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def strong_secret_key() -> str:
    return secrets.token_urlsafe(64)


def test_the_deploy_check_passes_with_production_settings():
    key = strong_secret_key()
    assert len(key) >= 50 and len(set(key)) >= 5

    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=key,
        ALLOWED_HOSTS="example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_fails_with_a_weak_secret_key():
    # Proves the check above can fail: the same command with a short key is refused.
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="too-short",
        ALLOWED_HOSTS="example.org",
    )

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="example.org")

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_it_refuses_to_start_with_an_empty_secret_key_when_debug_is_off():
    result = manage("check", DEBUG="0", SECRET_KEY="", ALLOWED_HOSTS="example.org")

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_it_starts_without_a_secret_key_for_local_development():
    result = manage("check", DEBUG="1")

    assert result.returncode == 0, result.stdout + result.stderr

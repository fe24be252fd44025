"""Production settings: `check --deploy` is clean, and a missing secret or mail backend stops
the start-up.

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
    "EMAIL_BACKEND",
    "EMAIL_URL",
}
SMTP = "django.core.mail.backends.smtp.EmailBackend"


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
        EMAIL_BACKEND=SMTP,
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
        EMAIL_BACKEND=SMTP,
    )

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="example.org", EMAIL_BACKEND=SMTP)

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_it_refuses_to_start_with_an_empty_secret_key_when_debug_is_off():
    result = manage(
        "check", DEBUG="0", SECRET_KEY="", ALLOWED_HOSTS="example.org", EMAIL_BACKEND=SMTP
    )

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_it_starts_without_a_secret_key_for_local_development():
    result = manage("check", DEBUG="1")

    assert result.returncode == 0, result.stdout + result.stderr


# E-mail: the console backend would print receipts and invitation links (tokens) to the log.
PRINT_MAIL = (
    "from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS)"
)


def production(**env: str) -> dict:
    return {"DEBUG": "0", "SECRET_KEY": strong_secret_key(), "ALLOWED_HOSTS": "example.org", **env}


def test_it_refuses_to_start_without_a_mail_backend_when_debug_is_off():
    result = manage("check", **production())

    assert result.returncode != 0
    assert "Set EMAIL_URL" in result.stderr
    assert "EMAIL_BACKEND" in result.stderr


def test_it_refuses_the_console_mail_backend_when_debug_is_off():
    result = manage(
        "check", **production(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    )

    assert result.returncode != 0
    assert "Set EMAIL_URL" in result.stderr


def test_the_server_itself_refuses_to_start_without_a_mail_backend():
    # The web server imports the settings as gunicorn does (config.wsgi): no request is served.
    result = manage("runserver", "--noreload", "127.0.0.1:0", **production())

    assert result.returncode != 0
    assert "Set EMAIL_URL" in result.stderr


def test_it_starts_with_a_named_mail_backend():
    result = manage("check", **production(EMAIL_BACKEND=SMTP))

    assert result.returncode == 0, result.stdout + result.stderr


def test_an_email_url_names_the_smtp_server():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        PRINT_MAIL,
        **production(EMAIL_URL="smtp+tls://mailer:secret@mail.example.org:587"),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split() == [SMTP, "mail.example.org", "587", "True"]


def test_local_development_prints_mail_to_the_console():
    result = manage("shell", "--no-imports", "-c", PRINT_MAIL, DEBUG="1")

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split()[0] == "django.core.mail.backends.console.EmailBackend"

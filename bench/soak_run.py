"""Soak check of `make run`: its whole stack under browser and API load on a busy machine.

    .venv/bin/python bench/soak_run.py [--minutes 10] [--burners N] [--api-threads 2] [--keep]

Run it from a checkout you are not editing: `make run`'s development server reloads when a source
file changes, which would count as the stack going down.

Builds a throwaway SQLite database and folder queue in a temporary folder, prepares them as
`make run` does (migrate, seed_demo, ocds_backfill), then starts `manage.py run_local` (the web
server, a Celery worker and beat, kept up by its supervisor) on a free local port. While it runs:

- `--burners` processes (default: one per core) spin the CPUs, so the stack runs on a busy machine;
- a headless Chromium (Playwright, CHROMIUM_PATH or Debian's /usr/bin/chromium) walks the public
  pages and, signed in, the staff dashboard and the vendor portal, in a loop;
- `--api-threads` threads call the API with a vendor's token: the challenge list and detail, open
  data, the vendor's proposals, and every tenth call an invitation by e-mail, which is written to
  the outbox and published to the worker as a task (beat publishes its own every minute).

It reports pages and API requests served and failed, the stack's restarts (from the supervisor's
log lines), the tasks published (received by the worker) and their outcomes, unreadable messages
set aside by the folder queue, and e-mails sent. It exits non-zero if anything died: a restart,
the stack stopping, a failed page or request, a task that raised, or a message set aside.
"""

import argparse
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD_NAME = "DEMO_PASSWORD"

FACTS = """
import json
from challenges.models import Challenge
from core import services
from django.contrib.auth import get_user_model
from procurement.management.commands.seed_demo import DEMO_PASSWORD
from vendors.models import VendorMembership

user = get_user_model().objects.get(username="vendor")
_row, secret = services.api_token_create(user=user, name="Soak check")
membership = VendorMembership.objects.get(user=user, role="owner")
print(json.dumps({
    "token": secret,
    "vendor": str(membership.vendor.public_id),
    "password": DEMO_PASSWORD,
    "references": list(
        Challenge.objects.filter(status__in=Challenge.PUBLIC_STATES)
        .values_list("reference", flat=True)
    ),
}))
"""

COUNTS = """
import json
from procurement.models import Notification, OutgoingEmail
print(json.dumps({
    "outbox_sent": OutgoingEmail.objects.filter(email_status="sent").count(),
    "outbox_pending": OutgoingEmail.objects.filter(email_status="pending").count(),
    "notifications_sent": Notification.objects.filter(email_status="sent").count(),
}))
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def burn():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        pass


def manage(env, *args, capture=False):
    result = subprocess.run(  # noqa: PLW1510
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )
    return result.stdout


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = Counter()
        self.failures = []

    def ok(self, kind):
        with self.lock:
            self.counts[kind] += 1

    def fail(self, kind, what):
        with self.lock:
            self.counts[f"{kind} failed"] += 1
            if len(self.failures) < 20:
                self.failures.append(f"{kind}: {what}")


def browse(base_url, facts, stop, tally):
    from playwright.sync_api import sync_playwright

    refs = facts["references"]
    public_paths = ["/", "/open-data/", *[f"/challenges/{r}/" for r in refs]]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(base_url=base_url)

        def visit(page, path):
            try:
                response = page.goto(path, timeout=120_000)
                if response is None or response.status >= 400:
                    tally.fail("page", f"{path} {response and response.status}")
                else:
                    tally.ok("page")
            except Exception as exc:  # noqa: BLE001 (a failure to count, not to stop on)
                tally.fail("page", f"{path} {exc.__class__.__name__}: {str(exc)[:120]}")

        def signed_in(username):
            page = context.browser.new_context(base_url=base_url).new_page()
            page.goto("/accounts/login/", timeout=120_000)
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(facts["password"])
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            return page

        rounds = 0
        while not stop.is_set():
            try:
                public = context.new_page()
                staff = signed_in("staff")
                vendor = signed_in("vendor")
            except Exception as exc:  # noqa: BLE001 (counted; the next round signs in again)
                tally.fail("page", f"sign-in {exc.__class__.__name__}: {str(exc)[:120]}")
                time.sleep(2)
                continue
            while not stop.is_set():
                for path in public_paths:
                    if stop.is_set():
                        break
                    visit(public, path)
                visit(staff, "/dashboard/")
                visit(staff, f"/challenges/{refs[rounds % len(refs)]}/")
                visit(vendor, "/vendors/")
                if rounds % 5 == 0:
                    visit(public, "/api/docs/")
                rounds += 1
        browser.close()


def call_api(base_url, facts, stop, tally, number):
    refs = facts["references"]
    headers = {"Authorization": f"Token {facts['token']}", "Accept": "application/json"}
    paths = [
        "/api/challenges/",
        *[f"/api/challenges/{r}/" for r in refs],
        "/api/proposals/",
        f"/api/vendors/{facts['vendor']}/",
        "/api/schema/",  # what /api/docs/ loads
    ]
    calls = 0
    while not stop.is_set():
        calls += 1
        data = None
        if calls % 10 == 0:
            path = f"/api/vendors/{facts['vendor']}/invitations/"
            data = json.dumps({"email": f"soak-{number}-{calls}@example.org"}).encode()
            expected = 201
        else:
            path = paths[calls % len(paths)]
            expected = 200
        request = urllib.request.Request(  # noqa: S310 (our own local server)
            base_url + path,
            data=data,
            headers={**headers, **({"Content-Type": "application/json"} if data else {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError as exc:
            tally.fail("api", f"{path} {exc}")
            time.sleep(1)  # the server is not answering: count it, do not spin
            continue
        if status == expected:
            tally.ok("api")
        else:
            tally.fail("api", f"{path} {status}")


def wait_for(url, process, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"The stack stopped before answering (exit code {process.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (our own local server)
                return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"The web server did not answer at {url} within {seconds} s.")


def read_log(path):
    text = path.read_text(errors="replace")
    return {
        "restarts": re.findall(r"\[run_local\] (.* restarting it .*)", text),
        "gave_up": re.findall(r"\[run_local\] (.* stopping the whole stack\.)", text),
        "received": len(re.findall(r"Task [\w.]+\[[\w-]+\] received", text)),
        "succeeded": len(re.findall(r"Task [\w.]+\[[\w-]+\] succeeded", text)),
        "raised": len(re.findall(r"Task [\w.]+\[[\w-]+\] (?:raised|retry)", text)),
        "beat_sent": len(re.findall(r"Scheduler: Sending due task", text)),
        "decode_errors": text.count("JSONDecodeError"),
        "server_errors": len(re.findall(r'" 5\d\d \d', text)),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--burners", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--api-threads", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    # SIGTERM (e.g. from a CI timeout) cleans up like Ctrl-C: the stack and burners are stopped.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)

    folder = Path(tempfile.mkdtemp(prefix="civic-soak-"))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{folder / 'soak.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        CELERY_LOCAL_FOLDER=str(folder / "celery"),
        REDIS_URL="",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        SITE_URL=base_url,
        PYTHONUNBUFFERED="1",
    )
    print(f"Preparing {folder} as `make run` does (migrate, seed_demo, ocds_backfill)...")
    manage(env, "migrate", "--noinput", "--verbosity", "0", capture=True)
    manage(env, "seed_demo", capture=True)
    manage(env, "ocds_backfill", capture=True)
    facts = json.loads(manage(env, "shell", "-c", FACTS, capture=True).strip().splitlines()[-1])

    log_path = folder / "stack.log"
    log = log_path.open("w")
    stack = subprocess.Popen(  # noqa: S603 (fixed arguments, our own manage.py)
        [sys.executable, "manage.py", "run_local", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    burners = []
    stop = threading.Event()
    tally = Tally()
    stack_stopped = None
    try:
        wait_for(f"{base_url}/", stack)
        burners = [multiprocessing.Process(target=burn, daemon=True) for _ in range(args.burners)]
        for burner in burners:
            burner.start()
        print(
            f"Stack up on {base_url}; {args.burners} CPU burners, a browser and "
            f"{args.api_threads} API threads for {args.minutes:g} minutes..."
        )
        loaders = [threading.Thread(target=browse, args=(base_url, facts, stop, tally))]
        loaders += [
            threading.Thread(target=call_api, args=(base_url, facts, stop, tally, n))
            for n in range(args.api_threads)
        ]
        for loader in loaders:
            loader.start()
        started = time.monotonic()
        end = started + args.minutes * 60
        next_report = started + 60
        while time.monotonic() < end:
            if stack.poll() is not None:
                stack_stopped = stack.returncode
                break
            if time.monotonic() >= next_report:
                next_report += 60
                minutes = (time.monotonic() - started) / 60
                print(f"  {minutes:4.1f} min: {dict(sorted(tally.counts.items()))}", flush=True)
            time.sleep(1)
        stop.set()
        for loader in loaders:
            loader.join(timeout=180)
    finally:
        stop.set()
        for burner in burners:
            burner.terminate()
        for burner in burners:
            burner.join()
        if stack.poll() is None:
            stack.send_signal(signal.SIGTERM)
            try:
                stack.wait(timeout=60)
            except subprocess.TimeoutExpired:
                stack.kill()
        log.close()

    found = read_log(log_path)
    counts = json.loads(manage(env, "shell", "-c", COUNTS, capture=True).strip().splitlines()[-1])
    celery = Path(env["CELERY_LOCAL_FOLDER"])
    rejected = list((celery / "rejected").glob("*")) if (celery / "rejected").exists() else []
    left_in_queue = len([p for p in (celery / "queue").glob("*.msg")])

    print()
    print(
        f"Soak check: {args.minutes:g} min, {args.burners} CPU burners, "
        f"{args.api_threads} API threads"
    )
    print(f"  pages served        {tally.counts['page']:>7}   failed {tally.counts['page failed']}")
    print(f"  API requests served {tally.counts['api']:>7}   failed {tally.counts['api failed']}")
    print(f"  server errors (5xx) in the log {found['server_errors']}")
    print(
        f"  tasks published     {found['received'] + left_in_queue:>7}   (received by the worker "
        f"{found['received']}, still queued {left_in_queue}; beat sent {found['beat_sent']})"
    )
    print(f"  tasks succeeded     {found['succeeded']:>7}   raised or retried {found['raised']}")
    print(
        f"  e-mails sent        {counts['outbox_sent'] + counts['notifications_sent']:>7}   "
        f"(outbox pending {counts['outbox_pending']})"
    )
    print(f"  restarts            {len(found['restarts']):>7}")
    for line in found["restarts"] + found["gave_up"]:
        print(f"    {line}")
    print(
        f"  messages set aside  {len(rejected):>7}   "
        f"JSONDecodeError in the log {found['decode_errors']}"
    )
    if stack_stopped is not None:
        print(f"  THE STACK STOPPED (exit code {stack_stopped})")
    for failure in tally.failures:
        print(f"    {failure}")
    died = (
        stack_stopped is not None
        or found["restarts"]
        or found["gave_up"]
        or tally.counts["page failed"]
        or tally.counts["api failed"]
        or found["raised"]
        or found["decode_errors"]
        or rejected
        or not tally.counts["page"]
        or not tally.counts["api"]
    )
    if args.keep or died:
        print(f"  kept: {folder} (the stack's log: {log_path.name})")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    print("FAILED: something died or failed." if died else "OK: nothing died.")
    sys.exit(1 if died else 0)


if __name__ == "__main__":
    main()

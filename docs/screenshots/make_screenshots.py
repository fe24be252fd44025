"""Remake the README screenshots from the demo data.

    .venv/bin/python docs/screenshots/make_screenshots.py

Builds a throwaway SQLite database (with its uploads and task queue in the same temporary
folder), loads `seed_demo`, starts the development server on 127.0.0.1 and photographs the pages
the README and docs show, with Debian's Chromium (CHROMIUM_PATH to use another): the public board
and challenge, a staff page, the staff dashboard, the vendor portal and proposal editor, the
evaluator's scoring page, the consensus sheet, the award, the pilot with its charts, the public
outcomes page and the API docs. Viewport shots at 1280 px wide keep the PNGs small enough
for git.

    .venv/bin/python docs/screenshots/make_screenshots.py --set french --set phone [--out DIR]

`--set` chooses what to photograph (several may be given; default `english`, the set above):
`french` photographs the key pages (board, challenge page, scoring, pilot, dashboard) in French
at 1280 px as `fr-<page>.png`, and `phone` the same pages 320 px wide (a phone, at twice the
pixel density) as `phone-<page>.png`, in English, and `phone-fr-<page>.png` in French; `all`
takes every set. `--out` writes them elsewhere than docs/screenshots/ (to try the script without
touching the committed images).

`governance` photographs the data governance pages (the owner's record, the approver's review
with its risk flags, the public record on a challenge page, the contract on the outcomes page)
in English and French at 1280 px and on a phone, as `governance-<page>.png`,
`fr-governance-<page>.png`, `phone-governance-<page>.png` and `phone-fr-governance-<page>.png`;
`--set governance` alone remakes just those.
"""

import argparse
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
SETS = ("english", "french", "phone", "governance", "engagement")
PHONE = {"width": 320, "height": 640}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WIDTH, HEIGHT = 1280, 800
MARGIN = 24


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"The development server stopped (exit code {server.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own local server)
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"The development server did not answer at {url} within {seconds:.0f} s.")


def prepare_environment(database: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(database.parent / "media"),
        CELERY_LOCAL_FOLDER=str(database.parent / "celery"),
        # No real broker (tasks wait in the temporary folder) and no mail sent.
        REDIS_URL="",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def load_demo(env: dict) -> dict:
    """Migrate and seed in this process, and return the demo facts the shots need."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    # Its list of demo logins is for people running `make run`, not for this script's output.
    call_command("seed_demo", stdout=io.StringIO())

    from challenges.models import Challenge
    from procurement.management.commands import seed_demo
    from vendors.models import Proposal

    def reference(content) -> str:
        return Challenge.objects.values_list("reference", flat=True).get(title=content["title"])

    draft = Proposal.objects.get(
        challenge__title=seed_demo.ENERGY["title"], vendor__memberships__user__username="vendor"
    )
    scored = Proposal.objects.get(
        challenge__title=seed_demo.WAYFINDING["title"],
        vendor__memberships__user__username="vendor2",
    )
    return {
        "password": seed_demo.DEMO_PASSWORD,
        "published": reference(seed_demo.ENERGY),
        "co_design": reference(seed_demo.WINTER),
        "in_review": reference(seed_demo.SCHOOL_ROUTES),
        "evaluating": reference(seed_demo.WAYFINDING),
        "awarded": reference(seed_demo.STREETLIGHTS),
        "draft": str(draft.public_id),
        "scored": str(scored.public_id),
    }


def take_screenshots(base_url: str, demo: dict, sets=("english",)) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        if "english" in sets:
            take_english(browser, base_url, demo)
        if "french" in sets:
            take_key_pages(browser, base_url, demo, language="fr", prefix="fr-")
        if "phone" in sets:
            take_key_pages(browser, base_url, demo, language="en", prefix="phone-", phone=True)
            take_key_pages(browser, base_url, demo, language="fr", prefix="phone-fr-", phone=True)
        for group, pages in (("governance", governance_pages), ("engagement", engagement_pages)):
            if group not in sets:
                continue
            for language, prefix, phone in (
                ("en", "", False),
                ("fr", "fr-", False),
                ("en", "phone-", True),
                ("fr", "phone-fr-", True),
            ):
                take_sections(
                    browser,
                    base_url,
                    pages(demo),
                    group=group,
                    password=demo["password"],
                    language=language,
                    prefix=prefix,
                    phone=phone,
                )
        browser.close()


def key_pages(demo: dict) -> list[tuple[str, str | None, str]]:
    """(name, who is signed in, path) of the pages shown in French and on a phone."""
    return [
        ("board", None, "/"),
        ("challenge", None, f"/challenges/{demo['published']}/"),
        ("evaluation-scoring", "evaluator",
         f"/evaluation/{demo['evaluating']}/proposals/{demo['scored']}/"),
        ("pilot", None, f"/challenges/{demo['awarded']}/pilot/"),
        ("dashboard", "staff", "/dashboard/"),
    ]  # fmt: skip


def take_key_pages(browser, base_url, demo, *, language, prefix, phone=False) -> None:
    """The key pages in `language`, 1280 px wide or on a 320 px phone (the top of each page)."""
    options = {
        "base_url": base_url,
        "viewport": PHONE if phone else {"width": WIDTH, "height": HEIGHT},
        "device_scale_factor": 2 if phone else 1,
        "is_mobile": phone,
        "has_touch": phone,
        "locale": "fr-CA" if language == "fr" else "en-CA",
        "timezone_id": "America/Moncton",
    }
    pages = {}
    for name, username, path in key_pages(demo):
        if username not in pages:
            pages[username] = browser.new_context(**options).new_page()
            if username:
                sign_in(pages[username], username, demo["password"])
        page = pages[username]
        response = page.goto(path)
        if response is None or response.status != 200:
            sys.exit(f"{path} answered {response and response.status} for {username or 'anyone'}.")
        page.locator("h1").first.wait_for()
        html_language = page.locator("html").get_attribute("lang")
        if html_language != language:
            sys.exit(f"{path} came in {html_language!r}, not {language!r}.")
        shoot(page, f"{prefix}{name}.png")
    for page in pages.values():
        page.context.close()


def governance_pages(demo: dict) -> list[tuple[str, str | None, str, str]]:
    """(name, who is signed in, path, element to photograph from its top) of the data
    governance shots: the owner's record, the approver's review, the public record, the
    contract on the outcomes page."""
    return [
        ("record", "staff", f"/challenges/{demo['co_design']}/data-governance/", "h1"),
        ("review", "approver", f"/challenges/{demo['in_review']}/",
         "#governance-review-heading"),
        ("public", None, f"/challenges/{demo['published']}/", "#governance-public-heading"),
        ("contract", None, f"/challenges/{demo['awarded']}/outcomes/", "#contract-heading"),
    ]  # fmt: skip


def engagement_pages(demo: dict) -> list[tuple[str, str | None, str, str]]:
    """(name, who is signed in, path, element to photograph from its top) of the engagement
    shots: input without an account, following, the reach ledger the approver weighs, feedback
    during the pilot, and "you said, we did" with the ledger on the outcomes page."""
    return [
        ("input", None, f"/challenges/{demo['co_design']}/", "#input-heading"),
        ("follow", None, f"/challenges/{demo['published']}/", "#follow-heading"),
        ("ledger", "approver", f"/challenges/{demo['in_review']}/", "#reach-review-heading"),
        ("pilot-feedback", None, f"/challenges/{demo['awarded']}/pilot/",
         "#pilot-feedback-heading"),
        ("you-said", None, f"/challenges/{demo['awarded']}/outcomes/", "#you-said-heading"),
    ]  # fmt: skip


def take_sections(browser, base_url, pages, *, group, password, language, prefix, phone) -> None:
    """Each page of a group of shots, its part of interest at the top of the viewport."""
    options = {
        "base_url": base_url,
        "viewport": PHONE if phone else {"width": WIDTH, "height": HEIGHT},
        "device_scale_factor": 2 if phone else 1,
        "is_mobile": phone,
        "has_touch": phone,
        "locale": "fr-CA" if language == "fr" else "en-CA",
        "timezone_id": "America/Moncton",
    }
    tabs = {}
    for name, username, path, selector in pages:
        if username not in tabs:
            tabs[username] = browser.new_context(**options).new_page()
            if username:
                sign_in(tabs[username], username, password)
        page = tabs[username]
        response = page.goto(path)
        if response is None or response.status != 200:
            sys.exit(f"{path} answered {response and response.status} for {username or 'anyone'}.")
        target = page.locator(selector).first
        if target.count() == 0:
            sys.exit(f"{path} has no {selector} for {username or 'anyone'}.")
        if selector != "h1":
            scroll_to_top(target)
        shoot(page, f"{prefix}{group}-{name}.png")
    for page in tabs.values():
        page.context.close()


def sign_in(page, username: str, password: str) -> None:
    """Sign in through the form, whatever the page's language."""
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")
    if "/accounts/login/" in page.url:
        sys.exit(f"Could not sign in as {username}.")


def take_english(browser, base_url: str, demo: dict) -> None:
    """The README's and docs' screenshots, in English at 1280 px."""
    from playwright.sync_api import expect

    options = {
        "base_url": base_url,
        "viewport": {"width": WIDTH, "height": HEIGHT},
        "device_scale_factor": 1,
        "locale": "en-CA",
        "timezone_id": "America/Moncton",
    }

    public = browser.new_context(**options).new_page()
    public.goto("/")
    expect(public.get_by_role("heading", level=1, name="Challenge board")).to_be_visible()
    shoot(public, "board.png")

    public.goto(f"/challenges/{demo['published']}/")
    # The public record below the statement: who was engaged, the answers and the addenda.
    shoot_regions(public, "challenge.png", "How we engaged", "Addenda")

    def signed_in(username: str):
        page = browser.new_context(**options).new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(demo["password"])
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text(f"Signed in as {username}")).to_be_visible()
        return page

    staff = signed_in("staff")
    staff.goto(f"/challenges/{demo['co_design']}/")
    # The owner's steps (what is possible, and what is missing for the next one).
    expect(staff.get_by_role("heading", level=2, name="Next steps")).to_be_visible()
    shoot(staff, "staff-challenge.png")

    vendor = signed_in("vendor")
    vendor.goto("/vendors/")
    expect(vendor.get_by_role("heading", level=1, name="Vendor portal")).to_be_visible()
    # The proposals and open challenges, below the organization's details.
    scroll_to_top(vendor.get_by_role("heading", level=2, name="My proposals"))
    shoot(vendor, "vendor-portal.png")
    vendor.goto(f"/vendors/proposals/{demo['draft']}/")
    expect(vendor.get_by_role("heading", name="Before you can submit")).to_be_visible()
    shoot(vendor, "proposal-editor.png")

    chair = signed_in("evaluator")
    chair.goto(f"/evaluation/{demo['evaluating']}/proposals/{demo['scored']}/")
    expect(chair.get_by_role("heading", name="Rubric and your scores")).to_be_visible()
    shoot(chair, "evaluation-scoring.png")
    chair.goto(f"/evaluation/{demo['evaluating']}/consensus/")
    expect(chair.get_by_role("heading", level=1, name="Consensus sheet")).to_be_visible()
    # The criterion where the panel disagrees, with its outlier flags.
    scroll_to_top(chair.get_by_role("heading", level=3, name="Has an outlier").first)
    shoot(chair, "evaluation-consensus.png")

    public.goto(f"/challenges/{demo['awarded']}/outcomes/")
    expect(public.get_by_role("heading", level=1, name="Outcomes")).to_be_visible()
    # What the city bought and whether it worked, below the statement and the engagement.
    shoot_regions(public, "outcomes.png", "What the city bought, and why", "Did it work?")
    public.goto(f"/challenges/{demo['awarded']}/pilot/")
    expect(public.get_by_role("heading", level=1, name="Pilot and outcomes")).to_be_visible()
    # The whole page: the milestones and both indicators with their charts.
    shoot(public, "pilot.png", full_page=True)

    staff.goto("/dashboard/")
    expect(staff.get_by_role("heading", level=1, name="Pipeline dashboard")).to_be_visible()
    # The chart, the overdue work and the deadlines ahead, above the lists by stage.
    shoot_regions(staff, "dashboard.png", "Challenges by stage", "Deadlines in the next 14 days")
    staff.goto(f"/challenges/{demo['awarded']}/award/")
    expect(staff.get_by_role("heading", level=1, name="Award")).to_be_visible()
    shoot(staff, "award.png")

    public.goto("/api/docs/")
    public.locator(".swagger-ui .opblock").first.wait_for()
    shoot(public, "api-docs.png")


def scroll_to_top(locator) -> None:
    locator.evaluate(
        f"element => window.scrollBy(0, element.getBoundingClientRect().top - {MARGIN})"
    )


def shoot_regions(page, name: str, first: str, last: str) -> None:
    """The page from the top of the region named `first` to the bottom of the one named `last`."""
    top = page.get_by_role("region", name=first, exact=True).bounding_box()
    bottom = page.get_by_role("region", name=last, exact=True).bounding_box()
    shoot(
        page,
        name,
        full_page=True,
        clip={
            "x": 0,
            "y": top["y"] - MARGIN,
            "width": WIDTH,
            "height": bottom["y"] + bottom["height"] - top["y"] + 2 * MARGIN,
        },
    )


def shoot(page, name: str, **options) -> None:
    path = OUT / name
    page.screenshot(path=str(path), **options)
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    print(f"{shown}: {path.stat().st_size // 1024} KiB")


def main() -> None:
    global OUT
    parser = argparse.ArgumentParser(description="Remake the screenshots from the demo data.")
    parser.add_argument("--set", action="append", choices=[*SETS, "all"], dest="sets")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    sets = set(SETS) if "all" in (args.sets or []) else set(args.sets or ["english"])
    OUT = args.out.resolve()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="civic-screenshots-") as folder:
        env = prepare_environment(Path(folder) / "demo.sqlite3")
        demo = load_demo(env)
        port = free_port()
        log_path = Path(folder) / "server.log"
        with log_path.open("w") as log:
            server = subprocess.Popen(  # noqa: S603 (fixed arguments, our own manage.py)
                [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                base_url = f"http://127.0.0.1:{port}"
                wait_for(f"{base_url}/", server)
                take_screenshots(base_url, demo, sets)
            except BaseException:
                print(log_path.read_text(), file=sys.stderr)
                raise
            finally:
                server.terminate()
                server.wait(timeout=10)


if __name__ == "__main__":
    main()

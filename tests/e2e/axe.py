"""axe-core in the browser tests: every page a journey shows, and every page of the reflow walk,
must have no violations.

axe-core comes from the npm package pinned in package.json (`make test` runs `npm ci`). It is put
into each document as an init script, which Playwright runs outside the page's
Content-Security-Policy, so the policy the site sends is the one tested.

A journey is watched without changing its steps: when a page is about to be left (a link, a form,
a `goto`), the navigation waits in a route handler while axe checks the page being left, and
`AxeWatch.finish` checks the last page of each context. A check that cannot run fails the test
rather than passing it silently.
"""

from pathlib import Path

import pytest

AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# The default rule set (WCAG 2.0, 2.1 and 2.2 A and AA, and Deque's best practices) on the whole
# page except Swagger UI's own widget on the API docs page, a third-party bundle the site serves
# as it comes (the page around it, its language and landmark, is checked).
AXE_RUN = 'axe.run({ exclude: [[".swagger-ui"]] }, { resultTypes: ["violations"] })'
RUN_AXE = (
    """async () => {
  if (document.contentType !== "text/html" || typeof axe === "undefined") {
    return null;
  }
  const results = await AXE_RUN;""".replace("AXE_RUN", AXE_RUN)
    + """
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
  }));
}"""
)


def install(context) -> None:
    """Make axe available in every document the context opens."""
    if not AXE_SOURCE.exists():
        pytest.fail(
            f"axe-core is needed for the browser tests and was not found at {AXE_SOURCE}; "
            "run `npm ci` (or `make test`, which does)."
        )
    context.add_init_script(path=str(AXE_SOURCE))


def violations(page) -> list[dict] | None:
    """axe's violations on the page as it is now; None for a document that is not HTML
    (a JSON answer, a download) or one opened before `install`."""
    return page.evaluate(RUN_AXE)


def describe(url: str, found: list[dict]) -> str:
    lines = [f"{url}:"]
    for violation in found:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"      {target}" for target in violation["targets"])
    return "\n".join(lines)


# Each top-level HTML document of the site runs axe once it has loaded and reports back.
WATCH = """window.addEventListener("load", () => {
  if (window !== window.top || document.contentType !== "text/html" || location.origin !== %r) {
    return;
  }
  window.__axeReport("started", location.href, null);
  const summary = (violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
  });
  AXE_RUN.then(
    (results) => window.__axeReport("finished", location.href, results.violations.map(summary)),
    (error) => window.__axeReport("failed", location.href, String(error)),
  );
});""".replace("AXE_RUN", AXE_RUN)

# How long a navigation away first waits for reports already sent by the page being left.
SETTLE_MS = 200

# How long a page may take to be checked before the test moves on.
CHECK_SECONDS = 60


class AxeWatch:
    """Checks every page a context shows. Each document runs axe when it has loaded; a
    navigation away waits (in a route handler) until the checks under way have reported, and
    `finish` waits for the last ones. A page left before its load event is not checked."""

    def __init__(self, context, origin: str):
        self.problems: list[str] = []
        self.started = 0
        self.reported = 0
        self.checked: list[str] = []
        install(context)
        context.expose_binding("__axeReport", self._report)
        context.add_init_script(script=WATCH % origin.rstrip("/"))
        context.route("**/*", self._on_request)

    def _report(self, source, kind, url, data):
        if kind == "started":
            self.started += 1
            return
        self.reported += 1
        if kind == "failed":
            self.problems.append(f"{url}: axe could not run ({data})")
            return
        self.checked.append(url)
        if data:
            self.problems.append(describe(url, data))

    def _wait(self, page) -> None:
        # A test may leave a page right after its load event, before the page's "started"
        # report has reached us (it comes on another channel than the navigation): let it land.
        page.wait_for_timeout(SETTLE_MS)
        waited = 0
        while self.reported < self.started and waited < CHECK_SECONDS * 1000:
            page.wait_for_timeout(25)
            waited += 25
        if self.reported < self.started:
            self.problems.append(
                f"{page.url}: axe did not finish within {CHECK_SECONDS} s "
                f"({self.started} pages started, {self.reported} reported)"
            )
            self.reported = self.started

    def _on_request(self, route):
        request = route.request
        if request.is_navigation_request():
            self._wait(request.frame.page)
        route.continue_()

    def finish(self, context) -> None:
        for page in context.pages:
            if not page.is_closed():
                page.wait_for_load_state()
                self._wait(page)
        context.unroute_all(behavior="ignoreErrors")

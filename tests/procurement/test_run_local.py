"""`make run`'s launcher keeps the stack up: real child processes exit and are started again."""

import itertools
import sys
import time

import pytest

from procurement.local_stack import Supervisor
from procurement.management.commands.run_local import site_url

PYTHON = sys.executable
SLEEPER = [PYTHON, "-c", "import time; time.sleep(120)"]


def crash_once(marker):
    """A process that exits with code 3 the first time it runs, then stays up."""
    code = (
        "import pathlib, sys, time\n"
        f"marker = pathlib.Path({str(marker)!r})\n"
        "if not marker.exists():\n"
        "    marker.touch()\n"
        "    sys.exit(3)\n"
        "time.sleep(120)\n"
    )
    return [PYTHON, "-c", code]


ALWAYS_CRASHES = [PYTHON, "-c", "import sys; sys.exit(4)"]


def check_until(supervisor, condition, attempts=400):
    """Run the supervisor's loop until ``condition()``; False if the stack was stopped first."""
    for _ in range(attempts):
        if not supervisor.check():
            return False
        if condition():
            return True
        time.sleep(0.05)
    raise AssertionError("the condition never came true")


@pytest.fixture
def supervisors():
    started = []

    def make(commands, **options):
        options.setdefault("restart_delay", 0)
        lines = []
        supervisor = Supervisor(commands, log=lines.append, **options)
        supervisor.lines = lines
        started.append(supervisor)
        supervisor.start()
        return supervisor

    yield make
    for supervisor in started:
        supervisor.stop(timeout=5)


def test_a_crashed_worker_is_restarted_with_a_log_line_and_the_web_server_stays_up(
    supervisors, tmp_path
):
    supervisor = supervisors({"web": SLEEPER, "worker": crash_once(tmp_path / "crashed")})
    web_pid = supervisor.children["web"].process.pid

    restarted = check_until(supervisor, lambda: supervisor.restart_count("worker") == 1)

    assert restarted
    time.sleep(0.5)
    assert supervisor.check()
    assert supervisor.children["worker"].process.poll() is None  # the new worker stays up
    assert supervisor.children["web"].process.pid == web_pid
    assert supervisor.children["web"].process.poll() is None
    assert supervisor.lines == [
        "worker exited with code 3; restarting it (restart 1 of 5 allowed within 10 minutes)."
    ]


def test_a_process_that_keeps_crashing_stops_the_whole_stack(supervisors):
    supervisor = supervisors({"web": SLEEPER, "beat": ALWAYS_CRASHES}, max_restarts=3)

    kept_up = check_until(supervisor, lambda: False)
    supervisor.stop(timeout=5)

    assert kept_up is False
    assert supervisor.gave_up == "beat"
    assert supervisor.restart_count("beat") == 3
    assert supervisor.lines[-1] == (
        "beat exited with code 4 4 times within 10 minutes; stopping the whole stack."
    )
    assert supervisor.children["web"].process.poll() is not None  # stopped with the rest


def test_crashes_further_apart_than_the_window_never_stop_the_stack(supervisors):
    ticks = itertools.count(step=700)  # each crash 700 s after the previous: outside 600 s
    supervisor = supervisors(
        {"worker": ALWAYS_CRASHES}, max_restarts=2, clock=lambda: float(next(ticks))
    )

    kept_up = check_until(supervisor, lambda: supervisor.restart_count("worker") >= 6)

    assert kept_up is True
    assert supervisor.gave_up is None


@pytest.mark.parametrize(
    ("addrport", "expected"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("8080", "http://127.0.0.1:8080"),
        ("0.0.0.0:9000", "http://localhost:9000"),
        ("[::1]:8001", "http://[::1]:8001"),
        ("demo.local:8002", "http://demo.local:8002"),
    ],
)
def test_e_mails_link_to_the_address_the_server_listens_on(addrport, expected):
    assert site_url(addrport) == expected

"""The ranking on SQLite, the database `make run` uses out of the box.

The suite runs on PostgreSQL; this test runs the same ranking in a child process on a fresh
SQLite file and compares it with PostgreSQL's. SQLite before 3.46 refuses deeply nested queries,
divides two integers as integers and keeps whole decimals as integers: none of that may change
a figure. The same child process checks every figure against exact rounding (the property of
test_ranking_rounding.py) and computes its written-out half-ties.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from evaluation.ranking import compute_ranking
from tests.evaluation.builders import ranking_field
from tests.evaluation.test_ranking_properties import in_rollback
from tests.evaluation.test_ranking_rounding import CASES, computed

ROOT = Path(__file__).resolve().parents[2]

# Eight rated criteria (weights 70, some out of 7 points so that divisions leave fractions) and
# the price (30), as large as the ranking benchmark's plan.
RATED = (
    ("Approach", 15, 10),
    ("Team", 10, 7),
    ("Plan", 10, 10),
    ("Data", 10, 7),
    ("Access", 5, 10),
    ("Support", 10, 10),
    ("Risk", 5, 7),
    ("Community", 5, 10),
)
SPECS = [
    ([10, 5, 7, 3, 7, 9, 6, 7], "50000"),
    ([8, 7, 7, 6, 7, 7, 2, 8], "80000"),
    ([5, 6, 9, 7, 10, 7, 7, 7], "100000.50"),
    ([8, 7, 7, 6, 7, 7, 2, 8], "80000"),
]


def ranked_rows() -> list:
    """(proposal's place in SPECS, technical, price points, total, rank) per ranked row."""
    evaluation, proposals = ranking_field(SPECS, rated=RATED)
    place = {proposal.pk: n for n, proposal in enumerate(proposals)}
    return [
        [
            place[row.proposal_id],
            str(row.technical),
            str(row.price_points),
            str(row.total),
            row.rank,
        ]
        for row in compute_ranking(evaluation).rows
    ]


SCRIPT = """
import json
import django

django.setup()
from django.core.management import call_command

call_command("migrate", verbosity=0)
from tests.evaluation.test_ranking_sqlite import half_ties, ranked_rows
from tests.evaluation.test_ranking_rounding import every_figure_is_exact

every_figure_is_exact()
print(json.dumps({"ranked": ranked_rows(), "half_ties": half_ties()}))
"""


def half_ties() -> dict:
    return {
        name: [list(row) for row in in_rollback(lambda case=case: computed(case))]
        for name, case in CASES.items()
    }


@pytest.fixture(scope="module")
def on_sqlite(tmp_path_factory):
    """One run on a fresh SQLite file (migrating it takes most of the time)."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'ranking.sqlite3'}",
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_every_figure_on_sqlite_is_exact_and_half_ties_equal_postgresqls(on_sqlite):
    # The child process ran the exact-rounding property on SQLite before printing.
    assert on_sqlite["half_ties"] == half_ties()
    assert on_sqlite["half_ties"]["technical 37.94125"][0][0] == "37.9413"


@pytest.mark.django_db
def test_the_ranking_on_sqlite_equals_the_ranking_on_postgresql(on_sqlite):
    on_sqlite = on_sqlite["ranked"]
    on_postgresql = ranked_rows()
    assert on_sqlite == on_postgresql
    # The cheapest proposal gets the full 30 price points; two identical proposals share a rank.
    by_place = {row[0]: row for row in on_postgresql}
    assert by_place[0][2] == "30.0000"
    assert by_place[1][1:] == by_place[3][1:]

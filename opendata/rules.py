"""Who may read open data: anyone, once the challenge was published."""

import rules

from challenges.rules import was_published

rules.add_perm("opendata.view_release_package", was_published)

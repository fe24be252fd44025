"""Demo data for `make run`: one person per role and challenges in every stage so far."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from challenges import services
from challenges.models import (
    Addendum,
    Challenge,
    Department,
    EngagementActivity,
    Question,
)
from core import roles

DEMO_PASSWORD = "demo-password-2026"

# username, first name, last name, roles, superuser, what the account shows
DEMO_USERS = [
    ("staff", "Morgan", "Leblanc", [roles.STAFF], False, "staff: owns most demo challenges"),
    ("staff2", "Priya", "Raman", [roles.STAFF], False, "staff: owns the others"),
    (
        "approver",
        "Claire",
        "Doucet",
        [roles.STAFF, roles.APPROVER],
        False,
        "approver (never of their own challenges)",
    ),
    ("evaluator", "Tomas", "Nguyen", [roles.EVALUATOR], False, "evaluator"),
    ("vendor", "Dana", "Okafor", [roles.VENDOR], False, "vendor member"),
    ("vendor2", "Eli", "Martin", [roles.VENDOR], False, "vendor member (a second firm)"),
    ("resident", "Rosa", "Arsenault", [], False, "resident"),
    ("admin", "Ada", "Boudreau", [], True, "admin (superuser, configuration only)"),
]

DEPARTMENTS = [
    ("climate-energy", "Climate and Energy"),
    ("community-services", "Community Services"),
    ("emergency-management", "Emergency Management"),
    ("public-works", "Public Works"),
    ("transit", "Transit and Parking"),
    ("transportation", "Transportation Engineering"),
    ("water", "Water and Wastewater"),
]


class Command(BaseCommand):
    help = (
        "Load demo data: one account per role (printed at the end) and challenges in every "
        "stage so far. Safe to run again: what exists is left alone. Every stage is reached "
        "through the services, as the person who would take that step, so the audit trail is "
        "real; the one closed challenge needs time to have passed and is therefore loaded as "
        "historical data, without audit entries. Refuses to run with DEBUG off unless --force "
        "is given, because the accounts share a published password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (only on a throwaway database).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with a published password. Run it with DEBUG=1, "
                "or pass --force on a throwaway database."
            )
        people = {spec[0]: self._user(*spec[:5]) for spec in DEMO_USERS}
        departments = {
            slug: Department.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            for slug, name in DEPARTMENTS
        }
        self.now = timezone.now()
        seeders = [
            (DRAFT["title"], self._draft),
            (WINTER["title"], self._co_design),
            (SCHOOL_ROUTES["title"], self._in_review),
            (FLOOD_ALERTS["title"], self._approved),
            (ENERGY["title"], self._published),
            (WAYFINDING["title"], self._closed),
            (CURBSIDE["title"], self._cancelled),
        ]
        created = 0
        for title, seed in seeders:
            if Challenge.objects.filter(title=title).exists():
                continue
            with transaction.atomic():
                seed(people, departments)
            created += 1
        self.stdout.write(
            f"Demo challenges: {created} created, {len(seeders) - created} already present."
        )
        self._print_logins()

    # People

    def _user(self, username, first_name, last_name, role_names, superuser):
        user, _created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.org",
                "is_superuser": superuser,
                "is_staff": superuser,
            },
        )
        # The printed logins must work even if someone changed a demo password.
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(*Group.objects.filter(name__in=role_names))
        return user

    def _print_logins(self):
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins"))
        self.stdout.write(f"  {'Username':<10} {'Password':<20} Role")
        for username, *_names, description in DEMO_USERS:
            self.stdout.write(f"  {username:<10} {DEMO_PASSWORD:<20} {description}")
        self.stdout.write("")

    # Time

    def _deadline(self, days: int):
        """A deadline `days` from now at 14:00 in the municipality's zone."""
        local = timezone.localtime(self.now + timedelta(days=days))
        return local.replace(hour=14, minute=0, second=0, microsecond=0)

    def _day(self, days: int):
        return timezone.localdate(self.now + timedelta(days=days))

    # Shared steps, each through the service a person would use

    def _create(self, content, owner, department):
        fields = {k: v for k, v in content.items() if k not in ("activities", "inputs")}
        return services.challenge_create(actor=owner, department=department, **fields)

    def _co_design_with_evidence(self, challenge, content, people):
        owner = challenge.owner
        services.challenge_transition(challenge=challenge, actor=owner, name="open_co_design")
        for days_ago, kind, participants, groups, summary in content["activities"]:
            services.engagement_activity_add(
                challenge=challenge,
                actor=owner,
                kind=kind,
                held_on=self._day(-days_ago),
                participants=participants,
                groups_reached=groups,
                summary=summary,
            )
        for kind, neighbourhood, body, decision, reason in content.get("inputs", []):
            community_input = services.community_input_add(
                challenge=challenge,
                actor=people["resident"],
                kind=kind,
                neighbourhood=neighbourhood,
                body=body,
            )
            if decision != "pending":
                services.community_input_moderate(
                    community_input=community_input,
                    actor=owner,
                    publish=decision == "publish",
                    reason=reason,
                )

    def _through_approval(self, challenge, content, people):
        self._co_design_with_evidence(challenge, content, people)
        services.challenge_transition(
            challenge=challenge, actor=challenge.owner, name="submit_for_review"
        )
        challenge = services.challenge_transition(
            challenge=challenge, actor=people["approver"], name="approve"
        )
        self._evaluation_plan(challenge)
        return challenge

    def _evaluation_plan(self, challenge):
        """Publication needs a complete evaluation plan (a check the evaluation app registers).

        The demo spans every app, so this one command reaches up to the evaluation app.
        """
        from evaluation.services import plan_define

        return plan_define(challenge=challenge, actor=challenge.owner, **DEMO_EVALUATION_PLAN)

    def _publish(self, challenge, *, questions_in_days, submission_in_days):
        services.challenge_schedule(
            challenge=challenge,
            actor=challenge.owner,
            questions_deadline=self._deadline(questions_in_days),
            submission_deadline=self._deadline(submission_in_days),
        )
        return services.challenge_transition(
            challenge=challenge, actor=challenge.owner, name="publish"
        )

    # One seeder per stage

    def _draft(self, people, departments):
        self._create(DRAFT, people["staff2"], departments["water"])

    def _co_design(self, people, departments):
        challenge = self._create(WINTER, people["staff"], departments["community-services"])
        self._co_design_with_evidence(challenge, WINTER, people)

    def _in_review(self, people, departments):
        challenge = self._create(SCHOOL_ROUTES, people["staff2"], departments["transportation"])
        self._co_design_with_evidence(challenge, SCHOOL_ROUTES, people)
        services.challenge_transition(
            challenge=challenge, actor=challenge.owner, name="submit_for_review"
        )

    def _approved(self, people, departments):
        challenge = self._create(FLOOD_ALERTS, people["staff"], departments["emergency-management"])
        challenge = self._through_approval(challenge, FLOOD_ALERTS, people)
        services.challenge_schedule(
            challenge=challenge,
            actor=challenge.owner,
            questions_deadline=self._deadline(24),
            submission_deadline=self._deadline(45),
        )

    def _published(self, people, departments):
        owner = people["staff"]
        challenge = self._create(ENERGY, owner, departments["climate-energy"])
        challenge = self._through_approval(challenge, ENERGY, people)
        challenge = self._publish(challenge, questions_in_days=12, submission_in_days=33)
        for asker, body, outcome, text in ENERGY_QUESTIONS:
            question = services.question_ask(challenge=challenge, actor=people[asker], body=body)
            if outcome == "answer":
                services.question_answer(question=question, actor=owner, answer=text)
            elif outcome == "dismiss":
                services.question_dismiss(question=question, actor=owner, reason=text)
        for title, body, changes_terms, extend_by_days in ENERGY_ADDENDA:
            addendum = services.addendum_create(
                challenge=challenge,
                actor=owner,
                title=title,
                body=body,
                changes_terms=changes_terms,
                new_submission_deadline=(
                    self._deadline(33 + extend_by_days) if extend_by_days else None
                ),
            )
            services.addendum_issue(addendum=addendum, actor=owner)

    def _cancelled(self, people, departments):
        challenge = self._create(CURBSIDE, people["staff2"], departments["public-works"])
        challenge = self._through_approval(challenge, CURBSIDE, people)
        challenge = self._publish(challenge, questions_in_days=10, submission_in_days=30)
        services.challenge_transition(
            challenge=challenge,
            actor=challenge.owner,
            name="cancel",
            reason=(
                "The regional solid waste commission will procure one collection scheduling "
                "system for all member municipalities this year. We are withdrawing this "
                "challenge so vendors do not prepare two proposals for the same need."
            ),
        )

    def _closed(self, people, departments):
        """A challenge that closed six weeks ago, loaded as historical data (see the help)."""
        owner = people["staff"]
        challenge = self._create(WAYFINDING, owner, departments["transit"])
        plan = self._evaluation_plan(challenge)
        for days_ago, kind, participants, groups, summary in WAYFINDING["activities"]:
            EngagementActivity.objects.create(
                challenge=challenge,
                kind=kind,
                held_on=self._day(-days_ago),
                participants=participants,
                groups_reached=groups,
                summary=summary,
                recorded_by=owner,
            )
        published_at = self._deadline(-92)
        for asker, body, answer, asked_days_ago in WAYFINDING_QUESTIONS:
            question = Question.objects.create(
                challenge=challenge, asked_by=people[asker], body=body
            )
            Question.objects.filter(pk=question.pk).update(
                status=Question.Status.ANSWERED,
                answer=answer,
                answered_by=owner,
                asked_at=self.now - timedelta(days=asked_days_ago),
                answered_at=self.now - timedelta(days=asked_days_ago - 2),
            )
        addendum = Addendum.objects.create(
            challenge=challenge,
            created_by=owner,
            title="Station list corrected",
            body=(
                "Appendix B listed the King Street terminal twice and left out the Regent Mall "
                "stop. The corrected list has 14 stops; nothing else changes."
            ),
        )
        Addendum.objects.filter(pk=addendum.pk).update(
            status=Addendum.Status.ISSUED, number=1, issued_at=published_at + timedelta(days=9)
        )
        submission_deadline = self._deadline(-44)
        Challenge.objects.filter(pk=challenge.pk).update(
            status=Challenge.Status.CLOSED,
            created_at=self.now - timedelta(days=150),
            approved_by=people["approver"],
            approved_at=published_at - timedelta(days=6),
            published_at=published_at,
            questions_deadline=self._deadline(-65),
            submission_deadline=submission_deadline,
            closed_at=submission_deadline,
        )
        from evaluation.services import plan_freeze

        plan_freeze(plan=plan, frozen_at=published_at)


# Demo content. Invented for a fictional city; any likeness to a real call is by theme only.

DEMO_EVALUATION_PLAN = {
    "criteria": [
        {
            "kind": "mandatory",
            "name": "Personal information stays in Canada",
            "description": "Hosting and backups in Canada; pass or fail.",
        },
        {
            "kind": "rated",
            "name": "Understanding of the problem and approach",
            "description": "How well the proposal answers the problem residents described.",
            "weight": 35,
            "max_points": 10,
        },
        {
            "kind": "rated",
            "name": "Accessibility and inclusion",
            "description": "Works for people without a smartphone, in English and French.",
            "weight": 20,
            "max_points": 10,
        },
        {
            "kind": "rated",
            "name": "Team, partners and delivery plan",
            "weight": 15,
            "max_points": 10,
        },
        {"kind": "price", "name": "Price", "weight": 30},
    ],
    "minimum_technical_score": 42,
    "combination": "consensus",
    "tie_break_order": ["technical", "price", "draw"],
}

DRAFT = {
    "title": "Clearer notices for planned water shut-offs",
    "summary": "Residents often learn about a planned water shut-off only when the tap runs dry.",
    "problem": (
        "When crews shut off a water main for repairs, we deliver paper notices door to door "
        "two days ahead. Tenants in larger buildings, shift workers and people who do not read "
        "English often miss them."
    ),
    "context": (
        "About 60 planned shut-offs a year, each affecting between 20 and 400 addresses. "
        "Notices are printed by the crew supervisor the day before."
    ),
}

WINTER = {
    "title": "Local solutions for downtown winter accessibility",
    "summary": (
        "Snow banks, icy curb cuts and blocked bus stops keep people with limited mobility at "
        "home for much of the winter. We want ideas that work on our streets."
    ),
    "problem": (
        "Between December and March, people who use wheelchairs, walkers or strollers, and many "
        "older residents, cannot reliably get around downtown. Curb cuts fill with ploughed snow, "
        "sidewalks refreeze overnight, and bus stops are cleared last."
    ),
    "context": (
        "Downtown has 38 km of sidewalk and 410 curb cuts. Sidewalks are cleared by two city "
        "crews and by property owners on some blocks. Complaints are logged by phone and rarely "
        "reach the crew on shift."
    ),
    "desired_outcomes": (
        "People with limited mobility can plan a downtown trip in winter and complete it. Crews "
        "know which crossings and stops matter most and when they are blocked."
    ),
    "constraints": (
        "Anything installed on the street must survive salt, ploughs and -30 °C. Personal "
        "information collected from residents stays in Canada."
    ),
    "success_measures": (
        "Share of priority curb cuts clear within 12 hours of a snowfall; number of accessibility "
        "complaints per storm; residents' own rating of winter trips in a follow-up survey."
    ),
    "affected_communities": (
        "Wheelchair and walker users, seniors, parents with strollers, people with low vision, "
        "downtown workers who rely on transit."
    ),
    "budget_min": Decimal("40000.00"),
    "budget_max": Decimal("120000.00"),
    "activities": [
        (
            40,
            "workshop",
            22,
            "Disability advocacy council, seniors' centre members, two crew supervisors",
            "Participants mapped the crossings they avoid. Most named the same eight corners; "
            "crews did not know four of them were a problem.",
        ),
        (
            26,
            "survey",
            214,
            "Residents who answered online or on paper at the library and city hall",
            "Six in ten respondents with a mobility aid skipped at least one trip a week last "
            "winter. Icy curb cuts were named more often than deep snow.",
        ),
        (
            9,
            "pop_up",
            57,
            "Passers-by at the Queen Street bus shelter and the farmers' market",
            "People tried a prototype of a report-a-blocked-crossing card. Many preferred calling "
            "a number to using an app.",
        ),
    ],
    "inputs": [
        (
            "experience",
            "Downtown",
            "I use a power chair. At the corner by the public library the curb cut is buried "
            "every time the plough passes, so I go three blocks round to cross.",
            "publish",
            "",
        ),
        (
            "idea",
            "Northside",
            "Could the buses tell the depot when a stop is blocked? The drivers see it first.",
            "publish",
            "",
        ),
        (
            "comment",
            "Southwest",
            "Heated sidewalks would solve this, at least on the main street.",
            "pending",
            "",
        ),
        (
            "idea",
            "Downtown",
            "A volunteer snow buddy program for seniors on the side streets near the river.",
            "pending",
            "",
        ),
    ],
}

SCHOOL_ROUTES = {
    "title": "Safer walking routes to school",
    "summary": (
        "Fewer children walk to school than ten years ago; parents say the routes feel unsafe."
    ),
    "problem": (
        "Parents drive children short distances because the walking routes cross busy roads "
        "without crossing guards, and drop-off traffic makes the school gates dangerous."
    ),
    "context": (
        "Eleven elementary schools, three of them on arterial roads. Crossing guard positions "
        "are hard to fill. Traffic counts exist for most intersections but not for school hours."
    ),
    "desired_outcomes": (
        "More children walk or cycle to school, and fewer near misses are reported at school "
        "crossings."
    ),
    "constraints": "No cameras that identify children. Works with the school district's calendar.",
    "success_measures": (
        "Share of pupils arriving on foot or by bike at the three pilot schools, measured each "
        "term; reported near misses at school crossings."
    ),
    "affected_communities": "Pupils, parents and caregivers, school staff, nearby residents.",
    "budget_min": Decimal("30000.00"),
    "budget_max": Decimal("90000.00"),
    "activities": [
        (
            30,
            "interview",
            14,
            "Principals and parent committee chairs of three schools",
            "Mornings are the problem; afternoons are spread out by after-school programs.",
        ),
        (
            18,
            "online",
            163,
            "Parents who answered through the school district's newsletter",
            "Parents would let children walk if an adult were at the two busiest crossings.",
        ),
    ],
}

FLOOD_ALERTS = {
    "title": "Flood-risk alerts for riverside neighbourhoods",
    "summary": (
        "Households near the river need earlier, clearer warnings during the spring freshet."
    ),
    "problem": (
        "During the spring freshet, residents of riverside streets learn about rising water from "
        "social media or neighbours. Our alerts reach those who signed up, about one in five "
        "households in the flood zone."
    ),
    "context": (
        "Roughly 1,900 households live in the mapped flood zone. River levels are published "
        "by the province every hour during the freshet."
    ),
    "desired_outcomes": (
        "Every household in the flood zone gets a warning it understands at least 24 hours "
        "before water is expected on its street, in English or French."
    ),
    "constraints": "Must work during power and cellular outages. Bilingual by default.",
    "success_measures": (
        "Share of flood-zone households reached by a test alert; time from a provincial forecast "
        "to the alert; residents' understanding measured after each freshet."
    ),
    "affected_communities": (
        "Riverside households, including tenants and seniors living alone; businesses on Water "
        "Street."
    ),
    "budget_min": Decimal("60000.00"),
    "budget_max": Decimal("180000.00"),
    "activities": [
        (
            55,
            "workshop",
            31,
            "Riverside residents' association, fire department, Red Cross volunteers",
            "Residents want one trusted source and a clear instruction, not a river level.",
        ),
        (
            42,
            "pop_up",
            48,
            "Households visited door to door on the three lowest streets",
            "Many older residents have no smartphone; landline calls and a knock on the door "
            "still matter.",
        ),
    ],
}

ENERGY = {
    "title": "Energy management for households in energy poverty",
    "summary": (
        "Help households that spend a large share of their income on energy lower their bills "
        "and stay warm, with tools they can actually use."
    ),
    "problem": (
        "About one household in five in the city spends more than 6% of its after-tax income "
        "on home energy. Many heat with electric baseboards in older, poorly insulated homes and "
        "cannot see which uses drive their bills until the bill arrives."
    ),
    "context": (
        "The utility offers time-of-use rates and a rebate program, but few low-income "
        "households take part. Community partners run a winter assistance fund that is used up "
        "by February each year. Smart meters are installed across the city."
    ),
    "desired_outcomes": (
        "Participating households understand and control their energy use, pay less for the "
        "same comfort, and are connected to the rebates and repairs they qualify for."
    ),
    "constraints": (
        "Household energy data is personal information: it stays in Canada, is used only for "
        "this service and is deleted on request. The solution must not require a smartphone."
    ),
    "success_measures": (
        "Average energy burden of participating households; number of households enrolled in "
        "rebate programs through the service; comfort reported by participants each winter."
    ),
    "affected_communities": (
        "Low-income tenants and homeowners, seniors on fixed incomes, newcomer families, "
        "households heating with electricity or oil."
    ),
    "budget_min": Decimal("75000.00"),
    "budget_max": Decimal("200000.00"),
    "activities": [
        (
            70,
            "interview",
            18,
            "Households referred by the food bank and the tenants' association",
            "Households ration heat in the evening and rarely know about the rebates. Several "
            "said a phone call works better for them than an app.",
        ),
        (
            56,
            "workshop",
            26,
            "Community partners, the utility's outreach team, a housing co-operative board",
            "Partners agreed on a simple referral path and asked that any tool work in English, "
            "French and Arabic.",
        ),
        (
            45,
            "survey",
            305,
            "Applicants to last winter's assistance fund",
            "Most respondents heat with baseboards and half rent their home, which limits what "
            "they can change themselves.",
        ),
    ],
    "inputs": [
        (
            "experience",
            "East End",
            "We keep the bedrooms at 15 degrees in January to afford the bill. The children "
            "sleep in the living room.",
            "publish",
            "",
        ),
    ],
}

# asker, question, outcome (answer | dismiss | pending), answer or reason
ENERGY_QUESTIONS = [
    (
        "vendor",
        "Will the city provide access to smart meter data for participating households, or "
        "must the vendor obtain each household's consent directly from the utility?",
        "answer",
        "Households give consent through the utility's existing data-sharing form; the city "
        "will help participants complete it. The vendor receives data only for households that "
        "have consented.",
    ),
    (
        "vendor2",
        "Can the proposal include minor home repairs such as weatherstripping, or is the "
        "challenge limited to energy management tools?",
        "answer",
        "Minor repairs may be part of a proposal if they are delivered with the energy "
        "management service and priced separately. Major retrofits are out of scope.",
    ),
    (
        "vendor",
        "Is the budget range inclusive of HST?",
        "dismiss",
        "Already answered in section 6 of the challenge statement: the budget range excludes HST.",
    ),
    (
        "vendor2",
        "How many households does the city expect to enrol in the first winter?",
        "pending",
        "",
    ),
]

# title, what changes, changes the terms, days the submission deadline moves (0: not at all)
ENERGY_ADDENDA = [
    (
        "Languages for participant materials",
        "Participant materials must be available in English and French; Arabic is welcome and "
        "will be considered in the rating of accessibility. This clarifies the constraints "
        "section and does not change the terms.",
        False,
        0,
    ),
    (
        "Submission deadline extended by one week",
        "Following requests from several vendors, the submission deadline moves one week later "
        "to give time to arrange partnerships with community organizations.",
        False,
        7,
    ),
]

WAYFINDING = {
    "title": "Digital wayfinding for transit riders",
    "summary": (
        "Riders struggle to find the right stop and know when the next bus comes, especially "
        "at transfer points."
    ),
    "problem": (
        "Our transit network has grown, but stops show only a route number. Riders new to the "
        "city, visitors and people with low vision have trouble finding the right stop at "
        "transfer points and knowing when their bus will come."
    ),
    "context": (
        "Nine routes, 14 transfer stops, buses with GPS since last year. Schedules are published "
        "as open data; real-time positions are not yet public."
    ),
    "desired_outcomes": (
        "Riders find their stop and know the next departure without a smartphone, in English "
        "and French, with audio for people with low vision."
    ),
    "constraints": "Signs must meet the city's accessibility standard for print and audio.",
    "success_measures": (
        "Missed transfers reported by riders; calls to the transit information line; rider "
        "satisfaction at the 14 transfer stops."
    ),
    "affected_communities": "Transit riders, newcomers, visitors, people with low vision.",
    "budget_min": Decimal("50000.00"),
    "budget_max": Decimal("140000.00"),
    "activities": [
        (
            130,
            "pop_up",
            64,
            "Riders at the King Street terminal during the morning rush",
            "Riders asked for the next departure time at the stop itself more than for an app.",
        ),
        (
            118,
            "workshop",
            15,
            "CNIB volunteers and riders with low vision",
            "Audio announcements must be triggered by the rider, not play all the time.",
        ),
    ],
}

# asker, question, answer, asked this many days ago
WAYFINDING_QUESTIONS = [
    (
        "vendor",
        "Will the city make real-time bus positions available to the selected vendor?",
        "Yes. The selected vendor will receive a real-time feed from the fleet's GPS system "
        "under a data-sharing agreement.",
        80,
    ),
    (
        "vendor2",
        "Do the signs need their own power supply, or is shelter power available?",
        "Eight of the 14 transfer stops have shelter power. Proposals must say how the other "
        "six will be powered.",
        75,
    ),
]

CURBSIDE = {
    "title": "Automated curbside collection scheduling",
    "summary": "Residents miss collection days when holidays and weather shift the schedule.",
    "problem": (
        "Collection days move after holidays and storms, and residents learn of the change too "
        "late. Missed collections lead to overflowing carts and hundreds of calls."
    ),
    "context": (
        "About 23,000 households on four collection routes. Schedule changes are posted on the "
        "website and social media."
    ),
    "desired_outcomes": "Residents know their next collection day, including changes, in time.",
    "constraints": "Must integrate with the collection contractor's route software.",
    "success_measures": "Missed-collection calls per month; carts left out on the wrong day.",
    "affected_communities": "All households with curbside collection.",
    "budget_min": Decimal("20000.00"),
    "budget_max": Decimal("60000.00"),
    "activities": [
        (
            60,
            "online",
            412,
            "Residents who answered the city's online consultation",
            "Most residents want a reminder the evening before, by text message or phone call.",
        ),
    ],
}

"""The demo's content: people, departments, challenges, questions, proposals, scores and the
pilot's measurements, as data. `seed_demo` (procurement/management/commands/seed_demo.py) takes
every step with it through the services; the documents vendors attach are the small PDFs in
`files/`, made from the titles and lines below by `make_pdfs.py`.

Invented for a fictional city; any likeness to a real call is by theme only.
"""

from decimal import Decimal

from core import roles

DEMO_PASSWORD = "demo-password-2026"

# username, first name, last name, roles, superuser, what the account shows
DEMO_USERS = [
    (
        "staff",
        "Morgan",
        "Leblanc",
        [roles.STAFF],
        False,
        "staff: owns most demo challenges, the award and its pilot",
    ),
    ("staff2", "Priya", "Raman", [roles.STAFF], False, "staff: owns the others"),
    (
        "approver",
        "Claire",
        "Doucet",
        [roles.STAFF, roles.APPROVER],
        False,
        "approver (never of their own challenges)",
    ),
    (
        "evaluator",
        "Tomas",
        "Nguyen",
        [roles.EVALUATOR],
        False,
        "evaluator: chairs the wayfinding and trail lighting panels",
    ),
    (
        "evaluator2",
        "Amira",
        "Haddad",
        [roles.EVALUATOR],
        False,
        "evaluator: second member of those panels",
    ),
    (
        "vendor",
        "Dana",
        "Okafor",
        [roles.VENDOR],
        False,
        "vendor: Riverbend Energy Co-op (won the trail lighting award)",
    ),
    (
        "vendor2",
        "Eli",
        "Martin",
        [roles.VENDOR],
        False,
        "vendor: Tidewater Software (asked for a debrief)",
    ),
    ("resident", "Rosa", "Arsenault", [], False, "resident"),
    (
        "partner",
        "Nadia",
        "Bélanger",
        [],
        False,
        "community partner: records paper and phone input for the winter accessibility challenge",
    ),
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
    "title_fr": "Des solutions locales pour l’accessibilité du centre-ville en hiver",
    "summary_fr": (
        "Les bancs de neige, les bateaux de trottoir glacés et les arrêts d’autobus mal dégagés "
        "gardent à la maison une bonne partie de l’hiver les personnes à mobilité réduite. Nous "
        "cherchons des idées qui fonctionnent dans nos rues."
    ),
    "problem_fr": (
        "De décembre à mars, les personnes en fauteuil roulant, avec une marchette ou une "
        "poussette, et bien des aînés, ne peuvent pas se déplacer au centre-ville de façon "
        "fiable. La neige poussée par les chasse-neige bloque les bateaux de trottoir, les "
        "trottoirs regèlent la nuit et les arrêts d’autobus sont dégagés en dernier."
    ),
    "context_fr": (
        "Le centre-ville compte 38 km de trottoirs et 410 bateaux de trottoir. Deux équipes de "
        "la Ville et, sur certains tronçons, les propriétaires déneigent les trottoirs. Les "
        "plaintes arrivent par téléphone et se rendent rarement à l’équipe en service."
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
    "title_fr": "Des trajets plus sûrs pour se rendre à l’école à pied",
    "summary_fr": (
        "Moins d’enfants marchent jusqu’à l’école qu’il y a dix ans; les parents trouvent les "
        "trajets peu sécuritaires."
    ),
    "problem_fr": (
        "Des parents reconduisent leurs enfants en auto sur de courtes distances parce que les "
        "trajets à pied traversent des rues achalandées sans brigadiers scolaires, et la "
        "circulation aux heures d’arrivée rend les abords des écoles dangereux."
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
    # The reach ledger: newcomer families are under target, and the owner says why.
    "reach": {
        "targets": {"low-income": 30, "newcomers": 25, "official-language-minority": 10},
        # Per activity, in order: participants per group (None: not recorded).
        "counts": [
            {"low-income": 4, "newcomers": 2, "official-language-minority": None},
            {"low-income": 38, "newcomers": 9, "official-language-minority": 12, "renters": 21},
        ],
        "gap_reason": (
            "Newcomer families rarely read the district newsletter, which is how most parents "
            "answered. During the call we will hold two sessions with the settlement agency, "
            "with interpreters, at the schools on the arterial roads."
        ),
    },
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

# Community partners of the challenge in co-design: (name, kind, groups served, role, what they
# do, co-hosted activities by index in WINTER["activities"], whether the demo "partner" account is
# their contact). The contact records input gathered on paper and by phone.
WINTER_PARTNERS = [
    (
        "Harbourside Newcomer Settlement Services",
        "newcomer",
        ["newcomers", "low-income"],
        "interpretation",
        "Interprets at workshops in Arabic, Dari and Spanish; hands out paper comment cards.",
        [0],
        False,
    ),
    (
        "Queen Street Seniors' Centre",
        "seniors",
        ["seniors", "disabilities"],
        "co_host",
        "Co-hosted the mapping workshop; takes residents' comments by phone on Tuesdays.",
        [0, 2],
        True,
    ),
    (
        "Downtown Tenants' Association",
        "tenants",
        ["renters", "low-income"],
        "outreach",
        "Knocks on doors in the towers along Water Street and brings paper surveys back.",
        [1],
        False,
    ),
]
# Input the partner's contact typed in: (source, kind, neighbourhood, name given, body, consent).
WINTER_OFFLINE_INPUTS = [
    (
        "paper",
        "experience",
        "Water Street",
        "",
        "Comment card: the ramp at the Water Street tower entrance is a sheet of ice by 7 a.m. "
        "The caretaker salts it at 10. I leave for work at 6:30.",
        True,
    ),
    (
        "phone",
        "idea",
        "Downtown",
        "Gérard",
        "Called the centre: put a phone number on every bus shelter to report a blocked stop. "
        "Not everyone has a cell phone with data, but most have a landline at home.",
        False,
    ),
]

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
    # prompt, guidance, word limit
    "response_questions": [
        (
            "How will riders know the next departure at the 14 transfer stops without a "
            "smartphone?",
            "Describe what a rider sees and hears at the stop, and how the information stays "
            "current when buses run late.",
            400,
        ),
        (
            "How will riders with low vision use your solution?",
            "Say how audio is triggered, in which languages, and how you tested it with riders.",
            300,
        ),
        (
            "How will the six stops without shelter power be served?",
            "",
            200,
        ),
        (
            "Who will deliver the work, and on what schedule?",
            "Name the team and partners and give the main milestones.",
            300,
        ),
    ],
}

# title, body, issued this many days after publication
WAYFINDING_ADDENDUM = (
    "Station list corrected",
    "Appendix B listed the King Street terminal twice and left out the Regent Mall stop. The "
    "corrected list has 14 stops; nothing else changes.",
    9,
)

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

SIDEWALKS = {
    "title": "Knowing when your sidewalk will be ploughed",
    "title_fr": "Savoir quand votre trottoir sera déneigé",
    "summary_fr": (
        "Les résidents ne savent pas si leur trottoir a été déneigé ni quand la chenillette "
        "passera; plusieurs restent chez eux ou marchent dans la rue."
    ),
    "problem_fr": (
        "Après une chute de neige, la Ville déneige 180 km de trottoirs selon un ordre de "
        "priorité, mais les résidents ne voient ni cet ordre ni où sont les chenillettes. Les "
        "personnes qui dépendent des trottoirs appellent la Ville, attendent chez elles ou "
        "marchent dans la rue."
    ),
    "summary": (
        "Residents cannot tell whether their sidewalk has been cleared or when the plough will "
        "come, so many stay home or walk on the road."
    ),
    "problem": (
        "After a snowfall the city clears 180 km of sidewalk in priority order, but residents "
        "cannot see that order or where the ploughs are. People who depend on sidewalks call "
        "the city, wait at home or walk on the road."
    ),
    "context": (
        "Eleven sidewalk ploughs with GPS units; priority routes published as a PDF map. About "
        "900 calls about sidewalk clearing each winter."
    ),
    "desired_outcomes": (
        "Residents know whether their sidewalk has been cleared and roughly when it will be, "
        "without having to call."
    ),
    "constraints": "Plough positions may be shown only after a delay of at least ten minutes.",
    "success_measures": "Calls about sidewalk clearing per storm; residents' rating of the map.",
    "affected_communities": "Pedestrians, people using mobility aids, school children, seniors.",
    "budget_min": Decimal("30000.00"),
    "budget_max": Decimal("80000.00"),
    "activities": [
        (
            70,
            "survey",
            188,
            "Residents who called about sidewalk clearing last winter",
            "Most want to know whether their own block is done, not to watch the ploughs live.",
        ),
    ],
    "response_questions": [
        ("How will residents find out when their sidewalk will be cleared?", "", 400),
        ("Who will deliver the work, and on what schedule?", "", 300),
    ],
}

# The demo vendors, each registered by its member: username -> vendor_register fields.
DEMO_VENDORS = {
    "vendor": {
        "legal_name": "Riverbend Community Energy Co-operative Ltd.",
        "operating_name": "Riverbend Energy Co-op",
        "business_number": "806127452 RT0001",
        "street_address": "41 Union Street",
        "city": "Riverbend",
        "province": "NB",
        "postal_code": "E3B 2K7",
        "website": "https://energy-coop.example.org",
        "size": "small",
        "is_local_business": True,
        "social_enterprise": True,
    },
    "vendor2": {
        "legal_name": "Tidewater Software Inc.",
        "operating_name": "Tidewater Software",
        "business_number": "741038525",
        "street_address": "12 King Street",
        "city": "Bridgewater",
        "province": "NS",
        "postal_code": "B4V 1A3",
        "website": "https://tidewater.example.com",
        "size": "micro",
        "women_owned": True,
    },
}

# prompt, guidance, word limit
ENERGY_RESPONSE_QUESTIONS = [
    (
        "How will your service reach households that do not use a smartphone or the internet?",
        "Describe the first contact, follow-up and how households ask for help.",
        400,
    ),
    (
        "How will you protect household energy data?",
        "Where it is stored, who can read it, how long it is kept and how it is deleted.",
        300,
    ),
    (
        "Which community partners will you work with, and what will each do?",
        "",
        300,
    ),
]

# The draft's answers, in the order of the questions ("" leaves one to finish).
ENERGY_DRAFT_ANSWERS = [
    "Households are referred by the food bank, the tenants' association and the utility's "
    "outreach team. Our energy coaches call each household within a week, in English, French "
    "or Arabic, and visit those who prefer it. Every household gets a printed winter plan and "
    "a phone number answered by a person.",
    "Meter data stays on servers in Canada operated by a Canadian provider. Only the household's "
    "coach and two analysts can read it; it is deleted 90 days after the household leaves the "
    "program, or on request.",
    "",
    # The questions the data governance record proposed and the owner accepted.
    "In Canada only: the platform runs in a Canadian cloud region (Montréal), with backups in "
    "Toronto. Our support staff in Moncton read data only through the same audited access.",
    "Within 30 days of the end, every household's readings and coaching notes in CSV and Green "
    "Button XML, with a signed statement that our copies and backups are deleted.",
]

# title, file name in files/, the lines that sample PDF shows (make_pdfs.py)
ENERGY_DRAFT_DOCUMENT = (
    "Outreach plan",
    "outreach-plan.pdf",
    [
        "Riverbend Energy Co-op: outreach plan for the first winter",
        "1. Referral partners and how a referral reaches a coach",
        "2. First call, home visit and the printed winter plan",
        "3. Rebate applications completed with the household",
    ],
)

# vendor username, hours before the deadline it was submitted, the proposal
WAYFINDING_PROPOSALS = [
    (
        "vendor",
        50,
        {
            "answers": [
                "Solar-powered e-paper signs at each of the 14 transfer stops show the next "
                "three departures per route, updated every 30 seconds from the fleet's GPS "
                "feed. When a bus runs more than three minutes late the sign says so in words.",
                "A large tactile button on each sign reads the departures aloud, in English or "
                "French, at a volume that adapts to street noise. We tested a prototype with "
                "six riders from the CNIB group at the King Street terminal.",
                "The six stops without shelter power get our co-op's solar and battery units, "
                "sized for five days without sun in December.",
                "Our installation crew of four, with a signage manufacturer in Moncton. Signs "
                "designed in month 1, installed in months 2 to 4, monitored for a year.",
            ],
            "document": (
                "Work plan",
                "work-plan.pdf",
                [
                    "Riverbend Energy Co-op: wayfinding work plan",
                    "Month 1: sign design and accessibility review with riders",
                    "Months 2-4: installation at the 14 transfer stops",
                    "Months 5-16: monitoring, repairs and monthly reports",
                ],
            ),
            "price": (
                Decimal("118500.00"),
                [
                    {"label": "Signs and installation", "amount": "86500.00"},
                    {"label": "Solar and battery units (6 stops)", "amount": "21000.00"},
                    {"label": "Monitoring and repairs, first year", "amount": "11000.00"},
                ],
            ),
        },
    ),
    (
        "vendor2",
        20,
        {
            "answers": [
                "Low-power LED signs show the next departures at each transfer stop, and a "
                "phone line answers with the next departures for any stop number printed on the "
                "pole. Both read the fleet's real-time feed through our open-source server.",
                "A push button at the sign plays the departures aloud at the eight stops with "
                "shelter power; at the other six, riders call the phone line, which works on any "
                "phone. English and French.",
                "Battery signs changed weekly by the transit crews, with a spare set charging at "
                "the garage.",
                "Two developers and a project lead; signs bought from a Nova Scotia supplier. "
                "Phone line in month 2, signs in months 3 and 4.",
            ],
            "document": (
                "Work plan",
                "tidewater-work-plan.pdf",
                [
                    "Tidewater Software: transit wayfinding plan",
                    "Month 2: departure phone line live for all stops",
                    "Months 3-4: signs at the 14 transfer stops",
                    "Open-source server, hosted in Canada",
                ],
            ),
            "price": (Decimal("96000.00"), []),
        },
    ),
]

WAYFINDING_SCREENING_NOTES = {
    "vendor": "Hosting in Montréal and backups in Toronto, stated in the work plan.",
    "vendor2": "Hosted on a Canadian cloud region; backups in the same region.",
}

# evaluator -> vendor -> (points, rationale) per rated criterion, in the plan's order
WAYFINDING_SCORES = {
    "evaluator": {
        "vendor": [
            ("8", "Answers the riders' request for departures at the stop itself."),
            ("7", "Rider-triggered audio, tested with riders; no third language."),
            ("7", "Small local crew with a named manufacturer; tight installation window."),
        ],
        "vendor2": [
            ("7", "Sound approach; the phone line covers every stop, not only transfers."),
            ("9", "Audio at the stop or by phone, for riders with or without a phone."),
            ("6", "Small team; the schedule depends on one supplier."),
        ],
    },
    "evaluator2": {
        "vendor": [
            ("7", "Good fit with what riders said at the pop-up."),
            ("7", "Tactile button and adaptive volume meet the workshop's request."),
            ("8", "Clear milestones and a year of monitoring."),
        ],
        "vendor2": [
            ("7", "Good use of the real-time feed."),
            (
                "2",
                "Six stops have no audio at the sign; riders must call, which is not "
                "what the low-vision workshop asked for.",
            ),
            ("6", "Weekly battery changes add work for the transit crews."),
        ],
    },
}

STREETLIGHTS = {
    "title": "Smarter lighting for the riverfront trail",
    "summary": (
        "The riverfront trail is lit all night at full power, yet people still avoid its dark "
        "patches after sunset. We want light where and when people need it, and less of it "
        "everywhere else."
    ),
    "problem": (
        "The 3.1 km riverfront trail and the four streets that meet it are lit from dusk to "
        "dawn by 240 high-pressure sodium lights, most of them over 25 years old. They burn as "
        "much electricity as 80 homes, throw light into the marsh and into bedrooms along the "
        "trail, and still leave dark patches at the underpasses and entrances, where people "
        "say they do not feel safe."
    ),
    "context": (
        "The lights are on six metered circuits, read monthly. Two automatic counters at the "
        "entrances count trail users; about a fifth of trips happen after dark, more in "
        "winter. The poles were replaced in 2019 and stay."
    ),
    "desired_outcomes": (
        "The path is evenly lit whenever someone is on it, with much less energy used and "
        "less light spilling over the marsh and into homes. People feel safe walking and "
        "cycling the trail after dark."
    ),
    "constraints": (
        "The first year's budget is fixed at $165,000, taxes included; proposals compete on "
        "quality within it. Light on the path must meet the city's lighting standard whenever "
        "someone is on it, and lights return to full power if the controls fail. Sensors count "
        "people; they never record images, and any data stays in Canada."
    ),
    "success_measures": (
        "Electricity used by the trail's lights each month; share of trail users who say they "
        "feel safe after dark; complaints about light shining into homes and over the marsh."
    ),
    "affected_communities": (
        "People who walk, run or cycle the trail after dark, shift workers going home, "
        "residents of the homes along the trail, the marsh conservation group."
    ),
    "budget_min": Decimal("100000.00"),
    "budget_max": Decimal("165000.00"),
    "activities": [
        (
            330,
            "workshop",
            31,
            "Residents on a night walk of the trail with the women's safety network",
            "Walkers marked eleven dark patches, most at underpasses and entrances, and asked "
            "for light that follows people rather than more glare.",
        ),
        (
            318,
            "survey",
            246,
            "Trail users at the two entrances and online",
            "Two in five trail users avoid the trail after dark; most of those who do use it "
            "after dark cycle or walk in groups.",
        ),
        (
            305,
            "interview",
            6,
            "The marsh conservation group and two neighbours whose homes face the trail",
            "Light over the water disturbs nesting birds in spring; neighbours see the trail "
            "lights from their bedrooms.",
        ),
    ],
    # prompt, guidance, word limit
    "response_questions": [
        (
            "How will the trail be lit when people are on it, and how will energy use fall "
            "when nobody is?",
            "Describe what a walker sees at night, and how the lights respond to people on "
            "foot and on bicycles.",
            400,
        ),
        (
            "How will people who feel unsafe after dark, and people with low vision, be served?",
            "Say how you tested your approach and with whom.",
            300,
        ),
        ("How will light over the marsh and into homes be reduced?", "", 200),
        (
            "Who will deliver the work, and on what schedule?",
            "Name the team and partners and give the main milestones.",
            300,
        ),
    ],
}

# The first year's budget is fixed, so proposals compete on quality alone; prices are still
# sealed until the consensus is locked, and the awarded price is published once final.
STREETLIGHTS_EVALUATION_PLAN = {
    "criteria": [
        {
            "kind": "mandatory",
            "name": "Personal information stays in Canada",
            "description": "Any data on trail users is stored in Canada; pass or fail.",
        },
        {
            "kind": "rated",
            "name": "Light where people need it, and energy saved",
            "description": (
                "How well the path is lit for the people on it, and how much less energy the "
                "trail uses."
            ),
            "weight": 60,
            "max_points": 10,
        },
        {
            "kind": "rated",
            "name": "Safety, accessibility and light spill",
            "description": (
                "Tested with people who feel unsafe after dark and people with low vision; "
                "light kept off the marsh and out of homes."
            ),
            "weight": 40,
            "max_points": 10,
        },
    ],
    "minimum_technical_score": 60,
    "combination": "consensus",
    "tie_break_order": ["technical", "price", "draw"],
}

# asker, question, answer, asked this many days ago
STREETLIGHTS_QUESTIONS = [
    (
        "vendor2",
        "May the selected vendor replace the poles, or only the fixtures and controls?",
        "Only the fixtures and controls. The poles were replaced in 2019 and stay in place.",
        248,
    ),
    (
        "vendor",
        "Can vendors see the trail counters' data before proposing?",
        "Yes. Monthly counts from both counters for the last three years are published on the "
        "city's open data portal.",
        240,
    ),
]

# vendor username, hours before the deadline it was submitted, the proposal
STREETLIGHTS_PROPOSALS = [
    (
        "vendor",
        30,
        {
            "answers": [
                "Shielded LED fixtures replace the 240 sodium lights. Each dims to 30% when "
                "the path is empty and returns to full power a few poles ahead of a walker or "
                "cyclist, so nobody walks into the dark. We expect the trail to use about 45% "
                "less electricity than today.",
                "The path never goes dark, and the light ahead of a person is always at full "
                "power. We walked a prototype section with members of the women's safety "
                "network and with two people with low vision, and changed the ramp-up distance "
                "after their comments.",
                "Full cut-off fixtures send no light above the horizontal; house-side shields on "
                "the 38 poles facing homes; warm light along the marsh.",
                "Two of our electricians with a fixture supplier in Dieppe. Entrances and "
                "underpasses in month 1, the rest of the trail by month 3, then a year of "
                "monitoring with monthly reports.",
            ],
            "document": (
                "Work plan",
                "trail-lighting-plan.pdf",
                [
                    "Riverbend Energy Co-op: riverfront trail lighting plan",
                    "Month 1: entrances and underpasses relit",
                    "Months 2-3: the rest of the trail, dimming tuned",
                    "Months 4-15: monitoring, energy reports, repairs",
                ],
            ),
            "price": (
                Decimal("158400.00"),
                [
                    {"label": "Shielded LED fixtures (240)", "amount": "104400.00"},
                    {"label": "Motion sensors and dimming controls", "amount": "38000.00"},
                    {"label": "Installation and first-year monitoring", "amount": "16000.00"},
                ],
            ),
        },
    ),
    (
        "vendor2",
        6,
        {
            "answers": [
                "Wireless control nodes on the existing fixtures dim the trail gradually after "
                "midnight and raise the light when the entrance counters see people coming. A "
                "public web map shows the light level on each section.",
                "Dimming is gradual, so the trail never changes suddenly, and the map lets "
                "people check the lighting before they set out. The map meets WCAG 2.1 AA.",
                "The schedule dims the lights nearest the marsh first and furthest.",
                "A project lead and two developers; the city's electrical contractor installs "
                "the nodes. Map in month 1, nodes by month 2.",
            ],
            "document": (
                "Work plan",
                "tidewater-trail-plan.pdf",
                [
                    "Tidewater Software: trail lighting controls",
                    "Month 1: control platform and public map",
                    "Month 2: control nodes on the 240 fixtures",
                    "Open-source platform, hosted in Canada",
                ],
            ),
            "price": (
                Decimal("121000.00"),
                [
                    {"label": "Control nodes on existing fixtures (240)", "amount": "84000.00"},
                    {"label": "Control platform and public map, first year", "amount": "22000.00"},
                    {"label": "Installation support", "amount": "15000.00"},
                ],
            ),
        },
    ),
]

STREETLIGHTS_SCREENING_NOTES = {
    "vendor": "Counts stored on the co-op's servers in New Brunswick; sensors record no images.",
    "vendor2": "Platform hosted in a Canadian cloud region; counts only, no images.",
}

# evaluator -> vendor -> (points, rationale) per rated criterion, in the plan's order
STREETLIGHTS_SCORES = {
    "evaluator": {
        "vendor": [
            ("8", "Light that follows people is what walkers asked for; the larger saving."),
            ("8", "Tested with the safety network and people with low vision; shielded."),
        ],
        "vendor2": [
            ("7", "Good use of the counters; sodium lamps dim poorly, so savings are limited."),
            ("6", "The map helps people plan, but the old fixtures still light up homes."),
        ],
    },
    "evaluator2": {
        "vendor": [
            ("9", "Lights come up ahead of walkers and cyclists; about 45% less energy."),
            ("7", "Good testing; how fast the lights respond to cyclists is not shown."),
        ],
        "vendor2": [
            ("7", "Gradual dimming avoids the sudden darkness walkers feared."),
            ("5", "Light over the marsh is unchanged; nothing was tested with trail users."),
        ],
    },
}

# vendor -> (points, rationale) the panel agreed per rated criterion, in the plan's order
STREETLIGHTS_CONSENSUS = {
    "vendor": [
        ("8", "Agreed: light follows people, with the larger energy saving."),
        ("8", "Agreed: tested with the people most concerned; light kept off the marsh."),
    ],
    "vendor2": [
        ("7", "Agreed: sound controls; savings limited by the sodium fixtures."),
        ("6", "Agreed: gradual dimming helps; light spill is unchanged."),
    ],
}

STREETLIGHTS_RECOMMENDATION = (
    "Ranked first. Light that follows people on the path is what residents asked for on the "
    "night walk, and shielded fixtures keep light off the marsh and out of homes."
)

STREETLIGHTS_DEBRIEF = (
    "We would like to understand how our approach to light over the marsh was scored, and "
    "what would have made our proposal stronger."
)

# When the evaluation's and the award's steps are dated, in days before today: after the
# closing (STREETLIGHTS closed 210 days ago) and before the pilot starts.
STREETLIGHTS_DECISION_DAYS_AGO = {
    "assigned": 205,
    "declared": 203,
    "scores_due": 190,
    "scores_submitted": 192,
    "decided": 184,
    "recommended": 181,
    "approved": 177,
    "notified": 173,
    "debrief_requested": 168,
}

# The pilot starts and ends this many days from today.
STREETLIGHTS_PILOT_DAYS = (-130, 235)

# title, due in this many days, done in this many days (None: not done)
# Residents' feedback on the running pilot, given without an account (name, neighbourhood, text,
# published by the owner).
STREETLIGHTS_FEEDBACK = [
    (
        "Lucie",
        "Northside",
        "The new lights on my street dim after midnight, but they come back on when I walk home. "
        "I feel as safe as before.",
        True,
    ),
    (
        "",
        "Riverside",
        "The light by the bus shelter on King Street has been dim for a week.",
        False,
    ),
]
STREETLIGHTS_MILESTONES = [
    ("Trail entrances and the two underpasses relit", -100, -104),
    ("Light reaching the homes facing the trail measured", -16, None),
    ("Six-month review with trail users and the marsh group", 9, None),
]

# indicator_add fields, then (measured this many days from today, value, source)
STREETLIGHTS_INDICATORS = [
    (
        {
            "name": "Electricity used by the trail's lights",
            "success_measure": "Electricity used by the trail's lights each month.",
            "unit": "kWh per month",
            "baseline": Decimal("16800"),
            "target": Decimal("9500"),
        },
        [
            (-118, Decimal("15900"), "Utility bill, six trail circuits; dimming not yet on"),
            (-88, Decimal("12400"), "Utility bill, six trail circuits; dimming at the entrances"),
            (-57, Decimal("10900"), "Utility bill, six trail circuits; dimming on the whole trail"),
            (-27, Decimal("10200"), "Utility bill, six trail circuits; longer nights"),
        ],
    ),
    (
        {
            "name": "Trail users who feel safe after dark",
            "success_measure": "Share of trail users who say they feel safe after dark.",
            "unit": "%",
            "baseline": Decimal("58"),
            "target": Decimal("75"),
        },
        [
            (-110, Decimal("61"), "Intercept survey at both trail entrances, 84 responses"),
            (-75, Decimal("67"), "Intercept survey at both trail entrances, 102 responses"),
            (-40, Decimal("72"), "Intercept and online survey, 131 responses"),
            (-8, Decimal("76"), "Intercept survey at both trail entrances, 97 responses"),
        ],
    ),
]


# Data governance records (docs/data-governance.md), written through the services by each
# challenge's owner while its statement is editable. Every challenge past draft has one. Keyed
# by challenge title; "decided_days_ago" dates decisions before the challenge's review.
# "documents": (title, file name in files/, kind, lines for make_pdfs.py).

PIA_COMPLETED_DAYS_AGO = 21

GOVERNANCE = {
    WINTER["title"]: {
        "record": {
            "legal_authority": "Municipal Government Act, s. 7 (municipal services and safety).",
            "retention_period": "Complaints kept two years, then deleted.",
            "storage_location": "in_canada",
            "assessment_status": "not_started",
            "open_standards": "Curb cut inventory in GeoJSON; complaint feed through Open311.",
            "accessibility_standard": "can_asc_en301549",
            "exit_data_return": True,
            "exit_formats": "GeoJSON, CSV",
        },
        "assets": [
            {
                "name": "Winter accessibility complaints",
                "description": (
                    "Calls and web reports about blocked curb cuts and bus stops, with the "
                    "location and the time; the caller's name is removed before crews see it."
                ),
                "sensitivity": "deidentified",
                "about_residents_location_or_devices": True,
                "provided_by": "311 contact centre",
                "produced_data_owner": "The municipality",
            },
            {
                "name": "Curb cut and bus stop inventory",
                "description": "The 410 downtown curb cuts and 62 bus stops, with their priority.",
                "sensitivity": "none",
                "provided_by": "Public Works asset registry",
                "produced_data_owner": "The municipality",
                "open_data": True,
                "licence": "municipal",
                "open_format": "GeoJSON",
            },
        ],
        "sharings": [],
        "decisions": [
            {
                "topic": "privacy",
                "decision": "Crews see the location of a complaint, never who made it.",
                "reason": "Residents told us they would not call if their name reached the crew.",
                "decided_by": "Director, Community Services",
                "decided_days_ago": 12,
            },
        ],
    },
    SCHOOL_ROUTES["title"]: {
        "record": {
            "legal_authority": "Municipal Government Act, s. 7; consent of each parent.",
            "retention_period": "Survey answers deleted at the end of the school year.",
            "storage_location": "mixed",
            "storage_reason": (
                "The school district's survey tool keeps answers on servers in the United "
                "States; the district has no Canadian option this school year."
            ),
            "assessment_status": "in_progress",
            "open_standards": "Routes and crossings published in GeoJSON.",
            "accessibility_standard": "wcag21aa",
            "exit_data_return": True,
            "exit_formats": "GeoJSON, CSV",
            "exit_plan": "Crossing counts and routes are returned within 30 days of the end.",
        },
        "assets": [
            {
                "name": "Parents' route survey",
                "description": (
                    "The streets each child walks or is driven along, given by their parents, "
                    "with the school and the grade."
                ),
                "sensitivity": "deidentified",
                "about_residents_location_or_devices": True,
                "provided_by": "Riverbend School District",
                "produced_data_owner": "The municipality",
            },
            {
                "name": "Crossing counts at school hours",
                "description": "Pedestrians, cyclists and vehicles at 24 crossings, 7:30 to 9:00.",
                "sensitivity": "none",
                "provided_by": "The vendor's counters",
                "produced_data_owner": "The municipality",
                "open_data": True,
                "licence": "ogl_canada",
                "open_format": "CSV",
            },
        ],
        "sharings": [
            {
                "party": "Riverbend School District",
                "data": "Crossing counts and near-miss reports",
                "purpose": "Plan crossing guard positions and school travel plans.",
                "agreement_status": "drafting",
            },
        ],
        "decisions": [
            {
                "topic": "data",
                "decision": "No cameras: counters that detect movement only.",
                "reason": "Parents and principals refused any camera that could identify a child.",
                "decided_by": "Manager, Transportation Engineering",
                "decided_days_ago": 20,
            },
        ],
    },
    FLOOD_ALERTS["title"]: {
        "record": {
            "legal_authority": "Emergency Measures Act, s. 10; Municipal Government Act, s. 7.",
            "retention_period": "Contact details kept while the household stays subscribed.",
            "storage_location": "in_canada",
            "assessment_status": "in_progress",
            "open_standards": (
                "Alerts in the Common Alerting Protocol (CAP-CP); river levels read from the "
                "province's open API."
            ),
            "automated_decisions": True,
            "impact_level": 2,
            "impact_explanation": (
                "The system chooses which streets receive an alert from the forecast river "
                "level. A wrong choice can delay a warning, but an on-call emergency manager "
                "confirms every alert before it is sent and can add streets by hand; the "
                "thresholds are reviewed after each freshet."
            ),
            "accessibility_standard": "wcag22aa",
            "exit_data_return": True,
            "exit_formats": "CSV, CAP-CP XML",
            "source_code": "escrow",
            "exit_plan": "The subscriber list and alert history come back within 15 days.",
        },
        "assets": [
            {
                "name": "Alert subscribers",
                "description": (
                    "Names, addresses, phone numbers and preferred language of households that "
                    "subscribe, and whether someone needs help to leave."
                ),
                "sensitivity": "identifiable",
                "provided_by": "Residents, when they subscribe",
                "produced_data_owner": "The municipality",
            },
            {
                "name": "Flood zone street segments",
                "description": (
                    "The streets in the mapped flood zone, with the level that floods them."
                ),
                "sensitivity": "none",
                "provided_by": "Emergency Management",
                "produced_data_owner": "The municipality",
                "open_data": True,
                "licence": "ogl_canada",
                "open_format": "GeoJSON",
            },
        ],
        "sharings": [
            {
                "party": "Riverbend Fire Department",
                "data": "Households that need help to leave",
                "purpose": "Knock on those doors first when an evacuation is ordered.",
                "agreement_status": "signed",
                "confidential": True,
                "confidential_reason": (
                    "Says where people who cannot leave alone live; published only as a count."
                ),
            },
        ],
        "decisions": [
            {
                "topic": "technology",
                "decision": "A person confirms every alert before it is sent.",
                "reason": (
                    "Keeps the impact level moderate: no resident is warned or skipped by the "
                    "system alone."
                ),
                "decided_by": "Emergency Management Coordinator",
                "decided_days_ago": 35,
            },
        ],
    },
    ENERGY["title"]: {
        "record": {
            "legal_authority": (
                "Municipal Government Act, s. 7; written consent of each household that joins "
                "the program."
            ),
            "retention_period": "Two years after the household leaves the program, then deleted.",
            "storage_location": "in_canada",
            "assessment_status": "completed",
            "assessment_completed_days_ago": PIA_COMPLETED_DAYS_AGO,
            "open_standards": "Meter readings through Green Button; exports in CSV.",
            "accessibility_standard": "wcag21aa",
            "exit_data_return": True,
            "exit_formats": "CSV, Green Button XML",
            "source_code": "none",
            "exit_plan": (
                "The vendor returns every household's data in open formats within 30 days and "
                "certifies that its copies are deleted."
            ),
        },
        "assets": [
            {
                "name": "Enrolled households",
                "description": (
                    "Name, address, household size and income band of each household that joins, "
                    "with its consent."
                ),
                "sensitivity": "identifiable",
                "provided_by": "Residents, when they enrol",
                "produced_data_owner": "The municipality",
            },
            {
                "name": "Hourly electricity use",
                "description": "Smart meter readings of enrolled homes, by hour.",
                "sensitivity": "identifiable",
                "about_residents_location_or_devices": True,
                "provided_by": "Riverbend Hydro",
                "produced_data_owner": "Each household; the municipality holds a licence to use it",
            },
            {
                "name": "Energy savings by neighbourhood",
                "description": "Monthly savings of the program, summed by neighbourhood.",
                "sensitivity": "aggregate",
                "provided_by": "The vendor",
                "produced_data_owner": "The municipality",
                "open_data": True,
                "licence": "ogl_canada",
                "open_format": "CSV",
            },
        ],
        "sharings": [
            {
                "party": "Riverbend Hydro",
                "data": "Meter numbers of enrolled households",
                "purpose": "Send their hourly readings to the program.",
                "agreement_status": "signed",
            },
            {
                "party": "Provincial low-income energy assistance program",
                "data": "Names and income bands of households referred to the program",
                "purpose": "Refer eligible households to bill assistance they do not yet receive.",
                "agreement_status": "drafting",
                "confidential": True,
                "confidential_reason": (
                    "The agreement is still being negotiated with the province."
                ),
            },
        ],
        "decisions": [
            {
                "topic": "privacy",
                "decision": "Households join only with written consent and may leave at any time.",
                "reason": (
                    "Energy use reveals when people are home; residents must choose to share it."
                ),
                "decided_by": "Council's Climate Committee",
                "decided_days_ago": 45,
            },
            {
                "topic": "openness",
                "decision": "Savings are published by neighbourhood, never by household.",
                "reason": (
                    "Neighbourhoods have at least 40 enrolled homes, so no home can be singled out."
                ),
                "decided_by": "Open Data Lead",
                "decided_days_ago": 30,
            },
        ],
        "documents": [
            (
                "Privacy impact assessment: household energy program",
                "energy-privacy-impact-assessment.pdf",
                "x_privacyImpactAssessment",
                [
                    "Program: energy management for households in energy poverty.",
                    "Personal information: names, addresses, income bands, hourly meter data.",
                    "Authority: Municipal Government Act, s. 7, and each household's consent.",
                    "Storage: in Canada only. Retention: two years after leaving the program.",
                    "Risks found: re-identification from hourly readings; referral lists.",
                    "Mitigations: consent, neighbourhood totals of 40 homes or more, "
                    "access limited to the program team, deletion certified at exit.",
                    "Conclusion: the program may proceed with these mitigations.",
                ],
            ),
        ],
    },
    CURBSIDE["title"]: {
        "record": {
            "legal_authority": "Municipal Government Act, s. 7 (solid waste services).",
            "retention_period": "While the resident keeps the reminder, then deleted.",
            "storage_location": "in_canada",
            "assessment_status": "in_progress",
            "open_standards": "Collection calendar published in iCalendar and CSV.",
            "accessibility_standard": "wcag21aa",
            "exit_data_return": True,
            "exit_formats": "CSV, iCalendar",
        },
        "assets": [
            {
                "name": "Reminder subscriptions",
                "description": (
                    "Address and e-mail or phone number of residents who want reminders."
                ),
                "sensitivity": "identifiable",
                "provided_by": "Residents",
                "produced_data_owner": "The municipality",
            },
        ],
        "sharings": [],
        "decisions": [],
    },
    WAYFINDING["title"]: {
        "record": {
            "legal_authority": "Municipal Government Act, s. 7 (public transit).",
            "retention_period": "Trip counts kept five years; device identifiers never stored.",
            "storage_location": "in_canada",
            "assessment_status": "completed",
            "assessment_completed_days_ago": 160,
            "open_standards": "Schedules in GTFS and real time in GTFS Realtime.",
            "accessibility_standard": "can_asc_en301549",
            "exit_data_return": True,
            "exit_formats": "GTFS, CSV",
            "source_code": "open_source",
        },
        "assets": [
            {
                "name": "Stop and route data",
                "description": "Stops, routes and timetables of the transit network.",
                "sensitivity": "none",
                "provided_by": "Transit and Parking",
                "produced_data_owner": "The municipality",
                "open_data": True,
                "licence": "ogl_canada",
                "open_format": "GTFS",
            },
            {
                "name": "Sign interactions",
                "description": "Counts of touches and audio requests at each sign, by hour.",
                "sensitivity": "aggregate",
                "about_residents_location_or_devices": True,
                "provided_by": "The vendor's signs",
                "produced_data_owner": "The municipality",
            },
        ],
        "sharings": [],
        "decisions": [
            {
                "topic": "technology",
                "decision": "The signs' software is released under an open-source licence.",
                "reason": "Other towns in the region can reuse it; we are not tied to one vendor.",
                "decided_by": "Director, Transit and Parking",
                "decided_days_ago": 150,
            },
        ],
        "documents": [
            (
                "Privacy impact assessment: transit wayfinding signs",
                "wayfinding-privacy-impact-assessment.pdf",
                "x_privacyImpactAssessment",
                [
                    "Signs count touches and audio requests; they hold no camera or microphone.",
                    "No device identifier is read or stored. Counts are kept by hour.",
                    "Conclusion: low risk; no further measures needed.",
                ],
            ),
        ],
    },
    SIDEWALKS["title"]: {
        "record": {
            "storage_location": "in_canada",
            "open_standards": "Plough positions published in GeoJSON every five minutes.",
            "accessibility_standard": "wcag21aa",
            "exit_data_return": True,
            "exit_formats": "GeoJSON, CSV",
        },
        "assets": [
            {
                "name": "Sidewalk plough positions",
                "description": "Where each sidewalk plough is, every five minutes during a storm.",
                "sensitivity": "none",
                "provided_by": "GPS units on city ploughs",
                "produced_data_owner": "The municipality",
                "open_data": True,
                "licence": "municipal",
                "open_format": "GeoJSON",
            },
        ],
        "sharings": [
            {
                "party": "Sidewalk clearing contractor (east wards)",
                "data": "Plough positions of its own machines",
                "purpose": "The contractor's machines appear on the same map.",
                "agreement_status": "signed",
            },
        ],
        "decisions": [
            {
                "topic": "privacy",
                "decision": "Operators' names are never attached to plough positions.",
                "reason": "The map shows the service, not who drives; agreed with the union.",
                "decided_by": "Manager, Public Works operations",
                "decided_days_ago": 70,
            },
        ],
    },
    STREETLIGHTS["title"]: {
        "record": {
            "storage_location": "in_canada",
            "open_standards": (
                "Lights controlled through the TALQ standard; counts and energy use exported "
                "in CSV through a documented API."
            ),
            "accessibility_standard": "not_applicable",
            "exit_data_return": True,
            "exit_formats": "CSV",
            "source_code": "escrow",
            "exit_plan": (
                "If the vendor leaves, the controls fall back to full power and the city "
                "receives the dimming schedules and all data in CSV within 30 days."
            ),
        },
        "assets": [
            {
                "name": "Trail user counts",
                "description": (
                    "People passing each light's motion sensor, by hour; sensors detect movement "
                    "and record no image."
                ),
                "sensitivity": "none",
                "about_residents_location_or_devices": True,
                "provided_by": "The vendor's sensors",
                "produced_data_owner": "The municipality",
                "open_data": True,
                "licence": "ogl_canada",
                "open_format": "CSV",
            },
            {
                "name": "Light levels and energy use",
                "description": "Each light's dimming level and the circuits' electricity use.",
                "sensitivity": "none",
                "provided_by": "The vendor's controllers and Riverbend Hydro meters",
                "produced_data_owner": "The municipality",
            },
        ],
        "sharings": [
            {
                "party": "Riverfront Marsh Conservation Group",
                "data": "Light levels near the marsh",
                "purpose": "Study the effect of less light on nesting birds.",
                "agreement_status": "signed",
            },
        ],
        "decisions": [
            {
                "topic": "data",
                "decision": "Sensors detect movement only; no cameras on the trail.",
                "reason": "Residents along the trail asked not to be filmed in their yards.",
                "decided_by": "Director, Climate and Energy",
                "decided_days_ago": 300,
            },
            {
                "topic": "openness",
                "decision": "Hourly trail counts are published as open data during the pilot.",
                "reason": "Trail users and the marsh group asked to follow the pilot themselves.",
                "decided_by": "Open Data Lead",
                "decided_days_ago": 290,
            },
        ],
        "documents": [],
    },
}


# Documents the municipality attaches to a challenge (while its statement is editable) or to an
# addendum (before it is issued): (attached to, title, file name in files/, kind, lines).
# Addendum documents name their addendum by its title.
MUNICIPAL_DOCUMENTS = {
    ENERGY["title"]: [
        (
            "challenge",
            "Energy poverty in Riverbend: 2025 household survey summary",
            "energy-poverty-survey-summary.pdf",
            "x_backgroundData",
            [
                "1,240 households answered the 2025 household energy survey.",
                "About 14% spend more than 6% of their after-tax income on home energy.",
                "Most are tenants in buildings heated with electric baseboards.",
                "Three in four have never heard of the provincial bill assistance program.",
            ],
        ),
        (
            "Languages for participant materials",
            "Participant materials: language requirements",
            "energy-addendum-languages.pdf",
            "clarifications",
            [
                "Participant materials: letters, guides, the phone line's recorded messages.",
                "Required in English and French. Arabic welcome; rated under accessibility.",
                "This clarifies the constraints and does not change the terms.",
            ],
        ),
    ],
    STREETLIGHTS["title"]: [
        (
            "challenge",
            "Trail lighting circuits and counts, 2024",
            "trail-lighting-background.pdf",
            "x_backgroundData",
            [
                "Six metered circuits, 240 high-pressure sodium lights on 2019 poles.",
                "Electricity use: 16,800 kWh a month on average in 2024.",
                "Trail counters: 412,000 trips in 2024, a fifth of them after dark.",
            ],
        ),
        (
            "challenge",
            "Draft contract: trail lighting pilot",
            "trail-lighting-draft-contract.pdf",
            "contractDraft",
            [
                "Draft terms the winning vendor signs; the data terms follow the data "
                "governance record.",
                "Data: all counts and energy data belong to the municipality and stay in Canada.",
                "Open data: hourly trail counts published under the Open Government Licence "
                "- Canada.",
                "Exit: lights fall back to full power; data returned in CSV within 30 days.",
            ],
        ),
    ],
}


# The trail lighting contract, drafted from the award and its data governance record: signed this
# many days after the award was made final, for the pilot's period; its signed copy.
STREETLIGHTS_CONTRACT_SIGNED_DAYS_AFTER_FINAL = 3
STREETLIGHTS_SIGNED_CONTRACT = (
    "Trail lighting pilot: signed contract",
    "trail-lighting-signed-contract.pdf",
    [
        "Between the City of Riverbend and Riverbend Energy Co-op.",
        "Scope: adaptive lighting of the riverfront trail, its entrances and underpasses.",
        "Data terms, from the data governance record:",
        "- All counts, light levels and energy data belong to the city and stay in Canada.",
        "- Hourly trail counts are published as open data (Open Government Licence - Canada, CSV).",
        "- Light levels near the marsh are shared with the Riverfront Marsh Conservation Group.",
        "- At the end, all data is returned in CSV within 30 days; the control software is "
        "held in escrow.",
        "Signed for the city by the Director, Climate and Energy, and for the vendor by its "
        "general manager.",
    ],
)


# What the owner accepts of what the energy challenge's record proposes, before review: response
# questions (added after ENERGY_RESPONSE_QUESTIONS) and evaluation criteria (by their keys).
ENERGY_ACCEPTED_QUESTIONS = ["data_location", "exit_data_return"]
ENERGY_ACCEPTED_CRITERIA = ["exit_open_formats"]


# Who follows which challenge with their account, and in which language they get the news.
FOLLOWS = [
    ("resident", WINTER["title"], "fr"),
    ("resident", ENERGY["title"], "en"),
    ("resident", STREETLIGHTS["title"], "en"),
    ("vendor", ENERGY["title"], "en"),
]


# "You said, we did" on the awarded challenge: (title, you said, outcome, we did), each in
# English and French.
STREETLIGHTS_THEMES = [
    (
        ("Dark patches at underpasses and entrances",
         "Zones sombres aux passages inférieurs et aux entrées"),
        ("On the night walk, residents marked eleven dark patches, most of them at the "
         "underpasses and the trail's entrances, and asked for light that follows people "
         "rather than more glare.",
         "Lors de la marche de nuit, les résidents ont repéré onze zones sombres, surtout aux "
         "passages inférieurs et aux entrées du sentier, et ont demandé une lumière qui suit "
         "les gens plutôt qu’un éclairage plus éblouissant."),
        "statement",
        ("The statement asks for even light whenever someone is on the path; the pilot's "
         "first milestone relit the entrances and the two underpasses.",
         "L’énoncé demande un éclairage uniforme dès qu’une personne est sur le sentier; le "
         "premier jalon du projet pilote a rééclairé les entrées et les deux passages "
         "inférieurs."),
    ),
    (
        ("Light over the marsh and into homes", "Lumière sur le marais et dans les maisons"),
        ("The marsh conservation group and neighbours told us the lights disturb nesting "
         "birds and shine into bedrooms.",
         "Le groupe de conservation du marais et des voisins nous ont dit que l’éclairage "
         "dérange les oiseaux nicheurs et entre dans les chambres."),
        "criterion",
        ("Light spill over the marsh and into homes became part of an evaluation criterion, "
         "and the pilot measures the light reaching the homes facing the trail.",
         "La lumière qui déborde sur le marais et dans les maisons fait désormais partie d’un "
         "critère d’évaluation, et le projet pilote mesure la lumière qui atteint les maisons "
         "face au sentier."),
    ),
    (
        ("Cameras at the entrances", "Caméras aux entrées"),
        ("A few residents asked for cameras at the trail's entrances.",
         "Quelques résidents ont demandé des caméras aux entrées du sentier."),
        "no_change",
        ("Nothing changed: the sensors count people and never record images, as the data "
         "governance record commits; cameras are outside this challenge.",
         "Rien n’a changé : les capteurs comptent les personnes et n’enregistrent jamais "
         "d’images, comme s’y engage le registre de gouvernance des données; les caméras ne "
         "font pas partie de ce défi."),
    ),
]  # fmt: skip

"""The one home of the test world, built the way the app builds it: `from tests import factories
as make`, then `make.cohort(...)`, `make.participant(...)`, `make.fill(...)`.

Call everything inside an app context. Builders flush and leave the commit to the caller;
those that commit say so. The benchmarks import this package too, so it imports no pytest.

- basics: organisation, staff, cohort (and windows in a state today), participant,
  participants, fill (simulated answers through the real writer), page_times (measured
  durations), policy_scan, released (a
  manager's release counting given people), audit_trail.
- worlds: invited (the participant's side), mail_cohort (the mail tests' calendar, TODAY),
  running_cohort and respondent (privacy and security), filled_cohort (the trainer's reports),
  shared_cohort, panel and sector (the manager's reports), open_cohort (production scenarios
  and the load benchmarks).
- pulses: pulse_schedule (through the writer), pulse_week, pulse_answer: the weekly pulse.
- course: course_days_of (eight Thursdays in spring 2027, SPRING_2027).
- parties: two_parties and its World, for the sweeps over every route and role in tests/app/.
"""

from tests.factories.basics import (
    DE_LINDE,
    INSTRUMENT,
    MOMENTS,
    audit_trail,
    cohort,
    fill,
    organisation,
    page_times,
    participant,
    participants,
    policy_scan,
    released,
    staff,
    windows,
)
from tests.factories.course import SPRING_2027, course_days_of, goal
from tests.factories.parties import PARTIES, PEOPLE_PER_PARTY, World, two_parties
from tests.factories.pulses import pulse_answer, pulse_schedule, pulse_week
from tests.factories.worlds import (
    TODAY,
    filled_cohort,
    invited,
    mail_cohort,
    open_cohort,
    panel,
    respondent,
    running_cohort,
    sector,
    shared_cohort,
)

__all__ = [
    "SPRING_2027",
    "course_days_of",
    "goal",
    "DE_LINDE",
    "INSTRUMENT",
    "MOMENTS",
    "PARTIES",
    "PEOPLE_PER_PARTY",
    "TODAY",
    "World",
    "audit_trail",
    "cohort",
    "fill",
    "page_times",
    "filled_cohort",
    "invited",
    "mail_cohort",
    "open_cohort",
    "organisation",
    "panel",
    "participant",
    "participants",
    "policy_scan",
    "pulse_answer",
    "pulse_schedule",
    "pulse_week",
    "released",
    "respondent",
    "running_cohort",
    "sector",
    "shared_cohort",
    "staff",
    "two_parties",
    "windows",
]

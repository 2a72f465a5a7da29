"""The rule table, declared once: `cjmsite lint`, its SARIF rules, `[lint]` code checks and
docs/managing-journeys.md (a test holds the docs to it) all read RULES.

Adding a rule is one Rule below: its code, default level, a one-line title, help text
(why it matters, how to fix it) and the function that finds it (a Context in, Findings
out; see cjmsite.lint.core)."""

from __future__ import annotations

from cjmsite.lint import evidence, gaps, journeys
from cjmsite.lint.core import Rule

RULES: tuple[Rule, ...] = (
    Rule("CJM101", "warning", "Open high or medium gap without any action",
         "A gap nobody acts on stays a gap. Add an action under the gap's `actions:` (with "
         "an owner and a due date), or close it with `status: wont-fix` and a `closed:` "
         "date if the team decided not to act.",
         gaps.gap_without_action),
    Rule("CJM102", "warning", "Action planned or in progress without an owner",
         "An action is done by someone: give it an `owner:` (a person or a team).",
         gaps.action_without_owner),
    Rule("CJM103", "warning", "Action planned or in progress without a due date",
         "An action without a date is never late and never done: give it `due: YYYY-MM-DD`.",
         gaps.action_without_due),
    Rule("CJM104", "warning", "Action overdue",
         "Its due date has passed and it is not done. Mark it `status: done`, `dropped`, "
         "or agree a new `due:` date with its owner.",
         gaps.action_overdue),
    Rule("CJM105", "warning", "Gap still open, all its actions done",
         "Closing a gap is a decision, never made silently: if the actions closed it, "
         "write `status: closed` and `closed: YYYY-MM-DD`; if not, add the action still "
         "needed.",
         gaps.open_but_done),
    Rule("CJM106", "warning", "Gap closed without a `closed` date",
         "Write when it was closed or dropped (`closed: YYYY-MM-DD`), so reports and the "
         "history can say when.",
         gaps.closed_without_date),
    Rule("CJM201", "warning", "Journey without an owner",
         "A map nobody owns goes stale: write `owner:` in the journey's index.md.",
         journeys.journey_without_owner),
    Rule("CJM202", "warning", "Journey due for review, or never reviewed",
         "Ask the owner to check the map still holds, then set `reviewed: YYYY-MM-DD` "
         "(`review_every:` days or `[governance] review_every` set the interval).",
         journeys.review_due),
    Rule("CJM301", "info", "Stage with no evidence (no survey rows, metric or cited insight)",
         "The stage's emotion and pain points are assumed: measure it (a survey or a "
         "metric) or cite research, or accept it with `lint_ignore: [CJM301]`.",
         journeys.stage_without_evidence),
    Rule("CJM302", "warning", "Metric off target and no open gap in its stage",
         "A measure below its target is a gap nobody has named: add a gap to the stage "
         "(with actions), or revise the target.",
         journeys.metric_off_target),
    Rule("CJM303", "warning", "Evidence older than [governance] evidence_max_age",
         "Research this old may no longer hold, and counts as absent: run the research "
         "again (a new insight with today's date) or raise `evidence_max_age` in "
         "[governance] if findings age slowly in your field.",
         evidence.evidence_too_old),
    Rule("CJM304", "info", "Pain point with no evidence",
         "Nothing traces the pain point to a customer: write it as `{text: ..., evidence: "
         "[insight ids]}`, cite an insight on its stage (`evidence:`), or accept it with "
         "`lint_ignore: [CJM304]`.",
         evidence.pain_point_without_evidence),
    Rule("CJM401", "info", "Touchpoint used by no journey; persona in no journey",
         "Use it in a stage (`touchpoints:` or a gap's `touchpoint:`) or a journey's "
         "`persona:`, or delete the file.",
         journeys.unused),
)

BY_CODE = {rule.code: rule for rule in RULES}
assert len(BY_CODE) == len(RULES), "duplicate rule code"

"""The attention page: what needs a person now, grouped and counted, each item linking to
the exact place (gap anchor, stage, journey).

Items that depend on the day (overdue actions, journeys past their next review) carry
their date in `when`: the reader's browser shows and counts them once today is past it,
so built pages stay the same whatever the day (cjmsite lint judges the same rules on the
day it runs: CJM104, CJM202)."""

from __future__ import annotations

from dataclasses import dataclass

from cjmsite import model, urls


@dataclass(frozen=True)
class Item:
    text: str
    where: str  # "journey › stage", or the journey's objective
    href: str  # from the site root
    detail: str = ""  # owner, dates: plain text
    when: str = ""  # YYYY-MM-DD: the item counts once today is past it ("": always)


@dataclass(frozen=True)
class Group:
    key: str  # its heading's UI string (att_*)
    items: tuple[Item, ...]

    @property
    def fixed(self) -> int:
        """Items that count whatever the day."""
        return sum(not item.when for item in self.items)


def _gap_href(journey: model.Journey, gap: model.Gap) -> str:
    return urls.gap(gap)


def _stage_href(journey: model.Journey, stage: model.Stage) -> str:
    return urls.stage(journey, stage)


def groups(site: model.Site, review_every: int, t) -> list[Group]:  # noqa: ANN001
    overdue, unassigned, no_action, done_open, review, no_owner, off, assumed = \
        [], [], [], [], [], [], [], []
    for journey in site.journeys.values():
        href = urls.journey(journey)
        evidenced = any(stage.has_evidence for stage in journey.stages)
        for stage in journey.stages:
            where = f"{journey.title} › {stage.title}"
            for gap in stage.gaps:
                live = [a for a in gap.actions if a.status != "dropped"]
                if gap.is_open and gap.severity == "high" and not live:
                    no_action.append(Item(gap.title, where, _gap_href(journey, gap)))
                if gap.is_open and live and all(a.status == "done" for a in live):
                    done_open.append(Item(gap.title, where, _gap_href(journey, gap),
                                          t("gs_" + gap.status)))
                for action in gap.actions:
                    if action.active and action.due:
                        overdue.append(Item(action.title, f"{where} › {gap.title}",
                                            _gap_href(journey, gap), action.owner, action.due))
                    if action.status in model.ACTIVE_ACTIONS and not (action.owner
                                                                      and action.due):
                        missing = t("no_owner") if not action.owner else t("no_due")
                        unassigned.append(Item(action.title, f"{where} › {gap.title}",
                                               _gap_href(journey, gap),
                                               f"{t(action.status)} · {missing}"))
            if not any(gap.is_open for gap in stage.gaps):
                for metric in stage.metrics:
                    if metric.meets_target is False:
                        off.append(Item(metric.name, where, _stage_href(journey, stage)))
            if evidenced and not stage.has_evidence:
                assumed.append(Item(stage.title, journey.title, _stage_href(journey, stage)))
        if journey.reviewed:
            due = journey.next_review(review_every)
            review.append(Item(journey.title, journey.owner or t("no_owner"), href,
                               t("reviewed_on").replace("{date}", journey.reviewed), due))
        else:
            review.append(Item(journey.title, journey.owner or t("no_owner"), href,
                               t("never_reviewed")))
        if not journey.owner:
            no_owner.append(Item(journey.title, journey.objective, href))
    return [Group("att_overdue", tuple(sorted(overdue, key=lambda i: i.when))),
            Group("att_unassigned", tuple(unassigned)), Group("att_no_action", tuple(no_action)),
            Group("att_done_open", tuple(done_open)), Group("att_review", tuple(review)),
            Group("att_no_owner", tuple(no_owner)), Group("att_off_target", tuple(off)),
            Group("att_assumed", tuple(assumed))]


def totals(found: list[Group]) -> tuple[int, str]:
    """(items that count whatever the day, the dates of the others): the home page's
    count, finished in the browser."""
    fixed = sum(group.fixed for group in found)
    dates = " ".join(sorted(item.when for group in found for item in group.items if item.when))
    return fixed, dates

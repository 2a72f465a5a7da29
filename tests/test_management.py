"""Journey management on the built site: gap status on maps (muted, hidden, shown) and in
the table twin, counts that never mix open and closed gaps, reviews, the attention page,
the exports' new columns (real dates, hyperlinks, two sheets, as_of), diff and history."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import commit, git, parse_html, run, write_files

STAGE = "content/journeys/buy/01-call.md"
FILES = {
    "content/personas/ana.md": "---\nname: Ana\n---\n",
    "content/touchpoints/phone.md": "---\ntitle: Phone line\nchannel: phone\n---\n",
    "content/journeys/buy/index.md": """
        ---
        title: Buying
        persona: ana
        objective: Understand buying
        owner: CX team
        reviewed: 2026-01-10
        review_every: 30
        ---
        """,
    STAGE: """
        ---
        title: Call
        touchpoints: [phone]
        emotion: -1
        metrics:
          - {name: CSAT, value: 3, target: 4}
        gaps:
          - title: Long wait
            severity: high
            touchpoint: phone
            actions:
              - {title: Call-back, owner: Ops, status: in-progress, due: 2020-01-31}
          - title: "=HYPERLINK(\\"http://x\\")"
            severity: low
            status: cerrada
            closed: 2026-04-02
            actions:
              - {title: Fix it, owner: Ops, status: done, due: 2026-03-30}
        ---
        """,
}
OPEN, CLOSED = "Long wait", '=HYPERLINK("http://x")'


def _build(tmp_path: Path, config: str = "", **env: str) -> Path:
    root = write_files(tmp_path / "site", FILES)
    (root / "cjmsite.toml").write_text(config, encoding="utf-8")
    result = run("build", str(root))
    assert result.exit_code == 0, result.output
    return root


def _map_texts(root: Path) -> tuple[str, list[str], str]:
    page = parse_html(root / "output/journeys/buy/index.html")
    svg = page.xpath("//svg")[0]
    texts = " ".join(" ".join(t.itertext()) for t in svg.iter("{*}text", "text"))
    settled = [" ".join(g.itertext()) for g in svg.xpath(".//*[@class='settled']")]
    return texts, settled, page.xpath("//details[contains(@class,'map-table')]")[0] \
        .text_content()


def test_closed_gaps_are_muted_on_the_map_by_default(tmp_path: Path) -> None:
    texts, settled, table = _map_texts(_build(tmp_path))
    assert len(settled) == 1 and "Low · Closed" in settled[0] and "HYPERLINK" in settled[0]
    assert "(faded: closed or won't fix)" in texts
    assert "Gap status" in table and "Closed 2026-04-02" in table and "Open" in table


def test_closed_gaps_hidden_or_shown(tmp_path: Path) -> None:
    root = _build(tmp_path, '[map]\nclosed_gaps = "hidden"\n')
    texts, settled, table = _map_texts(root)
    assert not settled and "HYPERLINK" not in texts and "(1 closed not shown)" in texts
    assert "Closed 2026-04-02" in table  # the table twin lists every gap with its status
    (root / "cjmsite.toml").write_text('[map]\nclosed_gaps = "shown"\n', encoding="utf-8")
    assert run("build", str(root)).exit_code == 0
    texts, settled, _ = _map_texts(root)
    assert not settled and "HYPERLINK" in texts and "closed" not in texts.lower()


def test_a_bad_closed_gaps_value_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    root = write_files(tmp_path / "site", FILES)
    (root / "cjmsite.toml").write_text('[map]\nclosed_gaps = "muteed"\n', encoding="utf-8")
    result = run("build", str(root))
    assert result.exit_code == 1
    assert "cjmsite.toml:2: error: 'map.closed_gaps' is 'muteed', not one of: muted, hidden, " \
           "shown (did you mean 'muted'?)" in result.output


def _text(page, xpath: str) -> str:  # noqa: ANN001
    return " ".join(page.xpath(xpath)[0].text_content().split())


def test_counts_never_mix_open_and_closed(tmp_path: Path) -> None:
    out = _build(tmp_path) / "output"
    home = parse_html(out / "index.html")
    assert _text(home, "//ul[@class='stats']/li[4]") == "1 Open gaps (1 closed)"
    journey = parse_html(out / "journeys/buy/index.html")
    assert "1 open gap (1 closed)" in _text(journey, "//dl[@class='facts']")
    assert "1 open gap (1 closed)" in _text(journey, "//article[@id='stage-call']//p")
    point = parse_html(out / "touchpoints/phone/index.html")
    assert _text(point, "//h2[@id='h-gaps']") == "Gaps tied to this touchpoint 1 open gap"
    persona = parse_html(out / "personas/ana/index.html")
    row = _text(persona, "//table[contains(@class,'journey-table')]//tbody/tr")
    assert "High: 1 · Medium: 0 · Low: 0(1 closed)" in row  # open by severity, then closed


def test_journey_page_says_when_it_was_reviewed(tmp_path: Path) -> None:
    out = _build(tmp_path) / "output"
    journey = parse_html(out / "journeys/buy/index.html")
    line = journey.xpath("//p[@class='reviewed small']")[0]
    assert " ".join(line.text_content().split()) == \
        "Reviewed on 10 Jan 2026 · next review 9 Feb 2026"
    assert line.xpath(".//@data-review-next") == ["2026-02-09"]  # decided in the browser
    home = parse_html(out / "index.html")
    assert home.xpath("//time[@data-review]/@datetime") == ["2026-02-09"]


def test_the_attention_page_groups_and_links(tmp_path: Path) -> None:
    out = _build(tmp_path) / "output"
    page = parse_html(out / "attention/index.html")
    groups = {s.get("id"): s for s in page.xpath("//section[@data-group]")}
    overdue = groups["att_overdue"].xpath(".//li[@data-item]")
    assert [li.get("data-when-item") for li in overdue] == ["2020-01-31"]
    assert overdue[0].xpath(".//a/@href") == ["../gaps/index.html#gap-buy-call-long-wait"]
    assert groups["att_review"].xpath(".//li/@data-when-item") == ["2026-02-09"]
    assert [a.text for a in groups["att_off_target"].xpath(".//a")] == []  # a gap is open
    assert not groups["att_no_owner"].xpath(".//li[@data-item]")
    home = parse_html(out / "index.html")
    counter = home.xpath("//strong[@data-attention]")[0]
    assert counter.get("data-attention") == "0"  # nothing that counts whatever the day
    assert counter.get("data-when") == "2020-01-31 2026-02-09"
    assert home.xpath("//nav[@class='mainnav']//a[@href='attention/index.html']")


def test_exports_say_status_overdue_and_as_of(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")  # 2026-05-28
    out = _build(tmp_path) / "output"
    with (out / "gaps.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [(r["gap_status"], r["gap_closed"], r["overdue"], r["as_of"], r["personas"])
            for r in rows] == [("open", "", "true", "2026-05-28", "ana"),
                               ("closed", "2026-04-02", "false", "2026-05-28", "ana")]
    assert rows[1]["gap"] == "'" + CLOSED  # formula-safe
    data = json.loads((out / "gaps.json").read_text("utf-8"))
    assert data["as_of"] == "2026-05-28"
    assert [(g["gap_status"], g["gap_closed"], g["overdue"], g["open"], g["personas"])
            for g in data["gaps"]] == [("open", None, True, True, ["ana"]),
                                       ("closed", "2026-04-02", False, False, ["ana"])]


def test_the_workbook_has_dates_links_and_two_sheets(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    import datetime as dt

    from openpyxl import load_workbook

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    out = _build(tmp_path) / "output"
    book = load_workbook(out / "gaps.xlsx")
    assert book.sheetnames == ["Gaps", "Actions"]
    gaps, actions = book["Gaps"], book["Actions"]
    head = [c.value for c in gaps[1]]
    closed = gaps.cell(3, head.index("gap_closed") + 1)
    assert closed.is_date and closed.value == dt.datetime(2026, 4, 2)
    page = gaps.cell(2, head.index("page") + 1)
    # A relative link (the workbook sits at the site's root), as Excel writes one: the file,
    # then the place in it; absolute under base_url.
    assert page.hyperlink.target.replace("\\", "/") == "journeys/buy/index.html"
    assert page.hyperlink.location == "stage-call"
    assert page.data_type == "s" and not str(page.value).startswith("=")  # never a formula
    assert gaps.cell(3, head.index("gap") + 1).data_type == "s"  # "=HYPERLINK(...)": text
    assert gaps.cell(2, head.index("overdue") + 1).value is True
    head = [c.value for c in actions[1]]
    due = actions.cell(2, head.index("action_due") + 1)
    assert due.is_date and due.value == dt.datetime(2020, 1, 31)
    assert actions.max_row == 3


def test_exports_follow_the_day_in_incremental_builds(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1580000000))  # 2020-01-26: not yet overdue
    root = _build(tmp_path)
    assert json.loads((root / "output/gaps.json").read_text("utf-8"))["gaps"][0]["overdue"] \
        is False
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1590000000))  # 2020-05-20
    assert run("build", str(root)).exit_code == 0  # nothing else changed
    data = json.loads((root / "output/gaps.json").read_text("utf-8"))
    assert data["as_of"] == "2020-05-20" and data["gaps"][0]["overdue"] is True


@pytest.mark.parametrize(("old", "new", "event", "page_word"), [
    ("open", "cerrada", "closed", "Gap closed"),
    ("wont-fix", "in-progress", "reopened", "Gap reopened"),
    ("open", "in-progress", "status changed", "Gap status changed"),
])
def test_diff_and_history_report_status_changes(tmp_path: Path, old: str, new: str,
                                                 event: str, page_word: str) -> None:
    root = write_files(tmp_path / "site", FILES)
    stage = root / STAGE
    text = stage.read_text("utf-8").replace("    severity: high\n",
                                             f"    severity: high\n    status: {old}\n")
    stage.write_text(text.replace("closed: 2026-04-02", "closed: 2026-04-02")
                     if old != "wont-fix" else text.replace(
                         f"status: {old}\n", f"status: {old}\n    closed: 2026-04-01\n", 1),
                     "utf-8")
    git(root, "init", "-q", "-b", "main")
    commit(root, "before")
    text = stage.read_text("utf-8").replace(f"    status: {old}\n", f"    status: {new}\n", 1)
    text = text.replace("    closed: 2026-04-01\n", "", 1)
    if new == "cerrada":
        text = text.replace(f"    status: {new}\n", f"    status: {new}\n    closed: 2026-05-01\n",
                            1)
    text = text.replace("status: in-progress, due: 2020-01-31", "status: done, due: 2020-01-31")
    stage.write_text(text, "utf-8")
    commit(root, "after")
    data = json.loads(run("diff", "-C", str(root), "HEAD~1", "HEAD", "--format", "json").output)
    gap = data["journeys"][0]["gaps"][0]
    target = "closed" if new == "cerrada" else new
    assert gap["gap_status"] == {"from": old, "to": target} and gap["event"] == event
    assert gap["status"] == "changed" and "status" in gap["fields"]
    assert data["journeys"][0]["actions"][0]["event"] == "done"
    summary = run("diff", "-C", str(root), "HEAD~1", "HEAD").output
    assert f"gap {event}: {OPEN} (call) {old} → {target}" in summary
    assert "action done Call-back: in-progress → done" in summary
    assert run("build", str(root)).exit_code == 0
    history = parse_html(root / "output/journeys/buy/history/index.html")
    assert page_word in history.text_content()


# -- in the browser: the gap index's filters, from file:// and over HTTP -----------------

CLOSED_ANCHOR = ("gap-experiencia-global-seguimiento-sin-respuesta-a-los-comentarios-"
                 "negativos-de-la-encuesta")


def _count(page) -> str:  # noqa: ANN001
    return page.inner_text("#gap-count")


def test_gap_index_filters_live_in_the_url(site_url: str, tab) -> None:  # noqa: ANN001
    page = tab.page
    page.clock.set_fixed_time("2026-12-01T10:00:00")  # one action (due 2026-10-31) overdue
    tab.open(site_url + "gaps/index.html")
    file = site_url.startswith("file:")
    assert _count(page) == "Mostrando 6 de 7 · 1 vencidas"  # closed gaps hidden by default
    assert not page.is_visible(f"#{CLOSED_ANCHOR}")
    assert page.locator("#gap-table .late-word").all_inner_texts() == ["Vencida"]
    page.click("[data-show-all]")
    assert _count(page) == "Mostrando 7 de 7 · 1 vencidas"
    assert page.url.endswith("#gap_status=all" if file else "?gap_status=all")
    page.check("input[name=overdue]")
    assert _count(page) == "Mostrando 1 de 7 · 1 vencidas"
    wanted = "gap_status=all&overdue=1"
    assert page.url.endswith(("#" if file else "?") + wanted)
    page.reload()
    page.wait_for_load_state("load")
    assert page.eval_on_selector("select[name=gap_status]", "s => s.value") == "all"
    assert page.is_checked("input[name=overdue]")
    assert _count(page) == "Mostrando 1 de 7 · 1 vencidas"
    page.click("button[type=reset]")
    page.wait_for_timeout(50)
    assert _count(page) == "Mostrando 6 de 7 · 1 vencidas"
    assert not tab.errors, tab.errors


def test_a_link_to_a_closed_gap_shows_it(site_url: str, tab) -> None:  # noqa: ANN001
    tab.open(site_url + f"gaps/index.html#{CLOSED_ANCHOR}")
    assert tab.page.is_visible(f"#{CLOSED_ANCHOR}")
    assert tab.page.eval_on_selector("select[name=gap_status]", "s => s.value") == "all"


def test_dates_are_decided_in_the_browser(site_url: str, tab) -> None:  # noqa: ANN001
    page = tab.page
    page.clock.set_fixed_time("2026-08-01T10:00:00")
    tab.open(site_url + "index.html")
    # Before 2026-10-13 the global journey is not yet due; the other was never reviewed.
    assert not page.locator(".journey-table .late-word").count()
    assert page.inner_text("[data-attention]") == "5"
    page.clock.set_fixed_time("2026-12-01T10:00:00")
    tab.open(site_url + "index.html")
    assert page.locator(".journey-table .late-word").all_inner_texts() == \
        ["próxima revisión vencida"]
    assert page.inner_text("[data-attention]") == "7"
    assert page.locator("[data-overdue-count]").all_inner_texts() == ["0", "1"]
    tab.open(site_url + "attention/index.html")
    assert page.inner_text("#att_overdue [data-group-count]") == "1"
    assert not tab.errors, tab.errors

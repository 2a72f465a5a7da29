"""Portfolio: journeys of journeys (parent, detail, breadcrumbs, the roll-up lane, the
tree), opportunities (validation, pages, chips on the map), the portfolio page (matrix,
priority table, roll-ups) and its exports."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from conftest import SVG_NS, XLINK, build_fails, parse_html, parse_svg, run, write_files

from cjmsite.mapsvg.matrix import Item, R, place_labels, positions

PEOPLE = {"content/personas/ana.md": "---\nname: Ana\n---\n"}


def _journey(id_: str, title: str, stages: dict[str, str], head: str = "") -> dict[str, str]:
    files = {f"content/journeys/{id_}/index.md":
             f"---\ntitle: {title}\npersona: ana\nobjective: Saber\n{head}---\n"}
    for n, (stage, extra) in enumerate(stages.items(), 1):
        files[f"content/journeys/{id_}/{n:02d}-{stage}.md"] = \
            f"---\ntitle: {stage.title()}\nemotion: {n % 3 - 1}\n{extra}---\n"
    return files


def _portfolio(root: Path, extra: dict[str, str] | None = None) -> Path:
    """Life (top) › Onboarding (detailed by a stage) › Account (by parent)."""
    files = {**PEOPLE,
             **_journey("life", "Lifecycle", {"join": "detail: onboarding\n",
                                              "stay": "opportunities: [faster, Free coffee]\n"}),
             **_journey("onboarding", "Onboarding", {
                 "signup": "gaps:\n  - {title: Slow form, id: slow-form, severity: high,\n"
                           "     actions: [{title: Fix, status: planned, due: 2030-01-01}]}\n",
                 "verify": "gaps:\n  - {title: Lost mail, severity: low}\n"}),
             **_journey("account", "Account opening", {
                 "open": "gaps:\n  - {title: Paper forms, id: paper, severity: medium}\n"},
                        "parent: onboarding\n"),
             "content/opportunities/faster.md":
                 "---\ntitle: Faster sign-up\ngaps: [onboarding/slow-form, account/paper]\n"
                 "customer_value: 80\nbusiness_value: 60\neffort: 2\nstatus: validada\n"
                 "owner: Web team\n---\nWhy it matters.\n",
             "content/opportunities/later.md": "---\ntitle: Someday\nowner: Ops\n---\n"}
    return write_files(root, {**files, **(extra or {})})


def test_hierarchy_pages_breadcrumbs_zoom_in_and_roll_up_lane(tmp_path: Path) -> None:
    site = _portfolio(tmp_path)
    result = run("build", str(site), "--strict")
    assert result.exit_code == 0, result.output
    out = site / "output"
    account = parse_html(out / "journeys/account/index.html")
    crumbs = [a.text_content() for a in account.xpath("//nav[@class='crumbs']//li")]
    assert crumbs == ["Home", "Journeys", "Lifecycle", "Onboarding", "Account opening"]
    onboarding = parse_html(out / "journeys/onboarding/index.html")
    assert onboarding.xpath("//section[@class='sub-journeys']//a/text()") == ["Account opening"]
    life = out / "journeys/life/index.html"
    page = parse_html(life)
    assert page.xpath("//p[@class='zoom-in']/a/@href") == ["../onboarding/index.html"]
    svg = parse_svg((out / "journeys/life/map.svg").read_bytes())
    labels = ["".join(t.itertext()) for t in svg.iter(f"{SVG_NS}text")]
    assert "Roll-up" in labels and "Zoom in: Onboarding" in labels
    assert any(a.get(XLINK) == "../../journeys/onboarding/index.html"
               for a in svg.iter(f"{SVG_NS}a"))
    # The whole subtree counted: onboarding's two gaps and account's one.
    assert "Open gaps: 1 high · 1 medium · 1 low" in " ".join(labels)
    # Opportunity ids are linked chips with their status; other items stay plain text.
    chip = [a for a in svg.iter(f"{SVG_NS}a")
            if a.get(XLINK) == "../../opportunities/faster/index.html"]
    assert chip and "Validated" in "".join(chip[0].itertext())
    assert "Free coffee" in labels
    table = page.xpath("//details[@class='map-table']//table")[0]
    assert "Zoom in: Onboarding" in table.text_content()


def test_journeys_list_is_a_tree(tmp_path: Path) -> None:
    site = _portfolio(tmp_path)
    assert run("build", str(site)).exit_code == 0
    page = parse_html(site / "output/journeys/index.html")
    rows = page.xpath("//tbody/tr")
    assert [r.get("data-journey") for r in rows] == ["life", "onboarding", "account"]
    assert [r.get("data-parent") for r in rows] == [None, "life", "onboarding"]
    assert [r.get("class") for r in rows] == ["depth-0", "depth-1", "depth-2"]
    assert page.xpath("//tr[@data-journey='life']//button[@class='tree-toggle']")


def test_counts_are_singular_for_one_in_both_languages(tmp_path: Path) -> None:
    """"1 sub-journey", "1 high" and "1 alta", "2 altas": never "1 sub-journeys"."""
    site = _portfolio(tmp_path / "en")
    assert run("build", str(site)).exit_code == 0
    out = site / "output"
    tree = parse_html(out / "journeys/index.html")
    assert tree.xpath("//button[@class='tree-toggle']/text()") == ["1 sub-journey"] * 2
    home = parse_html(out / "index.html")
    life = home.xpath("//table[contains(@class,'rollups')]/tbody/tr")[0]
    assert [b.text_content() for b in life.xpath(".//span[contains(@class,'sev')]")] == \
        ["1 high", "1 medium", "1 low"]
    assert "3 journeys counted" in life.text_content()

    spanish = _portfolio(tmp_path / "es", {
        "cjmsite.toml": '[site]\nlanguage = "es"\n',
        "content/journeys/account/02-sign.md":
            "---\ntitle: Sign\ngaps:\n  - {title: Ink, severity: high}\n---\n"})
    assert run("build", str(spanish)).exit_code == 0
    svg = parse_svg((spanish / "output/journeys/life/map.svg").read_bytes())
    text = " ".join("".join(t.itertext()) for t in svg.iter(f"{SVG_NS}text"))
    assert "Brechas abiertas: 2 altas · 1 media" in text  # then "1 baja", wrapped
    home = parse_html(spanish / "output/index.html")
    assert "1 sub-journey" in home.xpath("//button[@class='tree-toggle']/text()")


def test_portfolio_page_matrix_table_and_unscored(tmp_path: Path) -> None:
    site = _portfolio(tmp_path)
    assert run("build", str(site)).exit_code == 0
    out = site / "output"
    page = parse_html(out / "portfolio/index.html")
    points = page.xpath("//*[local-name()='svg'][contains(@class,'matrix')]"
                        "//*[local-name()='a'][contains(@class,'point')]")
    assert len(points) == 1  # "Someday" has no scores: never plotted at zero
    assert page.xpath("//ul[@class='unscored']//a/text()") == ["Someday"]
    rows = page.xpath("//table[@id='opp-table']/tbody/tr")
    assert [r.get("data-status") for r in rows] == ["validated", "idea"]
    assert rows[0].xpath("td[4]")[0].text_content() == "35"  # (80 + 60) / 2 / 2
    assert page.xpath("//form[@id='opp-filters']//select/@name") == \
        ["status", "journey", "owner"]
    rollup = page.xpath("//table[contains(@class,'rollups')]/tbody/tr/th/a/text()")
    assert rollup == ["Lifecycle", "Onboarding", "Account opening"]
    opportunity = parse_html(out / "opportunities/faster/index.html")
    assert opportunity.xpath("//h1/text()") == ["Faster sign-up"]
    gaps = opportunity.xpath("//section[@aria-labelledby='h-gaps']//li")
    assert len(gaps) == 2 and "High" in gaps[0].text_content()
    home = parse_html(out / "index.html")
    assert home.xpath("//table[contains(@class,'rollups')]")


def test_exports_cover_opportunities(tmp_path: Path) -> None:
    site = _portfolio(tmp_path)
    assert run("build", str(site)).exit_code == 0
    out = site / "output"
    records = json.loads((out / "opportunities.json").read_text(encoding="utf-8"))
    first = records["opportunities"][0]
    assert (first["id"], first["priority"], first["status"]) == ("faster", 35, "validated")
    assert [g["ref"] for g in first["gaps"]] == ["onboarding/slow-form", "account/paper"]
    rows = list(csv.DictReader(io.StringIO(
        (out / "opportunities.csv").read_text(encoding="utf-8-sig"))))
    assert [r["id"] for r in rows] == ["faster", "later"] and rows[1]["priority"] == ""
    with zipfile.ZipFile(out / "gaps.xlsx") as book:
        workbook = book.read("xl/workbook.xml").decode()
    assert 'name="Gaps"' in workbook and 'name="Opportunities"' in workbook


def test_hierarchy_and_reference_errors(tmp_path: Path) -> None:
    site = _portfolio(tmp_path, {
        **_journey("a", "A", {"x": ""}, "parent: b\n"),
        **_journey("b", "B", {"y": ""}, "parent: c\n"),
        **_journey("c", "C", {"v": ""}, "parent: a\n"),
        **_journey("e", "E", {"z": "detail: e\n"}),
        **_journey("d", "D", {"w": "detail: onbording\n"}, "parent: lfie\n"),
        "content/opportunities/bad.md":
            "---\ntitle: Bad\ngaps: [onboarding/slow-from, nowhere/x, account]\n"
            "effort: 9\nstatus: someday\nmetrics:\n  - {name: NPS, stage: life/stai}\n---\n"})
    build_fails(
        site,
        "content/journeys/a/index.md:5: error: journey 'a' is its own ancestor: "
        "a › c › b › a",
        "content/journeys/e/01-z.md:4: error: stage 'z' details its own journey 'e'",
        "content/journeys/d/01-w.md:4: error: unknown journey 'onbording' "
        "(did you mean 'onboarding'?)",
        "content/journeys/d/index.md:5: error: unknown journey 'lfie' (did you mean 'life'?)",
        "content/opportunities/bad.md:3: error: unknown gap 'slow-from' in journey "
        "'onboarding' (did you mean 'slow-form'?)",
        "error: unknown journey 'nowhere'",
        "gap reference 'account' must be <journey>/<gap id>",
        "content/opportunities/bad.md:4: error: 'effort' is 9, not between 1 and 5",
        "'status' is 'someday', not one of: idea, validated",
        "unknown stage 'stai' in journey 'life' (did you mean 'stay'?)")


INSIGHT = "---\ntitle: Forms are slow\nsource: interview\ndate: 2026-05-01\n{extra}---\n"


def test_opportunity_evidence_names_insights_and_insight_pages_link_back(
        tmp_path: Path) -> None:
    site = _portfolio(tmp_path / "ok", {
        "content/insights/ana-interviews.md": INSIGHT.format(extra=""),
        "content/opportunities/cited.md":
            "---\ntitle: Cited one\nowner: Web\nevidence: [ana-interviews]\n---\n"})
    result = run("build", str(site), "--strict")
    assert result.exit_code == 0, result.output
    out = site / "output"
    insight = parse_html(out / "insights/ana-interviews/index.html")
    assert insight.xpath("//ul[@class='cited-by']//a/@href") == \
        ["../../opportunities/cited/index.html"]
    assert "Opportunity" in insight.xpath("//ul[@class='cited-by']")[0].text_content()
    opportunity = parse_html(out / "opportunities/cited/index.html")
    assert opportunity.xpath("//section[@aria-labelledby='h-evidence']//a/@href") == \
        ["../../insights/ana-interviews/index.html"]

    bad = _portfolio(tmp_path / "bad", {
        "content/insights/ana-interviews.md": INSIGHT.format(extra=""),
        "content/opportunities/cited.md":
            "---\ntitle: Cited one\nevidence:\n  - ana-interviews\n  - ana-interveiws\n---\n"})
    build_fails(bad, "content/opportunities/cited.md:5: error: unknown insight "
                     "'ana-interveiws' (did you mean 'ana-interviews'?)")


def test_a_public_build_drops_what_opportunities_and_the_hierarchy_name_internally(
        tmp_path: Path) -> None:
    """Onboarding is internal: Lifecycle's stage no longer zooms into it, Account opening
    is a journey of its own, and Faster sign-up answers only the public gap; an internal
    insight it cites is named nowhere."""
    site = _portfolio(tmp_path, {
        **_journey("onboarding", "Onboarding", {
            "signup": "gaps:\n  - {title: Slow form, id: slow-form, severity: high}\n"},
                   "internal: true\n"),
        "content/insights/secret-notes.md": INSIGHT.format(extra="internal: true\n"),
        "content/opportunities/faster.md":
            "---\ntitle: Faster sign-up\ngaps: [onboarding/slow-form, account/paper]\n"
            "evidence: [secret-notes]\ncustomer_value: 80\neffort: 2\n"
            "metrics:\n  - {name: Time, stage: onboarding/signup}\n---\n"})
    result = run("build", str(site), "--audience", "public", "--strict")
    assert result.exit_code == 0, result.output
    out = site / "output"
    assert not (out / "journeys/onboarding").exists()
    records = json.loads((out / "opportunities.json").read_text(encoding="utf-8"))
    assert [g["ref"] for g in records["opportunities"][0]["gaps"]] == ["account/paper"]
    for page in out.rglob("*"):
        if page.is_file() and page.suffix in {".html", ".json", ".csv", ".js", ".svg"}:
            text = page.read_text(encoding="utf-8")
            assert "secret-notes" not in text and "onboarding/" not in text, page
    life = parse_html(out / "journeys/life/index.html")
    assert not life.xpath("//p[@class='zoom-in']")
    account = parse_html(out / "journeys/account/index.html")
    crumbs = [a.text_content() for a in account.xpath("//nav[@class='crumbs']//li")]
    assert crumbs == ["Home", "Journeys", "Account opening"]


def test_a_journey_detailed_twice_or_against_its_parent(tmp_path: Path) -> None:
    site = _portfolio(tmp_path, {
        **_journey("other", "Other", {"q": "detail: onboarding\n"}),
        **_journey("solo", "Solo", {"r": "detail: account\n"})})
    build_fails(site, "journey 'onboarding' is already detailed by a stage of 'life'",
                "content/journeys/account/index.md:5: error: parent 'onboarding' disagrees "
                "with the stage of 'solo' that details this journey")


def _boxes_overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def crowd() -> list[Item]:
    """30 opportunities, 10 of them at the same score, long titles."""
    items = [Item(n + 1, f"Opportunity number {n + 1} with a long title", 60, 2)
             for n in range(10)]
    items += [Item(n + 11, f"Idea {n + 11}: {'x' * (n % 7 * 4)}", (n * 37) % 101,
                   1 + (n * 3) % 5) for n in range(20)]
    return items


def test_labels_never_cover_points_or_each_other() -> None:
    items = crowd()
    points = positions(items)
    labels = place_labels(items, points, [])
    placed = [label for label in labels if label is not None]
    assert len(placed) == 30
    for i, label in enumerate(placed):
        for other in placed[i + 1:]:
            assert not _boxes_overlap(label.box, other.box), (label.text, other.text)
        for x, y in points:
            assert not _boxes_overlap(label.box, (x - R, y - R, x + R, y + R)), label.text
    # Points at the same score are drawn apart, around their true spot.
    same = points[:10]
    assert len({(round(x), round(y)) for x, y in same}) == 10
    # Deterministic: the same input gives the same placement.
    assert place_labels(items, positions(items), []) == labels


def test_diff_reports_opportunities_and_hierarchy_fields(tmp_path: Path) -> None:
    from conftest import commit, edit, git

    site = _portfolio(tmp_path)
    git(site, "init", "-q", "-b", "main")
    commit(site, "portfolio")
    edit(site, "content/opportunities/faster.md", "status: validada", "status: planned")
    edit(site, "content/opportunities/faster.md", "effort: 2", "effort: 3")
    (site / "content/opportunities/later.md").unlink()
    write_files(site, {"content/opportunities/new.md": "---\ntitle: New idea\n---\n"})
    edit(site, "content/journeys/account/index.md", "parent: onboarding\n", "")
    result = run("diff", "-C", str(site), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["opportunities"] == [
        {"id": "faster", "status": "changed", "fields": ["effort", "status"],
         "title": "Faster sign-up",
         "changes": {"status": {"from": "validated", "to": "planned"},
                     "effort": {"from": 2, "to": 3}}},
        {"id": "new", "status": "added", "fields": [], "title": "New idea", "changes": {}},
        {"id": "later", "status": "removed", "fields": [], "title": "Someday", "changes": {}}]
    assert data["journeys"][0]["id"] == "account" and "parent" in data["journeys"][0]["fields"]
    text = run("diff", "-C", str(site)).output
    assert "opportunity faster: changed (status: validated → planned; effort: 2 → 3)" in text
    report = tmp_path / "diff.html"
    assert run("diff", "-C", str(site), "--format", "html", "-o", str(report)).exit_code == 0
    html_report = report.read_text(encoding="utf-8")
    assert "Opportunities" in html_report and "status: validated → planned" in html_report


def test_mermaid_keeps_parent_and_detail(tmp_path: Path) -> None:
    site = _portfolio(tmp_path / "a")
    life = run("export", "mermaid", "life", "-C", str(site))
    account = run("export", "mermaid", "account", "-C", str(site))
    assert life.exit_code == 0 and account.exit_code == 0, life.output + account.output
    assert "  %% cjmsite detail: onboarding" in life.output.splitlines()
    assert "  %% cjmsite parent: onboarding" in account.output.splitlines()
    other = write_files(tmp_path / "b", PEOPLE)
    diagram = tmp_path / "life.mmd"
    diagram.write_text(life.output.replace("title Lifecycle", "title Life two"),
                       encoding="utf-8")
    assert run("import", "mermaid", str(diagram), "-C", str(other)).exit_code == 0
    stage = other / "content/journeys/life-two/01-join.md"
    assert "detail: onboarding" in stage.read_text(encoding="utf-8")


def test_search_finds_opportunities(tmp_path: Path) -> None:
    site = _portfolio(tmp_path)
    assert run("build", str(site)).exit_code == 0
    shard = (site / "output/search/others.js").read_text(encoding="utf-8")
    assert '"title":"Faster sign-up"' in shard
    assert '"url":"opportunities/faster/index.html"' in shard


def _crowded(root: Path) -> Path:
    """30 opportunities on the matrix, 10 of them at the same score."""
    files = _portfolio(root)
    extra = {}
    for item in crowd():
        extra[f"content/opportunities/o{item.number:02d}.md"] = (
            f"---\ntitle: \"{item.title}\"\ncustomer_value: {item.value}\n"
            f"business_value: {item.value}\neffort: {item.effort}\nowner: Team "
            f"{item.number % 3}\n---\n")
    return write_files(files, extra)


def test_matrix_labels_do_not_overlap_in_chromium(tmp_path: Path, browser) -> None:
    """getBBox of every label against every other label and every point, as drawn."""
    site = _crowded(tmp_path)
    assert run("build", str(site)).exit_code == 0
    for width, scheme in ((1280, "light"), (390, "dark")):
        page = browser.new_page(viewport={"width": width, "height": 900},
                                color_scheme=scheme)
        page.goto((site / "output/portfolio/index.html").as_uri())
        found = page.evaluate("""() => {
          const svg = document.querySelector('svg.matrix');
          const box = e => {
            const b = e.getBBox();
            return [b.x, b.y, b.x + b.width, b.y + b.height];
          };
          const hit = (a, b) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
          const labels = [...svg.querySelectorAll('text.label')].map(e => [e.textContent, box(e)]);
          const dots = [...svg.querySelectorAll('circle.dot')].map(box);
          const names = [...svg.querySelectorAll('text.quad-name')].map(box);
          const clashes = [];
          labels.forEach(([text, b], i) => {
            labels.slice(i + 1).forEach(([other, c]) => {
              if (hit(b, c)) clashes.push([text, other]);
            });
            dots.forEach(d => { if (hit(b, d)) clashes.push([text, 'point']); });
            names.forEach(d => { if (hit(b, d)) clashes.push([text, 'quadrant']); });
          });
          return {labels: labels.length, dots: dots.length, clashes};
        }""")
        page.close()
        assert found["dots"] == 31 and found["labels"] == 31, found
        assert found["clashes"] == [], found["clashes"]

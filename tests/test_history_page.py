"""Each journey's history page, built from a real git repository: the commits that
changed it (newest first, main line only), what each changed, the emotion across
commits as a chart and a table, depth, determinism, caching and hostile histories."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import commit, edit, git, parse_html, run
from test_diff import BASE, repo  # noqa: F401 - the same starting repository

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
HISTORY = "output/journeys/buy/history/index.html"


def _entries(root: Path) -> list:
    return parse_html(root / HISTORY).xpath("//li[contains(@class, 'commit')]")


def _text(node) -> str:
    return " ".join(node.text_content().split())


def _build(root: Path) -> None:
    result = run("build", str(root))
    assert result.exit_code == 0, result.output


@pytest.fixture
def story(repo: Path) -> Path:  # noqa: F811 - test_diff's fixture
    """first; an emotion change by Bea; a stage file renamed to a later place; a branch
    that closes a gap, merged; then an uncommitted edit."""
    edit(repo, "content/journeys/buy/01-call.md", "ana: -1", "ana: 1")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=Bea Díaz", "commit", "-q", "-m", "Call feels better",
        "--date=2026-03-04T10:00:00")
    git(repo, "mv", "content/journeys/buy/02-pay.md", "content/journeys/buy/05-pay.md")
    commit(repo, "Pay moves last")
    git(repo, "checkout", "-q", "-b", "fix")
    edit(repo, "content/journeys/buy/01-call.md", "status: in-progress", "status: done")
    commit(repo, "Staff hired")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge fix", "fix")
    edit(repo, "content/journeys/buy/03-leave.md", "emotion: 0", "emotion: -2")
    return repo


def test_commits_newest_first_each_with_what_it_changed(story: Path) -> None:
    _build(story)
    entries = _entries(story)
    subjects = [e.xpath(".//p[@class='commit-subject']")[0].text for e in entries]
    # Main line only: the branch's own commit is its merge; the uncommitted edit is not.
    assert subjects == ["Merge fix", "Pay moves last", "Call feels better", "first"]
    merge, moved, better, first = (_text(e) for e in entries)
    assert "Action Hire staff: In progress → Done" in merge
    # Renamed to a later place: the same stage, one of the two swapped is "moved".
    assert ": moved" in moved and "added" not in moved and "removed" not in moved
    assert "Emotion · Call · Ana: −1 → +1" in better
    assert "Journey created with 3 stages" in first
    bea = entries[2]
    assert bea.xpath(".//time/@datetime") == ["2026-03-04"] and "Bea Díaz" in _text(bea)
    short = git(story, "rev-parse", "--short", "HEAD~2").strip()
    assert bea.xpath(".//code")[0].text == short and bea.get("id") == f"commit-{short}"
    assert bea.xpath(".//li[@class='better']"), "a rise is marked as better"


def test_linked_both_ways_and_the_curve_across_commits(story: Path) -> None:
    _build(story)
    journey = parse_html(story / "output/journeys/buy/index.html")
    [link] = journey.xpath("//a[text()='History of this journey']/@href")
    page = (story / "output/journeys/buy" / link).resolve()
    assert page == (story / HISTORY).resolve()
    doc = parse_html(page)
    back = [h for h in doc.xpath("//nav[@class='crumbs']//a/@href") if h.endswith("buy/index.html")]
    assert (page.parent / back[0]).resolve() == (story / "output/journeys/buy/index.html")
    chart = doc.xpath("//svg[@class='cjm-trend']")[0]
    assert [g.get("data-series") for g in chart.xpath(".//*[@data-series]")] == ["Ana", "Bob"]
    marks = chart.xpath(".//*[@data-series='Ana']/*[@class='trend-mark']/*[local-name()='title']")
    # Ana's mean over the stages after each commit, oldest first: (-1 + 1 + 0) / 3, then
    # (1 + 1 + 0) / 3 once the call feels better.
    assert [m.text.rsplit(": ", 1)[1] for m in marks] == ["0", "0.67", "0.67", "0.67"]
    rows = doc.xpath("//details//tbody/tr")  # newest first; Bob: (0 + 1 + 0) / 3
    assert len(rows) == 4 and [c.text for c in rows[-1].xpath("td")][2:] == ["0", "0.33"]
    assert len(doc.xpath("//div[@class='commit-curve']/svg")) == 4  # one sparkline each


def test_depth_and_switching_off(story: Path) -> None:
    (story / "cjmsite.toml").write_text("[site]\nhistory_depth = 2\n", encoding="utf-8")
    _build(story)
    assert len(_entries(story)) == 2
    (story / "cjmsite.toml").write_text("[site]\nhistory_depth = 0\n", encoding="utf-8")
    _build(story)
    assert not (story / HISTORY).exists()
    assert b"history/index.html" not in (story / "output/journeys/buy/index.html").read_bytes()
    (story / "cjmsite.toml").write_text("[site]\ngit = false\n", encoding="utf-8")
    _build(story)
    assert not (story / HISTORY).exists()
    (story / "cjmsite.toml").write_text("[site]\nhistory_depth = -1\n", encoding="utf-8")
    result = run("build", str(story))
    assert result.exit_code == 1 and "cjmsite.toml:2: error: 'site.history_depth' is -1" \
        in result.output
    assert (story / "output").is_dir()  # the previous output stays


def test_same_commit_same_bytes_cached_or_not(story: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _build(story)
    first = (story / HISTORY).read_bytes()
    _build(story)
    assert (story / HISTORY).read_bytes() == first
    monkeypatch.setenv("CJMSITE_CACHE_DIR", str(tmp_path / "other-cache"))
    shutil.rmtree(story / "output")
    _build(story)
    assert (story / HISTORY).read_bytes() == first
    commit(story, "Leave is awful")  # the uncommitted edit, now a commit
    _build(story)
    entries = _entries(story)
    assert len(entries) == 5 and "Emotion · Leave · Ana: 0 → −2" in _text(entries[0])
    assert "Emotion · Leave · Bob: 0 → −2" in _text(entries[0])
    rebuilt = (story / HISTORY).read_bytes()  # incremental, from the cached history
    monkeypatch.setenv("CJMSITE_CACHE_DIR", str(tmp_path / "a-third-cache"))
    shutil.rmtree(story / "output")
    _build(story)
    assert (story / HISTORY).read_bytes() == rebuilt


def test_outside_git_there_is_no_history(tmp_path: Path) -> None:
    from conftest import write_files

    root = write_files(tmp_path / "plain", BASE)
    _build(root)
    assert not (root / HISTORY).exists()
    assert (root / "output/journeys/buy/index.html").exists()


def test_hostile_history(repo: Path) -> None:  # noqa: F811
    """Markup and control characters in commit subjects and author names, a huge file and
    a broken stage in the past: escaped, parsed, skipped; the build never fails."""
    big = repo / "content/journeys/buy/04-big.md"
    big.write_bytes(b"---\ntitle: Big\n---\n" + b"x" * (3 * 1024 * 1024))
    (repo / "content/journeys/buy/06-bad.md").write_text("---\ntitle: [unclosed\n---\n")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=<b>Eve</b>\x01", "commit", "-q", "-m",
        "<script>alert(1)</script>\x01" + "0" * 40 + "\x02 trick")
    big.unlink()
    (repo / "content/journeys/buy/06-bad.md").unlink()
    commit(repo, "clean up")
    _build(repo)
    raw = (repo / HISTORY).read_text(encoding="utf-8")
    assert "<script>alert" not in raw and "&lt;script&gt;" in raw
    subjects = [e.xpath(".//p[@class='commit-subject']")[0].text_content()
                for e in _entries(repo)]
    assert subjects[0] == "clean up" and subjects[1].startswith("<script>alert(1)</script>")
    assert subjects[2] == "first"


def test_detached_head_builds_the_history_of_that_commit(story: Path) -> None:
    git(story, "stash", "-q")
    git(story, "checkout", "-q", "--detach", "HEAD~1")  # "Pay moves last"
    _build(story)
    subjects = [e.xpath(".//p[@class='commit-subject']")[0].text for e in _entries(story)]
    assert subjects == ["Pay moves last", "Call feels better", "first"]


def test_the_sitemap_lists_every_page_history_pages_too(story: Path) -> None:
    """The sitemap is the page table's list of pages: every HTML page built (but the
    404 page) is in it, and nothing else, history pages included."""
    (story / "cjmsite.toml").write_text('[site]\nbase_url = "https://cx.example.org/"\n',
                                        encoding="utf-8")
    _build(story)
    output = story / "output"
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    listed = {loc[len("https://cx.example.org/"):] for loc in
              (part.split("</loc>")[0] for part in sitemap.split("<loc>")[1:])}
    pages = {path.relative_to(output).as_posix()[:-len("index.html")]
             for path in output.rglob("index.html")}
    assert "journeys/buy/history/" in pages
    assert listed == pages

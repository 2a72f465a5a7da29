"""Regenerate docs/screenshots/: home, journey, blueprint map, touchpoint, persona, gap
and survey pages of the example site, light and dark, as a reader sees them in Chromium.

    python docs/make_screenshots.py     # needs Debian's chromium and Playwright

tests/test_screenshots.py renders them again and fails when the committed ones are stale."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_images import REPO, build_example, chromium  # noqa: E402

SCREENSHOTS = REPO / "docs" / "screenshots"
PAGES = {
    "home": "index.html",
    "journey": "journeys/experiencia-global/index.html",
    "touchpoint": "touchpoints/recepcion/index.html",
    "persona": "personas/carla-conductora/index.html",
    "gaps": "gaps/index.html",
    "blueprint": "journeys/recepcion-y-facturacion/index.html#h-map",
    "survey": "surveys/nps-postventa/index.html",
    "attention": "attention/index.html",
    "insights": "insights/index.html",
    "insight": "insights/entrevistas-espera-recepcion/index.html",
}
# The gap index marks overdue actions from the reader's date: screenshots use a fixed one.
TODAY = "2026-11-24T12:00:00"
SCHEMES = ("light", "dark")
VIEWPORT = {"width": 1280, "height": 1000}


def shoot_all(browser, output: Path, folder: Path) -> list[Path]:
    """One PNG per page and colour scheme, named `{page}-{scheme}.png`, from a Playwright
    browser (the tests pass theirs)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for scheme in SCHEMES:
        context = browser.new_context(viewport=VIEWPORT, color_scheme=scheme,
                                      device_scale_factor=1)
        page = context.new_page()
        page.clock.set_fixed_time(TODAY)
        for name, rel in PAGES.items():
            path, _, anchor = rel.partition("#")
            page.goto((output / path).as_uri() + (f"#{anchor}" if anchor else ""))
            page.evaluate("document.fonts.ready")
            shot = folder / f"{name}-{scheme}.png"
            page.screenshot(path=str(shot), animations="disabled", caret="hide")
            written.append(shot)
        context.close()
    return written


def main() -> None:
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CJMSITE_CHROMIUM") or chromium()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable,
                                             args=["--no-sandbox", "--disable-gpu"])
        for path in shoot_all(browser, build_example(Path(tmp)), SCREENSHOTS):
            print(f"wrote {path.relative_to(REPO)}")
        browser.close()


if __name__ == "__main__":
    main()

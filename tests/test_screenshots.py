"""The committed screenshots in docs/screenshots/ match what the current code renders.

After an intended visual change: python docs/make_screenshots.py"""

from __future__ import annotations

import base64
import sys
from pathlib import Path

from conftest import REPO

sys.path.insert(0, str(REPO / "docs"))
import make_screenshots  # noqa: E402

# Share of pixels that may differ (anti-aliasing); a stale screenshot differs far more.
TOLERANCE = 0.005

_DIFF = """async ([a, b]) => {
    const load = src => new Promise((ok, fail) => {
        const img = new Image(); img.onload = () => ok(img); img.onerror = fail; img.src = src;
    });
    const [x, y] = await Promise.all([load(a), load(b)]);
    if (x.width !== y.width || x.height !== y.height) return 1;
    const pixels = img => {
        const canvas = document.createElement('canvas');
        canvas.width = img.width; canvas.height = img.height;
        const ctx = canvas.getContext('2d');
        ctx.drawImage(img, 0, 0);
        return ctx.getImageData(0, 0, img.width, img.height).data;
    };
    const p = pixels(x), q = pixels(y);
    let differ = 0;
    for (let i = 0; i < p.length; i += 4) {
        if (Math.abs(p[i] - q[i]) + Math.abs(p[i + 1] - q[i + 1])
            + Math.abs(p[i + 2] - q[i + 2]) > 48) differ++;
    }
    return differ / (p.length / 4);
}"""


def _data_url(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()


def _difference(browser, a: Path, b: Path) -> float:
    page = browser.new_page()
    try:
        return page.evaluate(_DIFF, [_data_url(a), _data_url(b)])
    finally:
        page.close()


def test_committed_screenshots_are_current(browser, example_build: Path, tmp_path: Path) -> None:
    fresh = make_screenshots.shoot_all(browser, example_build, tmp_path)
    committed = sorted(p.name for p in make_screenshots.SCREENSHOTS.glob("*.png"))
    assert committed == sorted(p.name for p in fresh)
    assert len(committed) == 2 * len(make_screenshots.PAGES)  # each page type, light and dark
    stale = {}
    for path in fresh:
        share = _difference(browser, path, make_screenshots.SCREENSHOTS / path.name)
        if share > TOLERANCE:
            stale[path.name] = round(share, 4)
    assert stale == {}, f"regenerate with python docs/make_screenshots.py: {stale}"


def test_the_comparison_sees_a_changed_page(browser, example_build: Path,
                                            tmp_path: Path) -> None:
    light, dark = (make_screenshots.SCREENSHOTS / f"home-{s}.png" for s in ("light", "dark"))
    assert _difference(browser, light, light) == 0
    assert _difference(browser, light, dark) > 0.5

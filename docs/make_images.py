"""Regenerate the images in docs/images/ from the example site (and a 40-stage stress map).

    python docs/make_images.py          # needs Debian's chromium (apt-get install chromium)

Renders with headless Chromium, so what the README shows is what a browser shows."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IMAGES = REPO / "docs" / "images"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("chromium not found: apt-get install -y chromium")


def shoot(url: str, out: Path, size: str, work: Path, dark: bool = False) -> None:
    args = [chromium(), *FLAGS, f"--user-data-dir={work / 'profile'}", f"--window-size={size}",
            f"--screenshot={out}"]
    if dark:
        args.append("--force-dark-mode")
    subprocess.run([*args, url], check=True, capture_output=True, timeout=120)
    print(f"wrote {out.relative_to(REPO)}")


def build(root: Path) -> Path:
    subprocess.run([sys.executable, "-m", "cjmsite", "build", "--quiet", str(root)], check=True)
    return root / "output"


def build_example(work: Path) -> Path:
    """The shipped example, copied and built in `work`; returns its output folder."""
    example = work / "example"
    example.mkdir()
    shutil.copytree(REPO / "content", example / "content")
    shutil.copy(REPO / "cjmsite.toml", example / "cjmsite.toml")
    return build(example)


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        out = build_example(work)
        journey = out / "journeys" / "experiencia-global"
        shoot((journey / "map.svg").as_uri(), IMAGES / "journey-map.png", "2060,1290", work)
        shoot((journey / "index.html").as_uri(), IMAGES / "journey-page.png", "1280,1700", work)
        shoot((out / "journeys/recepcion-y-facturacion/index.html").as_uri(),
              IMAGES / "journey-page-dark.png", "1280,1500", work, dark=True)
        sys.path.insert(0, str(REPO / "tests"))
        from stress import make_stress_site

        stress = build(make_stress_site(work / "stress"))
        shoot((stress / "journeys/largo/map.svg").as_uri(), IMAGES / "stress-map.png",
              "3000,2400", work)


if __name__ == "__main__":
    main()

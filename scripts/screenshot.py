"""Render a graphkit HTML map in headless Chromium and save a PNG (``make screenshot``).

Usage: python scripts/screenshot.py [out/graph.html] [out/graph.png] [--width 1600 --height 1000]

Uses Debian's chromium + chromedriver (``make browser``) with the network blocked, waits until
the map is drawn, lets label sizes settle, then captures the viewport.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import (  # noqa: E402
    SKIP_REASON,
    browser_available,
    console_errors,
    make_driver,
    open_page,
    requests_made,
)


def screenshot(html: Path, png: Path, *, width: int = 1600, height: int = 1000) -> list[str]:
    """Save a ``width``×``height`` PNG of ``html``; return the page's console errors."""
    driver = make_driver(width, height)
    try:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        open_page(driver, html)
        time.sleep(0.5)  # one more frame for label sizes after the first draw
        png.parent.mkdir(parents=True, exist_ok=True)
        png.write_bytes(driver.get_screenshot_as_png())
        remote = [u for u in requests_made(driver) if u.startswith(("http:", "https:"))]
        return console_errors(driver) + [f"network request attempted: {u}" for u in remote]
    finally:
        driver.quit()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("html", nargs="?", default="out/graph.html", type=Path)
    ap.add_argument("png", nargs="?", default="out/graph.png", type=Path)
    ap.add_argument("--width", type=int, default=1600)
    ap.add_argument("--height", type=int, default=1000)
    args = ap.parse_args(argv)
    if not args.html.exists():
        print(
            f"error: {args.html} not found; build it first: graphkit build seeds -o out",
            file=sys.stderr,
        )
        return 1
    if not browser_available():
        print(f"error: {SKIP_REASON}", file=sys.stderr)
        return 1
    problems = screenshot(args.html, args.png, width=args.width, height=args.height)
    for p in problems:
        print(f"warning: {p}", file=sys.stderr)
    print(f"wrote {args.png} ({args.width}x{args.height})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

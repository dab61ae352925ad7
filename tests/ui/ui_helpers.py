"""Small helpers shared by the browser tests (kept out of conftest so tests can import them)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def screenshot(page, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=full_page)
    return target


def pick(page, elem_id: str, option: str) -> None:
    """Choose an option in a Gradio dropdown by its visible label."""
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option", name=option, exact=True).click()


def write_docs_screenshot(page, target: Path, max_bytes: int = 150_000) -> Path | None:
    """Refresh the README screenshot only on request (KENNISLOKET_DOCS_SCREENSHOT=1):
    a viewport shot, reduced to a 128-colour palette so it stays small."""
    if not os.environ.get("KENNISLOKET_DOCS_SCREENSHOT"):
        return None
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(page.screenshot(full_page=False))).convert("RGB")
    image = image.quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, optimize=True)
    assert target.stat().st_size < max_bytes, f"{target} is te groot"
    return target

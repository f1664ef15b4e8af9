"""Write one PDF of each document kind from a fresh demo cooperative (`make pdf-samples`: python -m cli.samples)."""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

SAMPLES = {
    "receipt-a5": ("receipt", {"sale_id": 2, "fmt": "a5"}),
    "receipt-80mm": ("receipt", {"sale_id": 2, "fmt": "80mm"}),
    "receipt-58mm": ("receipt", {"sale_id": 2, "fmt": "58mm", "duplicate": True}),
    "statement": ("statement", {"member_id": 1, "start": date(2025, 1, 1), "end": date(2025, 12, 31)}),
    "tax-filing": ("tax-filing", {"start": date(2025, 1, 1), "end": date(2025, 12, 31)}),
    "production": ("production", {"start": date(2025, 1, 1), "end": date(2025, 12, 31)}),
    "safety": ("safety", {"start": date(2025, 1, 1), "end": date(2025, 12, 31)}),
    "mercury": ("mercury", {"start": date(2025, 1, 1), "end": date(2025, 12, 31)}),
    "census": ("census", {"end": date(2025, 12, 31)}),
    "custody": ("custody", {"sale_id": 2}),
    "annual": ("annual", {"year": 2025}),
}


def main(out: str) -> int:
    import reports
    from coop.db import open_database
    from coop.permissions import SYSTEM
    from coop.services import demo

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "demo.sqlite")
        demo.create(SYSTEM)
        for name, (kind, params) in SAMPLES.items():
            (folder / f"{name}.pdf").write_bytes(
                reports.build(kind, SYSTEM, printed=date(2026, 1, 15), **params)
            )
            print(folder / f"{name}.pdf")
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/samples"))

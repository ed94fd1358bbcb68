"""How long making an acknowledgement PDF takes, cold and warm, and storing it in a dossier.

    python benchmarks/letters.py [--repeat 50]

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    started = time.perf_counter()
    from klachtdesk.letters.documents import ComplaintFacts, Setup, acknowledgement
    from klachtdesk.letters.layout import Letterhead, Signatory, render
    from klachtdesk.procedure import Channel

    imported = time.perf_counter()
    setup = Setup(
        Letterhead("Gemeente Herent", "Wilselsesteenweg 28", "3020", "Herent", "www.herent.be"),
        Signatory("Ann Peeters", "Klachtencoördinator", "+32 16 85 30 00", "klachten@herent.be"),
        "Herent",
    )
    facts = ComplaintFacts(
        "2026-0042", date(2026, 3, 2), Channel.EMAIL, "De container werd niet geledigd.",
        "Sébastien Dewaele", "Kerkstraat 12", "3020", "Herent", "", "s.dewaele@example.be",
    )  # fmt: skip

    def one() -> bytes:
        return render(
            acknowledgement(
                setup,
                facts,
                date(2026, 3, 5),
                admissible=True,
                answer_by=date(2026, 4, 16),
                handler="Inge Claes",
            )
        )

    t = time.perf_counter()
    pdf = one()
    cold = time.perf_counter() - t
    warm = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        one()
        warm.append((time.perf_counter() - t) * 1000)

    from klachtdesk.models import create_register
    from klachtdesk.procedure import Intake
    from klachtdesk.services import complaints as svc
    from klachtdesk.services.context import ServiceContext
    from klachtdesk.services.correspondence import ACKNOWLEDGEMENT, generate
    from klachtdesk.services.setup import Coordinator, Municipality, initial_setup

    folder = Path(tempfile.mkdtemp(prefix="klachtdesk-letters-bench-"))
    try:
        with create_register(folder / "data", "benchmark-wachtwoord"):
            ctx = ServiceContext(actor="benchmark")
            initial_setup(ctx, Municipality("Gemeente Herent"), Coordinator("Ann Peeters"), [], [])
            cid = svc.register_complaint(
                ctx, Intake(channel=Channel.EMAIL, received_on=date.today(), description="x",
                            received_by="Onthaal", name="Jan", email="jan@example.be"),
            )  # fmt: skip
            svc.decide_admissibility(ctx, cid, [])
            generate(ctx, cid, ACKNOWLEDGEMENT)
            stored = []
            for _ in range(10):
                t = time.perf_counter()
                generate(ctx, cid, ACKNOWLEDGEMENT)
                stored.append((time.perf_counter() - t) * 1000)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(f"import letters (ReportLab, fonts)     {(imported - started) * 1000:.0f} ms")
    print(f"acknowledgement PDF, first (cold)     {cold * 1000:.0f} ms, {len(pdf) // 1024} kB")
    print(
        f"acknowledgement PDF, warm (median/max of {args.repeat})  "
        f"{statistics.median(warm):.1f} / {max(warm):.1f} ms"
    )
    print(f"generate + store in the dossier (median of 10)  {statistics.median(stored):.1f} ms")


if __name__ == "__main__":
    main()

"""A writing process for the kill -9 test (``test_kill_writer.py``).

Started once, it imports klachtdesk and then waits on stdin. For each line (``register`` or
``demo``) it forks a writer that opens the register in the folder given as argument and
writes through the services until it is killed:

- ``register``: registers complaints one by one (every other one also decided and
  acknowledged, and a draft saved in between), printing ``ack <reference>`` after each
  registration's transaction committed;
- ``demo``: fills in 25 demo complaints in one transaction, printing ``demo <count>`` after it
  committed, then goes on registering as above.

The writer first prints ``writer <pid>`` so the test knows whom to kill. This process reaps
it and prints ``reaped`` (forking saves the ~1 s import of every new process: 30 kills stay
cheap). Every line is flushed at once: a line printed is a transaction committed.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

from klachtdesk.models import Complaint, open_register
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.demo import fill_with_demo
from klachtdesk.services.drafts import save_draft

from .conftest import PASSPHRASE
from .helpers import intake

DEMO_COUNT = 25


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _write(folder: Path, what: str) -> None:
    ctx = ServiceContext(actor="schrijver", clock=lambda: datetime(2026, 3, 2, 9, 30))
    _say(f"writer {os.getpid()}")
    with open_register(folder, PASSPHRASE):
        if what == "demo":
            fill_with_demo(ctx, DEMO_COUNT, seed=os.getpid())
            _say(f"demo {Complaint.select().count()}")
        number = 0
        while True:
            number += 1
            name = f"Schrijver {os.getpid()}-{number}"
            save_draft({"name": name, "description": "Wordt nog getypt. " * 50})
            complaint_id = svc.register_complaint(
                ctx, intake(name=name, description=f"Klacht {number}. " + "Tekst. " * 400)
            )
            _say(f"ack {Complaint.get_by_id(complaint_id).reference}")
            if number % 2 == 0:
                svc.decide_admissibility(ctx, complaint_id, [])
                svc.record_acknowledgement(ctx, complaint_id)


def main() -> None:
    folder = Path(sys.argv[1])
    for line in sys.stdin:
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            try:
                _write(folder, line.strip())
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        _say("reaped")


if __name__ == "__main__":
    main()

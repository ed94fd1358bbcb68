"""The floor of klachtdesk's start: the least any program must do to show this register.

    python benchmarks/startup_floor.py DATA_DIR [--watch]

Run by benchmarks/startup_speed.py as a process of its own, beside klachtdesk. In one
process: import PySide6, show and paint a bare QMainWindow, unwrap the register's data key
from its key file exactly as klachtdesk does (Argon2id with the slot's parameters, then
AES-GCM; the key derivation, about a third of a second, is part of both sides), key a raw
SQLCipher connection with it and run the first query: the first screenful of the list (50
rows, newest received first, through the received-date index). Says "window shown" on
stderr, as klachtdesk does with KLACHTDESK_REPORT_STARTUP.

With --watch it then runs the deadline watch's query bare (the open dossiers whose next due
date falls within a week, through the due-date index, as tuples) and says
"deadline watch shown". Nothing else of klachtdesk is imported.
"""

from __future__ import annotations

import base64
import json
import os
import sys
from datetime import date, timedelta
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from Cryptodome.Cipher import AES
from PySide6.QtWidgets import QApplication, QMainWindow
from sqlcipher3 import dbapi2 as sqlcipher

# What the watch needs of each dossier to compute its limits (services.dossiers.DOSSIER_COLUMNS).
LIMIT_COLUMNS = (
    "channel", "received_on", "coordinator_received_on", "state", "solved_immediately",
    "admissible", "decided_on", "acknowledged_on", "sent_to_handler_on", "assessed_on",
    "outcome", "no_judgement_reason", "first_returned_on", "last_returned_on",
    "review_failed_on", "failed_reviews", "approved_on", "reply_sent_on", "closed_on",
    "withdrawn_on", "acknowledgement_days", "handler_days", "reinvestigation_days",
    "closing_days",
)  # fmt: skip


def sqlcipher_key(key_path: Path, passphrase: str) -> str:
    content = json.loads(key_path.read_text("utf-8"))
    slot = content["slots"]["passphrase"]
    wrapping = hash_secret_raw(
        passphrase.encode("utf-8"),
        base64.b64decode(slot["salt"]),
        time_cost=int(slot["time_cost"]),
        memory_cost=int(slot["memory_cost_kib"]),
        parallelism=int(slot["parallelism"]),
        hash_len=32,
        type=Type.ID,
    )
    sealed = base64.b64decode(slot["ciphertext"])
    cipher = AES.new(wrapping, AES.MODE_GCM, nonce=base64.b64decode(slot["nonce"]), mac_len=16)
    cipher.update(f"klachtdesk-key/1/{content['register_id']}/passphrase".encode())
    key = cipher.decrypt_and_verify(sealed[:-16], sealed[-16:])
    return f"x'{key.hex()}{content['database_salt']}'"


def main() -> None:
    folder = Path(sys.argv[1])
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("floor")
    window.resize(1200, 800)
    conn = sqlcipher.connect(str(folder / "klachtdesk.db"), isolation_level=None)
    key = sqlcipher_key(folder / "klachtdesk.key", os.environ["KLACHTDESK_PASSPHRASE"])
    conn.execute("PRAGMA key='{}'".format(key.replace("'", "''")))
    rows = conn.execute(
        "SELECT id, reference, received_on, name, channel, state, next_due_on FROM complaint "
        "ORDER BY received_on DESC LIMIT 50"
    ).fetchall()
    assert len(rows) == 50
    window.show()
    window.repaint()
    app.processEvents()
    print("window shown", file=sys.stderr, flush=True)
    if "--watch" in sys.argv:
        horizon = date.today() + timedelta(days=7)
        watched = conn.execute(
            f"SELECT id, reference, handler_id, {', '.join(LIMIT_COLUMNS)} FROM complaint "
            "WHERE next_due_on <= ? AND state != 'closed'",
            (horizon.isoformat(),),
        ).fetchall()
        window.statusBar().showMessage(f"{len(watched)} termijnen")
        window.repaint()
        app.processEvents()
        print("deadline watch shown", file=sys.stderr, flush=True)
    conn.close()


if __name__ == "__main__":
    main()

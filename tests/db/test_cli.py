"""The ``klachtdesk`` command as an administrator runs it: a real process, a real register."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

from klachtdesk.models import Complaint, database, open_register
from klachtdesk.procedure import Outcome, State
from klachtdesk.services.check import check_register
from klachtdesk.services.setup import coordinator, municipality

from .conftest import PASSPHRASE


def run(
    *args: str,
    passphrase: str | None = PASSPHRASE,
    data_dir: Path | None = None,
    **env_values: str,
) -> subprocess.CompletedProcess[str]:
    """``klachtdesk ARGS`` in a process of its own, with only the KLACHTDESK_ variables given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLACHTDESK_")}
    if passphrase is not None:
        env["KLACHTDESK_PASSPHRASE"] = passphrase
    if data_dir is not None:
        env["KLACHTDESK_DATA_DIR"] = str(data_dir)
    env.update(env_values)
    return subprocess.run(
        [sys.executable, "-m", "klachtdesk", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


def test_demo_then_check(data_dir: Path) -> None:
    made = run("--data-dir", str(data_dir), "demo", "--count", "300")
    assert made.returncode == 0, made.stderr
    assert "Nieuw register" in made.stdout and "300 fictieve klachten" in made.stdout
    checked = run("check", data_dir=data_dir)
    assert checked.returncode == 0, checked.stderr
    assert "Register in orde: 300 dossiers" in checked.stdout
    with open_register(data_dir, PASSPHRASE):
        states = {c.state for c in Complaint.select(Complaint.state)}
        channels = {c.channel for c in Complaint.select(Complaint.channel)}
        outcomes = {c.outcome for c in Complaint.select(Complaint.outcome)}
        rows = list(Complaint.select())
        assert len(channels) == 5
        assert {State.REGISTERED, State.WITH_HANDLER, State.CLOSED} <= states
        # Withdrawals end closed, with the outcome of a stop by the citizen.
        assert all(
            c.state is State.CLOSED and c.outcome is Outcome.STOPPED_BY_CITIZEN
            for c in rows
            if c.withdrawn_on is not None
        )
        assert len(outcomes - {None}) >= 5
        assert Complaint.select().where(Complaint.name == "").exists()  # anonymous ones too
        # Deadlines met late and still pending, as a real register has them.
        assert any(
            c.acknowledged_on and (c.acknowledged_on - c.received_on).days > 10 for c in rows
        )
        assert any(c.next_due_on is not None for c in rows)
        assert any(c.next_due_on is not None and c.next_due_on < date.today() for c in rows)
        # A new demo register can be tried at once: letters and Settings need these.
        town, me = municipality(), coordinator()
        assert town is not None and town.name == "Gemeente Voorbeeld"
        assert me is not None and me.name
    again = run("--data-dir", str(data_dir), "demo", "--count", "50")
    assert again.returncode == 0 and "Register in" in again.stdout
    assert "Register in orde: 350 dossiers" in run("check", data_dir=data_dir).stdout


def test_check_reports_a_tampered_register(data_dir: Path) -> None:
    assert run("--data-dir", str(data_dir), "demo", "--count", "20").returncode == 0
    with open_register(data_dir, PASSPHRASE):
        database.execute_sql("DROP TRIGGER audit_content_no_update")
        database.execute_sql(
            "UPDATE audit_content SET summary = 'niets gebeurd' WHERE event_id = 5"
        )
        assert not check_register().ok
    checked = run("check", data_dir=data_dir)
    assert checked.returncode == 1
    assert "gebeurtenis 5" in checked.stderr


def test_wrong_passphrase_exits_with_a_dutch_message(data_dir: Path) -> None:
    assert run("--data-dir", str(data_dir), "demo", "--count", "5").returncode == 0
    result = run("check", data_dir=data_dir, passphrase="verkeerd wachtwoord")
    assert result.returncode == 1
    assert "wachtwoord is niet juist" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_register_and_missing_passphrase(data_dir: Path) -> None:
    data_dir.mkdir()
    result = run("check", data_dir=data_dir)
    assert result.returncode == 1 and "nog geen klachtdesk-register" in result.stderr
    result = run("--data-dir", str(data_dir), "demo", passphrase=None)
    assert result.returncode != 0 and "KLACHTDESK_PASSPHRASE" in result.stderr


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("klachtdesk 0.")


def test_a_data_folder_that_cannot_be_one_is_explained(tmp_path: Path) -> None:
    a_file = tmp_path / "geen-map.txt"
    a_file.write_text("ik ben een bestand")
    for folder, reason in ((a_file, "er staat een bestand met die naam"),
                           (a_file / "sub", "een deel van het pad is een bestand")):  # fmt: skip
        made = run("--data-dir", str(folder), "demo", "--count", "3")
        assert made.returncode == 1 and "Traceback" not in made.stderr, made.stderr
        assert f"De map {folder} kan niet als gegevensmap dienen: {reason}." in made.stderr
        assert "--data-dir MAP" in made.stderr  # the command line's own advice
    assert a_file.read_text() == "ik ben een bestand"


def test_sigterm_ends_the_program_while_the_setup_or_unlock_dialog_is_open(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLACHTDESK_")}
    env |= {"QT_QPA_PLATFORM": "offscreen", "KLACHTDESK_REPORT_STARTUP": "1"}
    data = tmp_path / "data"
    for shown in ("setup wizard shown", "unlock dialog shown"):
        with subprocess.Popen(
            [sys.executable, "-m", "klachtdesk", "--data-dir", str(data)],
            env=env, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
        ) as process:  # fmt: skip
            assert process.stderr is not None
            try:
                while shown not in (line := process.stderr.readline()):
                    assert line, f"ended before '{shown}'"
                process.send_signal(signal.SIGTERM)
                assert process.wait(timeout=30) == 0
            finally:
                if process.poll() is None:
                    process.kill()
        if shown.startswith("setup"):  # nothing was set up; make a register for the unlock
            assert not (data / "klachtdesk.db").exists()
            made = run("--data-dir", str(data), "demo", "--count", "1")
            assert made.returncode == 0, made.stderr


def test_check_says_a_missing_folder_or_register_is_missing_before_any_passphrase(
    tmp_path: Path,
) -> None:
    # No passphrase and no terminal: asking for one would fail with "Geen wachtwoord".
    missing = tmp_path / "bestaat-niet"
    result = run("check", "--data-dir", str(missing), passphrase=None)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == f"De map {missing} bestaat niet."
    assert not missing.exists()  # and nothing was made
    empty = tmp_path / "leeg"
    empty.mkdir()
    result = run("check", "--data-dir", str(empty), passphrase=None)
    assert result.returncode == 1
    assert result.stderr.strip() == f"Er is nog geen klachtdesk-register in de map {empty}."


ENGLISH = ("usage", "options", "error", "show this", "invalid", "unrecognized", "arguments",
           "choose from", "expected", "required", "positional", "version number")  # fmt: skip


def test_help_and_usage_errors_are_in_dutch() -> None:
    shown = run("--help")
    assert shown.returncode == 0
    lines = shown.stdout.splitlines()
    # Without a command the program itself starts: the usage line shows it as optional.
    assert lines[0] == "gebruik: klachtdesk [-h] [--version] [--data-dir MAP] [OPDRACHT]"
    for text in ("opdrachten:", "opties:", "-h, --help      toon deze hulp en stop",
                 "--version       toon het versienummer en stop", "--data-dir MAP  map met"):  # fmt: skip
        assert text in shown.stdout
    shown_demo = run("demo", "--help")
    assert shown_demo.stdout.startswith("gebruik: klachtdesk demo [-h] [--data-dir MAP]")
    assert "--count AANTAL" in shown_demo.stdout
    for output in (shown.stdout, shown_demo.stdout):
        assert not [word for word in ENGLISH if word in output.lower()], output
    for args, message in (
        # (how the choices are quoted differs between Python versions)
        (["bla"], "klachtdesk: fout: OPDRACHT: ongeldige keuze: 'bla' (kies uit "),
        (["--x"], "klachtdesk: fout: onbekende argumenten: --x"),
        (["check", "--x"], "klachtdesk: fout: onbekende argumenten: --x"),
        (
            ["demo", "--count", "veel"],
            "klachtdesk demo: fout: --count: ‘veel’ is geen geheel getal",
        ),
        (["check", "--data-dir"], "klachtdesk check: fout: --data-dir: hier hoort één waarde bij"),
    ):
        wrong = run(*args)
        assert wrong.returncode == 2
        assert wrong.stderr.startswith("gebruik: klachtdesk")
        assert wrong.stderr.splitlines()[-1].startswith(message)
        assert not [word for word in ENGLISH if word in wrong.stderr.lower()], wrong.stderr


def test_data_dir_before_or_after_the_command(tmp_path: Path) -> None:
    after = tmp_path / "na"
    made = run("demo", "--count", "2", "--data-dir", str(after))
    assert made.returncode == 0, made.stderr
    assert f"Nieuw register in {after}" in made.stdout
    for args in (("--data-dir", str(after), "check"), ("check", "--data-dir", str(after))):
        checked = run(*args, data_dir=tmp_path / "elders")  # the option wins over the variable
        assert checked.returncode == 0, checked.stderr
        assert "Register in orde: 2 dossiers" in checked.stdout


def test_retention_lists_then_anonymises_dossiers_past_their_term(data_dir: Path) -> None:
    from klachtdesk.services.context import ServiceContext
    from klachtdesk.services.retention import past_retention, set_retention_years

    assert run("--data-dir", str(data_dir), "demo", "--count", "200").returncode == 0
    with open_register(data_dir, PASSPHRASE):
        set_retention_years(ServiceContext(actor="test"), 1)
        expired = past_retention(date.today())
        ids = {d.complaint_id for d in expired}
        names = {c.id: c.name for c in Complaint.select() if c.id in ids}
    assert expired and any(names.values())
    listed = run("retention", data_dir=data_dir)
    assert listed.returncode == 0, listed.stderr
    assert (
        f"{len(expired)} dossiers voorbij de bewaartermijn (1 jaar na afsluiten)" in listed.stdout
    )
    assert expired[0].reference in listed.stdout and "Geef --apply" in listed.stdout
    with open_register(data_dir, PASSPHRASE):  # listing changed nothing
        assert Complaint.get_by_id(expired[0].complaint_id).name == names[expired[0].complaint_id]
    applied = run("retention", "--apply", data_dir=data_dir)
    assert applied.returncode == 0, applied.stderr
    assert f"{len(expired)} dossiers geanonimiseerd." in applied.stdout
    with open_register(data_dir, PASSPHRASE):
        assert all(Complaint.get_by_id(cid).name == "" for cid in names)
        assert check_register().ok
    again = run("retention", data_dir=data_dir)
    assert "Geen afgesloten dossiers ouder dan de bewaartermijn (1 jaar)" in again.stdout
    refused = run("retention", "--apply", data_dir=data_dir, passphrase="verkeerd wachtwoord")
    assert refused.returncode == 1 and "wachtwoord is niet juist" in refused.stderr
    assert "Traceback" not in refused.stderr

"""The ``klachtdesk`` command: the program itself, and a few commands for administrators.

Messages are in Dutch, like the rest of the program. The passphrase is read from
``KLACHTDESK_PASSPHRASE`` (for scripts and tests) or asked for at a prompt; a new one from
``KLACHTDESK_NEW_PASSPHRASE``, the recovery key from ``KLACHTDESK_RECOVERY_KEY``.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from klachtdesk import __version__

if TYPE_CHECKING:
    from klachtdesk.procedure import UserError

PASSPHRASE_ENV = "KLACHTDESK_PASSPHRASE"
NEW_PASSPHRASE_ENV = "KLACHTDESK_NEW_PASSPHRASE"
RECOVERY_KEY_ENV = "KLACHTDESK_RECOVERY_KEY"

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2


# argparse's own texts (usage, errors, the help option) in Dutch: argparse looks each one up
# through its module-level gettext functions, which _in_dutch swaps for this table.
DUTCH_ARGPARSE = {
    "usage: ": "gebruik: ",
    "options": "opties",
    "positional arguments": "opdrachten",
    "show this help message and exit": "toon deze hulp en stop",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ongeldige keuze: %(value)r (kies uit %(choices)s)"
    ),
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "deze argumenten ontbreken: %s",
    "expected one argument": "hier hoort één waarde bij",
    "expected at most one argument": "hier hoort hoogstens één waarde bij",
    "expected at least one argument": "hier hoort minstens één waarde bij",
    "expected %s argument": "hier hoort %s waarde bij",
    "expected %s arguments": "hier horen %s waarden bij",
    "ambiguous option: %(option)s could match %(matches)s": (
        "dubbelzinnige optie: %(option)s kan %(matches)s zijn"
    ),
    "invalid %(type)s value: %(value)r": "ongeldige waarde: %(value)r",
    "ignored explicit argument %r": "bij deze optie hoort geen waarde: %r",
    "not allowed with argument %s": "niet samen met %s",
    "one of the arguments %s is required": "een van deze argumenten is nodig: %s",
}


@contextlib.contextmanager
def _in_dutch() -> Iterator[None]:
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = lambda text: DUTCH_ARGPARSE.get(text, text)  # type: ignore[attr-defined]
    argparse.ngettext = lambda one, many, n: DUTCH_ARGPARSE.get(  # type: ignore[attr-defined]
        one if n == 1 else many, one if n == 1 else many
    )
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"‘{text}’ is geen geheel getal") from None


def _parser() -> argparse.ArgumentParser:
    # Global options go before or after the command: both parsers know them. SUPPRESS keeps
    # the command's parser from overwriting a value given before the command with None.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="MAP",
        default=argparse.SUPPRESS,
        help="map met het register (standaard: KLACHTDESK_DATA_DIR of de gebruikersmap)",
    )
    parser = argparse.ArgumentParser(
        prog="klachtdesk",
        usage="%(prog)s [-h] [--version] [--data-dir MAP] [OPDRACHT]",
        description="Klachtenregistratie voor de klachtencoördinator. Zonder OPDRACHT start "
        "het programma zelf.",
        parents=[common],
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"klachtdesk {__version__}",
        help="toon het versienummer en stop",
    )
    commands = parser.add_subparsers(dest="command", metavar="OPDRACHT", prog="klachtdesk")
    demo = commands.add_parser(
        "demo",
        parents=[common],
        help="vul een (nieuw) register met fictieve klachten, voor demo's en metingen",
    )
    demo.add_argument(
        "--count",
        type=_whole_number,
        default=500,
        metavar="AANTAL",
        help="aantal klachten (standaard 500)",
    )
    demo.add_argument(
        "--seed",
        type=_whole_number,
        default=2026,
        metavar="GETAL",
        help="startwaarde van het toeval",
    )
    check = commands.add_parser(
        "check", parents=[common], help="controleer de databank en de keten van het logboek"
    )
    check.add_argument(
        "--anker",
        action="append",
        default=[],
        metavar="AANTAL:KENMERK",
        help="vergelijk het logboek ook met dit anker (uit een jaarverslag), bv. 1234:0f3a9c5e7d2b4a61",
    )
    retention = commands.add_parser(
        "retention",
        parents=[common],
        help="toon de afgesloten dossiers waarvan de bewaartermijn verstreken is",
    )
    retention.add_argument(
        "--apply", action="store_true", help="anonimiseer die dossiers (kan niet ongedaan)"
    )
    _add_key_commands(commands, common)
    _add_backup_commands(commands, common)
    _add_export_command(commands, common)
    _add_report_command(commands, common)
    importing = commands.add_parser(
        "import",
        parents=[common],
        help="importeer een vorig klachtenregister uit Excel (.xlsx) of CSV",
    )
    importing.add_argument("file", metavar="BESTAND", help="het .xlsx- of .csv-bestand")
    importing.add_argument(
        "--dry-run", action="store_true", help="toon enkel wat er zou gebeuren; schrijft niets"
    )
    return parser


def _add_export_command(commands: Any, common: argparse.ArgumentParser) -> None:
    export = commands.add_parser(
        "export",
        parents=[common],
        help="exporteer de dossiers naar Excel (xlsx) of CSV, standaard zonder persoonsgegevens",
    )
    export.add_argument("--format", choices=["xlsx", "csv"], required=True, help="bestandsformaat")
    export.add_argument("--out", required=True, metavar="BESTAND", help="het bestand")
    export.add_argument(
        "--year", type=_whole_number, default=None, metavar="J", help="enkel dit jaar van ontvangst"
    )
    export.add_argument(
        "--with-personal-data",
        action="store_true",
        help="met namen, adressen, contactgegevens en teksten (komt in het logboek)",
    )
    export.add_argument(
        "--overwrite", action="store_true", help="vervang het bestand als het al bestaat"
    )


def _add_key_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    commands.add_parser(
        "passphrase",
        parents=[common],
        help=f"wijzig het wachtwoord (het nieuwe uit {NEW_PASSPHRASE_ENV} of gevraagd)",
    )
    recovery = commands.add_parser(
        "recovery-key",
        parents=[common],
        help="maak een nieuwe herstelsleutel (de vorige vervalt) en schrijf ze in een PDF",
    )
    recovery.add_argument(
        "--out", required=True, metavar="BESTAND.pdf", help="de PDF, de enige plaats met de sleutel"
    )
    commands.add_parser(
        "recover",
        parents=[common],
        help=f"open het register met de herstelsleutel (uit {RECOVERY_KEY_ENV} of gevraagd) "
        "en kies een nieuw wachtwoord",
    )


def _add_backup_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    backup = commands.add_parser(
        "backup", parents=[common], help="maak een gecontroleerde reservekopie van het register"
    )
    backup.add_argument(
        "--to",
        metavar="MAP",
        default=None,
        help="map voor de reservekopie (standaard: de map uit de instellingen)",
    )
    restore = commands.add_parser(
        "restore",
        parents=[common],
        help="zet een reservekopie terug (het huidige register wordt opzij gezet)",
    )
    restore.add_argument("backup", metavar="RESERVEKOPIE", help="map van de reservekopie")


def _add_report_command(commands: Any, common: argparse.ArgumentParser) -> None:
    report = commands.add_parser(
        "report",
        parents=[common],
        help="schrijf het jaarverslag (of een kwartaal- of maandoverzicht) als PDF, DOCX en XLSX",
    )
    report.add_argument("--year", type=_whole_number, required=True, metavar="JAAR")
    part = report.add_mutually_exclusive_group()
    part.add_argument(
        "--quarter", type=_whole_number, metavar="KWARTAAL", help="enkel dit kwartaal (1-4)"
    )
    part.add_argument("--month", type=_whole_number, metavar="MAAND", help="enkel deze maand")
    report.add_argument("--out", required=True, metavar="MAP", help="map voor de drie bestanden")
    report.add_argument(
        "--overwrite", action="store_true", help="vervang bestanden die al in de map staan"
    )


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line, with argparse's usage, help and errors in Dutch."""
    with _in_dutch():
        return _parser().parse_args(argv)


def _passphrase(*, confirm: bool) -> str:
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise SystemExit(
            f"Geen wachtwoord: stel {PASSPHRASE_ENV} in of start klachtdesk in een terminal."
        )
    first = getpass.getpass("Wachtwoord van het register: ")
    if confirm and getpass.getpass("Nog eens, ter controle: ") != first:
        raise SystemExit("De twee wachtwoorden verschillen; er werd niets aangemaakt.")
    return first


def _new_passphrase() -> str:
    """A new passphrase from KLACHTDESK_NEW_PASSPHRASE, or typed twice at a prompt."""
    from_env = os.environ.get(NEW_PASSPHRASE_ENV)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise SystemExit(
            f"Geen nieuw wachtwoord: stel {NEW_PASSPHRASE_ENV} in of start klachtdesk in een "
            "terminal."
        )
    first = getpass.getpass("Nieuw wachtwoord: ")
    if getpass.getpass("Nog eens, ter controle: ") != first:
        raise SystemExit("De twee wachtwoorden verschillen; er werd niets gewijzigd.")
    return first


def _existing_register(folder: Path) -> None:
    from klachtdesk.models import (
        RegisterFileMissing,
        RegisterMissing,
        register_exists,
        register_file_lost,
    )

    if not register_exists(folder):
        raise RegisterFileMissing(folder) if register_file_lost(folder) else RegisterMissing(folder)


def _change_passphrase(folder: Path) -> int:
    from klachtdesk.models import open_register
    from klachtdesk.services.context import ServiceContext
    from klachtdesk.services.security import change_passphrase, require_strong_passphrase

    _existing_register(folder)
    current = _passphrase(confirm=False)
    new = _new_passphrase()
    require_strong_passphrase(new)  # before the slow opening
    with open_register(folder, current) as register:
        change_passphrase(ServiceContext(), register, current, new)
    print("Het wachtwoord is gewijzigd. Het oude wachtwoord opent het register niet meer.")
    return EXIT_OK


def _recovery_key(folder: Path, out: Path) -> int:
    from klachtdesk.models import open_register
    from klachtdesk.models.keyfile import os_reason
    from klachtdesk.services.context import ServiceContext
    from klachtdesk.services.security import (
        make_recovery_key,
        open_private,
        propose_recovery_key,
        recovery_sheet,
    )

    _existing_register(folder)
    ctx = ServiceContext()
    # The PDF is the only place the new key is written: make sure it can be, before the
    # old key is invalidated.
    try:
        target = open_private(out)  # the key in the clear: for the coordinator's account only
    except OSError as exc:
        print(
            f"Kan {out} niet schrijven: {os_reason(exc)}. Er werd niets gewijzigd.", file=sys.stderr
        )
        return EXIT_PROBLEM
    try:
        with target, open_register(folder, _passphrase(confirm=False)) as register:
            # The PDF first: the old key is replaced only once the new one is on disk.
            recovery_key = propose_recovery_key()
            target.write(recovery_sheet(recovery_key, register.register_id, folder, ctx.today()))
            target.flush()
            os.fsync(target.fileno())
            make_recovery_key(ctx, register, recovery_key)
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    print(
        f"Nieuwe herstelsleutel geschreven in {out}; de vorige is niet meer geldig. Druk het "
        "blad af voor de kluis van de algemeen directeur en verwijder daarna het bestand."
    )
    return EXIT_OK


def _recover(folder: Path) -> int:
    from klachtdesk.services.context import ServiceContext
    from klachtdesk.services.security import recover, require_strong_passphrase

    _existing_register(folder)
    recovery_key = os.environ.get(RECOVERY_KEY_ENV)
    if not recovery_key:
        if not sys.stdin.isatty():
            raise SystemExit(
                f"Geen herstelsleutel: stel {RECOVERY_KEY_ENV} in of start klachtdesk in een "
                "terminal."
            )
        recovery_key = getpass.getpass("Herstelsleutel: ")
    new = _new_passphrase()
    require_strong_passphrase(new)
    with recover(ServiceContext(), folder, recovery_key, new):
        pass
    print(
        "Het register is geopend met de herstelsleutel en heeft een nieuw wachtwoord. Maak "
        "een nieuwe herstelsleutel (klachtdesk recovery-key) als de oude gezien kan zijn."
    )
    return EXIT_OK


def _demo(folder: Path, count: int, seed: int) -> int:
    from klachtdesk.models import (
        check_data_folder,
        open_register,
        register_exists,
    )
    from klachtdesk.services.context import ServiceContext
    from klachtdesk.services.demo import fill_with_demo
    from klachtdesk.services.security import create_new_register, require_strong_passphrase
    from klachtdesk.services.setup import Coordinator, Municipality, initial_setup

    if count < 0:
        print("Het aantal klachten kan niet negatief zijn.", file=sys.stderr)
        return EXIT_USAGE
    new = not register_exists(folder)
    if new:
        check_data_folder(folder)  # before the passphrase is asked
    passphrase = _passphrase(confirm=new)
    if new:
        require_strong_passphrase(passphrase)
    started = time.perf_counter()
    opener = create_new_register if new else open_register
    with opener(folder, passphrase):
        ctx = ServiceContext()
        if new:  # a register to try out: letters and Settings need a municipality
            initial_setup(
                ctx,
                Municipality("Gemeente Voorbeeld", "Marktplein 1", "3000", "Voorbeeld"),
                Coordinator("Demo Klachtencoördinator", email="klachten@voorbeeld.example"),
                [],
                [],
            )
        fill_with_demo(ctx, count, seed=seed)
    seconds = time.perf_counter() - started
    what = "Nieuw register" if new else "Register"
    print(f"{what} in {folder}: {count} fictieve klachten toegevoegd in {seconds:.1f} s.")
    return EXIT_OK


def _check(folder: Path, typed_anchors: Sequence[str] = ()) -> int:
    from klachtdesk.services.check import check_register_file
    from klachtdesk.services.tampering import parse_anchor

    anchors = [parse_anchor(text) for text in typed_anchors]  # before the passphrase too

    # Say what is missing before asking a passphrase that could not help.
    if not folder.exists():
        print(f"De map {folder} bestaat niet.", file=sys.stderr)
        return EXIT_PROBLEM
    _existing_register(folder)
    # Read so that nothing in the folder changes; damage is reported, never a traceback.
    report = check_register_file(folder, _passphrase(confirm=False), anchors=anchors)
    if report.ok:
        print(report.summary())
        for anchor in anchors:
            print(f"Het logboek klopt met het anker {anchor.short()}.")
        return EXIT_OK
    print("Problemen in het register:", file=sys.stderr)
    for problem in report.problems:
        print(f"- {problem}", file=sys.stderr)
    for advice in report.advice:
        print(advice, file=sys.stderr)
    return EXIT_PROBLEM


def _retention(folder: Path, apply: bool) -> int:
    """List the closed dossiers past their retention term; ``apply`` anonymises them."""
    from klachtdesk.models import RegisterMissing, open_register, register_exists
    from klachtdesk.procedure.dates import short_date
    from klachtdesk.procedure.words import counted
    from klachtdesk.services.context import ServiceContext
    from klachtdesk.services.erasure import anonymise_complaints
    from klachtdesk.services.retention import past_retention, retention_years

    if not register_exists(folder):
        raise RegisterMissing(folder)
    ctx = ServiceContext()
    with open_register(folder, _passphrase(confirm=False)):
        expired = past_retention(ctx.today())
        years = retention_years()
        if not expired:
            print(f"Geen afgesloten dossiers ouder dan de bewaartermijn ({years} jaar).")
            return EXIT_OK
        print(
            f"{counted(len(expired), 'dossier')} voorbij de bewaartermijn ({years} jaar na afsluiten):"
        )
        for dossier in expired:
            outcome = dossier.result or "-"
            print(
                f"  {dossier.reference}  afgesloten {short_date(dossier.closed_on)}  "
                f"{dossier.department or '-'}  {outcome}"
            )
        if not apply:
            print("Geef --apply om ze te anonimiseren.")
            return EXIT_OK
        count = anonymise_complaints(ctx, [d.complaint_id for d in expired])
    print(f"{counted(count, 'dossier')} geanonimiseerd.")
    return EXIT_OK


def _backup(folder: Path, to: str | None) -> int:
    from klachtdesk.models import RegisterMissing, open_register, register_exists
    from klachtdesk.procedure.words import counted
    from klachtdesk.services.backup import make_backup
    from klachtdesk.services.context import ServiceContext

    if not register_exists(folder):
        raise RegisterMissing(folder)
    with open_register(folder, _passphrase(confirm=False)) as register:
        info = make_backup(register, ServiceContext(), Path(to).expanduser() if to else None)
    print(
        f"Reservekopie gemaakt en gecontroleerd: {info.path} "
        f"({counted(info.dossiers, 'dossier')}, {counted(info.audit_events, 'gebeurtenis')}, "
        f"{info.size / 1_000_000:.1f} MB)."
    )
    return EXIT_OK


def _restore(folder: Path, backup: Path) -> int:
    from klachtdesk.models import open_register
    from klachtdesk.procedure.words import counted
    from klachtdesk.services.backup import restore_with_passphrase
    from klachtdesk.services.check import check_register
    from klachtdesk.services.context import ServiceContext

    backup = backup.expanduser()
    if not backup.exists():
        print(f"De reservekopie {backup} bestaat niet.", file=sys.stderr)
        return EXIT_PROBLEM
    passphrase = _passphrase(confirm=False)
    result = restore_with_passphrase(backup, folder, passphrase, ServiceContext().now())
    for path in result.set_aside:
        print(f"Opzij gezet: {path}")
    with open_register(folder, passphrase):
        report = check_register()
    made = result.backup.made_at
    if not report.ok:
        print("De reservekopie staat terug, maar de controle vond problemen:", file=sys.stderr)
        for problem in report.problems:
            print(f"- {problem}", file=sys.stderr)
        return EXIT_PROBLEM
    print(
        f"Reservekopie van {made:%d/%m/%Y %H:%M} teruggezet in {folder}: "
        f"{counted(report.complaints, 'dossier')}, {counted(report.audit_events, 'gebeurtenis')}; "
        "register in orde."
    )
    return EXIT_OK


def _export(folder: Path, args: argparse.Namespace) -> int:
    """Every dossier (of one year), oldest first, as the list would show them."""
    from klachtdesk.models import RegisterMissing, open_register, register_exists
    from klachtdesk.procedure.periods import check_year
    from klachtdesk.procedure.words import counted
    from klachtdesk.services.complaint_list import ListFilter, SortKey
    from klachtdesk.services.context import ServiceContext
    from klachtdesk.services.export import ExportFormat, ExportRequest, export_dossiers

    if args.year is not None:
        check_year(args.year)
    if not register_exists(folder):
        raise RegisterMissing(folder)
    request = ExportRequest(
        list_filter=ListFilter(year=args.year),
        sort=SortKey.RECEIVED,
        descending=False,
        export_format=ExportFormat(args.format),
        with_personal_data=args.with_personal_data,
    )
    out = Path(args.out).expanduser()
    if (out.is_symlink() or out.exists()) and out.is_file() and not args.overwrite:
        print(
            f"Het bestand {out} bestaat al; er werd niets geëxporteerd. "
            "Gebruik --overwrite om het te vervangen.",
            file=sys.stderr,
        )
        return EXIT_PROBLEM
    with open_register(folder, _passphrase(confirm=False)):
        result = export_dossiers(ServiceContext(), request, out)
    personal = (
        " Het bestand bevat persoonsgegevens: bewaar het beveiligd en verwijder het zodra het "
        "niet meer nodig is."
        if result.with_personal_data
        else " Zonder persoonsgegevens."
    )
    print(f"{counted(result.dossiers, 'dossier')} geëxporteerd naar {result.path}.{personal}")
    return EXIT_OK


def _report(folder: Path, args: argparse.Namespace) -> int:
    """``klachtdesk report --year J [--quarter K | --month M] --out MAP``: the three files."""
    from klachtdesk.models import open_register
    from klachtdesk.procedure.periods import Period
    from klachtdesk.services.context import ServiceContext
    from klachtdesk.services.report_files import (
        ReportFileExists,
        check_report_folder,
        period_report_files,
        report_stem,
        write_report_files,
    )

    if args.quarter is not None:
        period = Period.quarter(args.year, args.quarter)
    elif args.month is not None:
        period = Period.month(args.year, args.month)
    else:
        period = Period.year(args.year)
    out = Path(args.out).expanduser()
    # Checked before the passphrase and the counting: a wrong folder costs nothing.
    try:
        check_report_folder(out, report_stem(period), overwrite=args.overwrite)
    except ReportFileExists as exc:
        print(f"{exc} Gebruik --overwrite om het te vervangen.", file=sys.stderr)
        return EXIT_PROBLEM
    _existing_register(folder)
    with open_register(folder, _passphrase(confirm=False)):
        files = period_report_files(period, ServiceContext().today())
    written = write_report_files(files, out, overwrite=args.overwrite)
    print(f"{files.title} geschreven:")
    for path in written:
        print(f"  {path}")
    return EXIT_OK


def _import(folder: Path, file: Path, dry_run: bool) -> int:
    """Import an earlier register with the automatic mapping, printing each row's result
    (after the import, so that ``| head`` cannot stop it half-way); a problem exit when the
    file holds no row that is or was imported."""
    from klachtdesk.models import RegisterMissing, open_register, register_exists
    from klachtdesk.procedure.import_rules import ImportField
    from klachtdesk.services import importing
    from klachtdesk.services.context import ServiceContext

    if not register_exists(folder):
        raise RegisterMissing(folder)
    sheet = importing.read_sheet(file)  # a file that cannot be read: before the passphrase
    ctx = ServiceContext()
    lines: list[str] = []
    with open_register(folder, _passphrase(confirm=False)):
        seen = importing.preview(ctx, sheet)
        channel = seen.mapping.default_channel
        if channel is not None and ImportField.CHANNEL not in seen.mapping.columns:
            lines.append(
                f"Geen kolom met het kanaal: elke rij krijgt ‘{channel.label}’ "
                "(een ander kanaal kiest u in Bestand → Importeren)."
            )
        for row in seen.rows:
            lines.append(
                f"Rij {row.row_number}: {row.status.label}"
                + (f" – {row.what}" if row.what else "")
                + (f" – {row.reason}" if row.reason else "")
            )
        imported = seen.count(importing.RowStatus.IMPORT)
        already = seen.count(importing.RowStatus.ALREADY)
        if dry_run:
            lines.append(f"Proefimport, er werd niets geschreven: {seen.summary}")
        else:
            result = importing.run(ctx, sheet, seen.mapping)
            imported, already = result.imported, result.already
            if not result.imported and result.already:
                lines.append(f"Niets nieuw: {result.summary}")
            else:
                lines.append(result.summary)
            if result.new_departments:
                lines.append("Nieuwe diensten: " + ", ".join(result.new_departments) + ".")
            if result.new_handlers:
                lines.append(
                    "Nieuwe behandelaars (niet actief): " + ", ".join(result.new_handlers) + "."
                )
    _print_quietly(lines)
    return EXIT_OK if imported or already else EXIT_PROBLEM


def _print_quietly(lines: Sequence[str]) -> None:
    """Print, ending without a traceback when the reader went away (``| head``)."""
    try:
        for line in lines:
            print(line)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would report the pipe again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _derive_key_ahead(folder: Path) -> None:
    """With the passphrase in KLACHTDESK_PASSPHRASE (scripts, the bundle's smoke test), its
    key derivation starts now, on a thread: it runs while the window's modules load."""
    passphrase = os.environ.get("KLACHTDESK_PASSPHRASE")
    from klachtdesk.models import KEY_FILENAME, register_exists
    from klachtdesk.models.keyfile import derive_ahead

    if passphrase and register_exists(folder):
        derive_ahead(folder / KEY_FILENAME, passphrase)


def main(argv: Sequence[str] | None = None) -> int:
    from klachtdesk.models import resolve_data_dir
    from klachtdesk.procedure import UserError

    args = parse_arguments(argv)
    folder = resolve_data_dir(getattr(args, "data_dir", None))
    try:
        if args.command == "demo":
            return _demo(folder, args.count, args.seed)
        if args.command == "check":
            return _check(folder, args.anker)
        if args.command == "retention":
            return _retention(folder, args.apply)
        if args.command == "passphrase":
            return _change_passphrase(folder)
        if args.command == "recovery-key":
            return _recovery_key(folder, Path(args.out))
        if args.command == "recover":
            return _recover(folder)
        if args.command == "backup":
            return _backup(folder, args.to)
        if args.command == "restore":
            return _restore(folder, Path(args.backup))
        if args.command == "export":
            return _export(folder, args)
        if args.command == "report":
            return _report(folder, args)
        if args.command == "import":
            return _import(folder, Path(args.file), args.dry_run)
    except UserError as exc:
        return _explain(exc)
    except Exception as exc:
        return _explain_storage_fault(exc, folder)
    _derive_key_ahead(folder)
    from klachtdesk.app import run

    try:
        return run(folder)
    except UserError as exc:
        return _explain(exc)


def _explain_storage_fault(error: Exception, folder: Path) -> int:
    """A full disk, a read-only or damaged register that reached here unnamed (read while
    rows were fetched, say): told in Dutch; anything else is a bug and stays a traceback."""
    from klachtdesk.models import DB_FILENAME, storage_problem

    problem = storage_problem(error, folder / DB_FILENAME)
    if problem is None:
        raise error
    return _explain(problem)


def _explain(problem: UserError) -> int:
    from klachtdesk.models import DataFolderUnusable

    advice = (
        " Geef een andere map met --data-dir MAP."
        if isinstance(problem, DataFolderUnusable)
        else ""
    )
    print(problem.message + advice, file=sys.stderr)
    return EXIT_PROBLEM


if __name__ == "__main__":
    sys.exit(main())

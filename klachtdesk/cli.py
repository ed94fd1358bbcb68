"""The ``klachtdesk`` command: the program itself, and a few commands for administrators.

Messages are in Dutch, like the rest of the program. The passphrase is read from
``KLACHTDESK_PASSPHRASE`` (for scripts and tests) or asked for at a prompt.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from klachtdesk import __version__

PASSPHRASE_ENV = "KLACHTDESK_PASSPHRASE"

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="klachtdesk",
        description="Klachtenregistratie voor de klachtencoördinator.",
    )
    parser.add_argument("--version", action="version", version=f"klachtdesk {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="MAP",
        help="map met het register (standaard: KLACHTDESK_DATA_DIR of de gebruikersmap)",
    )
    commands = parser.add_subparsers(dest="command", metavar="OPDRACHT")
    demo = commands.add_parser(
        "demo", help="vul een (nieuw) register met fictieve klachten, voor demo's en metingen"
    )
    demo.add_argument("--count", type=int, default=500, help="aantal klachten (standaard 500)")
    demo.add_argument("--seed", type=int, default=2026, help="startwaarde van het toeval")
    commands.add_parser("check", help="controleer de databank en de keten van het logboek")
    return parser


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


def _demo(folder: Path, count: int, seed: int) -> int:
    from klachtdesk.models import create_register, open_register, register_exists
    from klachtdesk.services.context import ServiceContext
    from klachtdesk.services.demo import fill_with_demo

    if count < 0:
        print("Het aantal klachten kan niet negatief zijn.", file=sys.stderr)
        return EXIT_USAGE
    new = not register_exists(folder)
    passphrase = _passphrase(confirm=new)
    started = time.perf_counter()
    opener = create_register if new else open_register
    with opener(folder, passphrase):
        fill_with_demo(ServiceContext(), count, seed=seed)
    seconds = time.perf_counter() - started
    what = "Nieuw register" if new else "Register"
    print(f"{what} in {folder}: {count} fictieve klachten toegevoegd in {seconds:.1f} s.")
    return EXIT_OK


def _check(folder: Path) -> int:
    from klachtdesk.models import open_register
    from klachtdesk.services.check import check_register

    with open_register(folder, _passphrase(confirm=False)):
        report = check_register()
    if report.ok:
        print(
            f"Register in orde: {report.complaints} dossiers, "
            f"{report.audit_events} gebeurtenissen in een ononderbroken logboek."
        )
        return EXIT_OK
    print("Problemen in het register:", file=sys.stderr)
    for problem in report.problems:
        print(f"- {problem}", file=sys.stderr)
    return EXIT_PROBLEM


def main(argv: Sequence[str] | None = None) -> int:
    from klachtdesk.models import resolve_data_dir
    from klachtdesk.procedure import UserError

    args = _parser().parse_args(argv)
    folder = resolve_data_dir(args.data_dir)
    try:
        if args.command == "demo":
            return _demo(folder, args.count, args.seed)
        if args.command == "check":
            return _check(folder)
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_PROBLEM
    from klachtdesk.app import run

    try:
        return run(folder)
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_PROBLEM


if __name__ == "__main__":
    sys.exit(main())

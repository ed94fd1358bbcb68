"""The recovery key on one page, for the safe of the algemeen directeur."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .layout import Bullets, Facts, Heading, Letter, Letterhead, Text, long_date, render


@dataclass(frozen=True)
class RecoveryKeySheet:
    municipality: str
    street: str
    postal_code: str
    city: str
    coordinator: str
    register_id: str
    folder: str
    day: date
    groups: tuple[str, ...]


def recovery_key_letter(sheet: RecoveryKeySheet) -> Letter:
    made_by = f" door {sheet.coordinator}" if sheet.coordinator else ""
    return Letter(
        letterhead=Letterhead(sheet.municipality, sheet.street, sheet.postal_code, sheet.city),
        reference=f"register {sheet.register_id[:8]}",
        day=sheet.day,
        place=sheet.city or sheet.municipality,
        subject="Herstelsleutel van het klachtenregister (vertrouwelijk)",
        body=[
            Text(
                "Met deze herstelsleutel kan het versleutelde klachtenregister van "
                f"{sheet.municipality} geopend worden als het wachtwoord vergeten is of de "
                "klachtencoördinator er niet meer is. Wie de sleutel heeft, kan alle "
                "klachtendossiers lezen: bewaar hem als de sleutel van de kluis."
            ),
            Heading("Herstelsleutel"),
            Heading("   ".join(sheet.groups)),
            Facts(
                [
                    ("Bestuur", sheet.municipality),
                    ("Register", sheet.register_id),
                    ("Gegevensmap", sheet.folder),
                    ("Gemaakt op", f"{long_date(sheet.day)}{made_by}"),
                ]
            ),
            Heading("Wat doet u ermee?"),
            Bullets(
                [
                    "Bewaar dit blad in de kluis van de algemeen directeur, in een gesloten "
                    "omslag. Maak er geen kopie van en bewaar de sleutel niet digitaal.",
                    "Alleen de algemeen directeur, of wie hij of zij daarvoor schriftelijk "
                    "aanwijst (bv. een nieuwe klachtencoördinator), mag de sleutel gebruiken.",
                    "Zo gebruikt u hem: klik in het venster ‘klachtdesk openen’ op ‘Wachtwoord "
                    "vergeten? Herstelsleutel gebruiken…’, of geef de opdracht "
                    "‘klachtdesk recover’. Typ de sleutel (hoofdletters, spaties en streepjes "
                    "maken niet uit) en kies een nieuw wachtwoord.",
                    "Maak daarna in klachtdesk (Instellingen › Beveiliging) een nieuwe "
                    "herstelsleutel en leg die in de kluis.",
                    "Zodra er een nieuwe herstelsleutel gemaakt is, is deze niet meer geldig: "
                    "vernietig dit blad dan.",
                ]
            ),
        ],
        title="Herstelsleutel klachtenregister",
    )


def recovery_key_pdf(sheet: RecoveryKeySheet) -> bytes:
    """The sheet as PDF bytes (one A4 page)."""
    return render(recovery_key_letter(sheet))

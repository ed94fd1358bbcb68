"""The procedure's documents: acknowledgement (2 variants), report, reasoned reply, notice of
an extended limit, blank intake form. Each function takes plain data and returns a :class:`Letter` to ``render``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from klachtdesk.procedure import Channel, FormOfAddress, Ground, NoJudgementReason
from klachtdesk.procedure.intake import address_line, salutation

from .layout import (
    Addressee,
    Block,
    Bullets,
    Facts,
    FormLines,
    Heading,
    Letter,
    Letterhead,
    Signatory,
    Text,
    long_date,
)
from .texts import DEFAULT_TEXTS, GROUND_KEYS, NO_JUDGEMENT_KEYS, fill


@dataclass(frozen=True)
class Setup:
    """Who writes: the municipality, the coordinator, and the standard texts in force."""

    letterhead: Letterhead
    coordinator: Signatory
    place: str
    texts: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TEXTS))

    def text(self, key: str, values: dict[str, str]) -> str:
        return fill(self.texts.get(key) or DEFAULT_TEXTS[key], values)


@dataclass(frozen=True)
class ComplaintFacts:
    """What the documents tell about the complaint."""

    reference: str
    received_on: date
    channel: Channel
    description: str
    name: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    department: str = ""
    form_of_address: FormOfAddress = FormOfAddress.NONE

    @property
    def salutation(self) -> str:
        """ "mevrouw De Smet", "heer De Smet", "Marleen De Smet" or "mevrouw, meneer"."""
        return salutation(self.form_of_address, self.name)

    @property
    def addressee(self) -> Addressee:
        return Addressee(self.name or "Klager", self.street, self.postal_code, self.city)


@dataclass(frozen=True)
class HandlerFacts:
    name: str
    email: str = ""
    phone: str = ""
    department: str = ""


@dataclass(frozen=True)
class Findings:
    """Steps 9-11, for the completed report."""

    contacts: str = ""
    summary: str = ""
    outcome: str = ""
    solution: str = ""
    reply: str = ""
    report: str = ""
    #: Why the citizen stopped the procedure, when they did.
    stop_reason: str = ""
    #: Whether the head of department was informed of the returned report (step 11): "ja",
    #: "nee", "niet gevraagd"; empty when there is no head to ask about.
    head_informed: str = ""


def _values(setup: Setup, facts: ComplaintFacts, **more: str) -> dict[str, str]:
    return {
        "naam": facts.name or "mevrouw, meneer",
        "aanspreking": facts.salutation,
        "referentie": facts.reference,
        "ontvangen_op": long_date(facts.received_on),
        "coordinator": setup.coordinator.name,
        "bestuur": setup.letterhead.name,
        "dienst": facts.department,
        **more,
    }


def _contact_line(setup: Setup) -> str:
    c = setup.coordinator
    reach = ", ".join(p for p in (c.phone, c.email) if p)
    return f"Klachtencoördinator: {c.name}" + (f" – {reach}" if reach else "")


def _to_complainant(
    setup: Setup,
    facts: ComplaintFacts,
    day: date,
    values: dict[str, str],
    subject: str,
    body: list[Block],
    title: str,
) -> Letter:
    """A letter to the complainant: their address, the coordinator's signature and closing,
    'Uw klacht van' among the references; ``title`` goes before the reference in the PDF."""
    return Letter(
        letterhead=setup.letterhead,
        reference=facts.reference,
        day=day,
        place=setup.place,
        subject=subject,
        body=body,
        addressee=facts.addressee,
        signatory=setup.coordinator,
        closing=setup.text("slot", values),
        extra_refs=[("Uw klacht van", long_date(facts.received_on))],
        title=f"{title} {facts.reference}",
    )


def acknowledgement(
    setup: Setup,
    facts: ComplaintFacts,
    day: date,
    *,
    admissible: bool,
    answer_by: date,
    handler: str = "",
    handler_department: str = "",
    grounds: Sequence[Ground] = (),
    motivation: str = "",
) -> Letter:
    """Step 7: received, admissible or not (with the grounds and why), and by when.

    Admissible, it names who investigates: the handler and their department when known,
    otherwise the department the complaint is about.
    """
    department = handler_department or facts.department
    if handler and department:
        investigator = f"{handler} van de dienst {department}"
    elif handler:
        investigator = handler
    elif department:
        investigator = f"een klachtenbehandelaar van de dienst {department}"
    else:
        investigator = "een klachtenbehandelaar"
    values = _values(
        setup,
        facts,
        antwoord_uiterlijk=long_date(answer_by),
        behandelaar=handler or "een klachtenbehandelaar",
        onderzocht_door=investigator,
        redenen="reden" if len(set(grounds)) == 1 else "redenen",
    )
    body: list[Block] = [Text(setup.text("aanhef", values))]
    if admissible:
        body += [
            Text(setup.text("ontvangst_ontvankelijk", values)),
            Text(setup.text("termijn", values)),
            Text(setup.text("elders_terecht", values)),
        ]
        subject = "ontvangstmelding van uw klacht"
    else:
        body.append(Text(setup.text("ontvangst_niet_ontvankelijk", values)))
        ordered = sorted(grounds, key=lambda g: g.number)
        body.append(
            Bullets(
                [
                    f"{g.label[0].upper()}{g.label[1:]}. {setup.text(GROUND_KEYS[g], values)}"
                    for g in ordered
                ]
            )
        )
        if motivation.strip():
            body.append(Text(motivation))
        body.append(Text(setup.text("elders_terecht", values)))
        subject = "uw klacht is niet ontvankelijk"
    body.append(Text(setup.text("contact", values)))
    return _to_complainant(setup, facts, day, values, subject, body, "Ontvangstmelding")


def report_blocks(
    facts: ComplaintFacts,
    *,
    handler: HandlerFacts,
    acknowledged_on: date | None,
    handler_due: date | None,
    admissible: bool | None = True,
    head_informed: str = "",
) -> list[Block]:
    """Step 8's data: the complainant, the complaint and who handles it by when. The report,
    the completed report and the handler's form (handler_form.py) show them alike;
    ``head_informed`` is step 11's answer, for the completed report."""
    rows = [
        ("Naam", facts.name or "anoniem"),
        ("Adres", address_line(facts.street, facts.postal_code, facts.city)),
        ("Telefoon", facts.phone),
        ("E-mail", facts.email),
        ("Klacht ingediend op", long_date(facts.received_on)),
        ("Kanaal", facts.channel.label),
        ("Dienst", facts.department),
        ("Ontvankelijk", {True: "ja", False: "nee", None: "nog niet beoordeeld"}[admissible]),
        (
            "Ontvangstmelding verstuurd",
            long_date(acknowledged_on) if acknowledged_on else "nog niet",
        ),
    ]
    handler_rows = [
        ("Klachtenbehandelaar", handler.name),
        ("Dienst", handler.department),
        ("E-mail", handler.email),
        ("Telefoon", handler.phone),
        ("Rapport en antwoord terug uiterlijk", long_date(handler_due) if handler_due else ""),
        # Step 11, in the completed report: whether the head of department heard of it.
        ("Diensthoofd op de hoogte", head_informed),
    ]
    body: list[Block] = [
        Heading("De klager"),
        Facts([r for r in rows if r[1]]),
        Heading("De klacht"),
        Text(facts.description),
    ]
    if any(value for _label, value in handler_rows):
        body += [Heading("Behandeling"), Facts([r for r in handler_rows if r[1]])]
    return body


def report(
    setup: Setup,
    facts: ComplaintFacts,
    day: date,
    *,
    handler: HandlerFacts,
    acknowledged_on: date | None,
    handler_due: date | None,
    findings: Findings | None = None,
    admissible: bool | None = True,
) -> Letter:
    """Step 8 (and, with ``findings``, the completed report of steps 9-11 kept at closing)."""
    body = report_blocks(
        facts,
        handler=handler,
        acknowledged_on=acknowledged_on,
        handler_due=handler_due,
        admissible=admissible,
        head_informed=findings.head_informed if findings else "",
    )
    if findings is not None:
        # Every part is shown, also when nothing was recorded: the kept report says so.
        def told(value: str) -> str:
            return value if value.strip() else "niet ingevuld"

        body += [
            Heading("Onderzoek (stap 9)"),
            Facts(
                [("Contacten", told(findings.contacts)), ("Samenvatting", told(findings.summary))]
            ),
            Heading("Beoordeling (stap 10)"),
            Facts(
                [("Beoordeling", told(findings.outcome)), ("Oplossing", told(findings.solution))]
            ),
        ]
        if findings.report.strip():
            body += [Heading("Aanvulling van het rapport (stap 11)"), Text(findings.report)]
        if findings.reply.strip():
            body += [Heading("Motiverende brief (stap 11)"), Text(findings.reply)]
        if findings.stop_reason.strip():
            body += [Heading("Stopzetting door de burger"), Text(findings.stop_reason)]
    else:
        body.append(
            Text(
                "Onderzoek de klacht, beoordeel ze en bezorg het aangevulde rapport en een "
                "motiverende brief aan de klachtencoördinator vóór de termijn hierboven."
            )
        )
    completed = findings is not None
    return Letter(
        letterhead=setup.letterhead,
        reference=facts.reference,
        day=day,
        place=setup.place,
        subject=f"{'afgewerkt rapport' if completed else 'rapport'} klacht {facts.reference}",
        body=body,
        addressee=Addressee(handler.name, handler.department) if not completed else None,
        title=f"{'Afgewerkt rapport' if completed else 'Rapport'} {facts.reference}",
    )


def reasoned_reply(
    setup: Setup,
    facts: ComplaintFacts,
    day: date,
    *,
    outcome: str,
    solution: str,
    reply: str,
    no_judgement: NoJudgementReason | None = None,
) -> Letter:
    """Step 12: the assessment in plain words, the solution, and the handler's reasons.

    For "geen oordeel" (``no_judgement``) the letter says which of the three reasons applies.
    """
    values = _values(setup, facts, beoordeling=outcome, oplossing=solution)
    assessment = (
        setup.text(NO_JUDGEMENT_KEYS[no_judgement], values)
        if no_judgement is not None
        else setup.text("antwoord_beoordeling", values)
    )
    body: list[Block] = [
        Text(setup.text("aanhef", values)),
        Text(setup.text("antwoord_inleiding", values)),
        Text(assessment),
    ]
    if reply.strip():
        body.append(Text(reply))
    if solution.strip():
        body.append(Text(setup.text("antwoord_oplossing", values)))
    body.append(Text(setup.text("elders_terecht", values)))
    body.append(Text(setup.text("contact", values)))
    return _to_complainant(
        setup, facts, day, values, "antwoord op uw klacht", body, "Motiverende brief"
    )


def extension_notice(
    setup: Setup,
    facts: ComplaintFacts,
    day: date,
    *,
    original_due: date,
    new_due: date,
    motivation: str,
) -> Letter:
    """The closing limit is extended once (issue 15): why, the date first announced and the
    new date, both from the dossier's limits. It must reach the complainant before
    ``original_due``."""
    values = _values(
        setup,
        facts,
        antwoord_oorspronkelijk=long_date(original_due),
        antwoord_uiterlijk=long_date(new_due),
    )
    body: list[Block] = [
        Text(setup.text("aanhef", values)),
        Text(setup.text("verlenging_inleiding", values)),
        Text(motivation),
        Text(setup.text("verlenging_termijn", values)),
        Text(setup.text("contact", values)),
    ]
    return _to_complainant(
        setup,
        facts,
        day,
        values,
        "verlenging van de termijn om uw klacht te beantwoorden",
        body,
        "Kennisgeving verlenging",
    )


def intake_form(setup: Setup, day: date) -> Letter:
    """Step 2: a blank form any employee can print and fill in by hand."""
    return Letter(
        letterhead=setup.letterhead,
        reference="",
        day=day,
        place=setup.place,
        subject="Klachtenformulier",
        form=True,
        body=[
            Text(
                "Noteer bij elke klacht deze gegevens en bezorg het formulier meteen aan de "
                "klachtencoördinator, ook als de klacht al opgelost werd."
            ),
            FormLines(
                [
                    ("Datum", 1),
                    ("Naam", 1),
                    ("Adres", 2),
                    ("Telefoon", 1),
                    ("E-mail", 1),
                    ("Omschrijving", 6),
                    ("Ontvangen door", 1),
                    ("Meteen opgelost?", 2),
                ]
            ),
            Text("Kanaal (omcirkel): " + "  –  ".join(channel.label for channel in Channel)),
        ],
        contact_line=_contact_line(setup),
        title="Klachtenformulier",
    )

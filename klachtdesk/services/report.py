"""The yearly report to the council (or a shorter overview for the college) as plain data.

:func:`period_report` turns the :mod:`figures <klachtdesk.services.figures>` of a period into
a :class:`~klachtdesk.letters.report_model.Report`: numbered sections with a short Dutch
text, tables and, where it helps, a chart kind. ``letters/report.py`` renders it to PDF, DOCX
and XLSX; the Cijfers view shows the same tables.

Every body row that counts a set of dossiers carries a :class:`Selection` (the period and the
criteria of :data:`klachtdesk.services.figures.CRITERIA`); its count is always in column 1
of the row, and :func:`selection_ids` gives exactly those dossiers' ids. Rows that are not a
set of dossiers (an average, complaints per 1,000 inhabitants, an improvement action) have
no selection.

No personal data: only counts, shares, the vocabulary's labels, department names and the
organisation's own improvement actions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from klachtdesk.letters.report_model import (
    Cell,
    ChartKind,
    Report,
    ReportSection,
    ReportTable,
)
from klachtdesk.procedure import Ground, LimitKind, LimitStatus, Outcome
from klachtdesk.procedure.dates import short_date
from klachtdesk.procedure.periods import Period, Selection
from klachtdesk.procedure.vocabulary import ActionStatus, Norm
from klachtdesk.procedure.words import counted

from .figures import (
    REPORTED_LIMITS,
    UNKNOWN,
    WITHDRAWN,
    Count,
    Figures,
    LimitRow,
    figures,
    selection_ids,
)
from .setup import municipality
from .tampering import SHORTEST_PREFIX, Anchor, audit_head

__all__ = ["period_report", "report_title", "selection_ids"]

#: Outcomes in a narrow column (the labels of procedure.vocabulary in short).
SHORT_OUTCOMES: dict[Outcome | None, str] = {
    Outcome.WELL_FOUNDED: "gegrond",
    Outcome.PARTLY_WELL_FOUNDED: "deels gegrond",
    Outcome.CORRECTED: "gecorrigeerd",
    Outcome.UNFOUNDED: "ongegrond",
    Outcome.NO_JUDGEMENT: "geen oordeel",
    Outcome.STOPPED_BY_CITIZEN: "stopzetting",
    None: "nog zonder uitkomst",
}

NOT_RECORDED = "niet ingevuld"

#: Lines left for the algemeen directeur's own assessment in the last section.
ASSESSMENT_LINES = 18


def anchor_line(head: Anchor) -> str:
    """The audit trail's head as the report prints it: kept apart from the register, it lets
    ``klachtdesk check --anker`` show later that the trail up to here was not rewritten."""
    return (
        f"Logboek: {counted(head.events, 'gebeurtenis')}, kenmerk {head.hash[:SHORTEST_PREFIX]}… "
        f"(controle: klachtdesk check --anker {head.short()})"
    )


def report_title(period: Period) -> str:
    """'Jaarverslag klachtenbehandeling 2026', or 'Overzicht klachtenbehandeling maart 2026'."""
    if period.is_year:
        return f"Jaarverslag klachtenbehandeling {period.label}"
    return f"Overzicht klachtenbehandeling {period.label}"


def period_report(period: Period, as_of: date) -> Report:
    """The report on the complaints received in ``period``, as the register stands on
    ``as_of`` (limits still running are judged on that day).

    A whole year gives the full yearly report with the five-year trend; a quarter, a month or
    any other range a shorter overview without it.
    """
    f = figures(period, as_of)
    town = municipality()
    sections = [
        _introduction(f),
        _admissibility(f),
        _assessment(f),
        _timeliness(f),
        _characteristics(f),
        _norms(f),
        _actions(f),
    ]
    if period.is_year:
        sections.append(_trend(f))
    sections.append(
        ReportSection(
            title="Beoordeling en aanbevelingen van de algemeen directeur",
            text=(
                "Ruimte voor de eigen beoordeling van de algemeen directeur: wat de klachten "
                "leren over de dienstverlening, en welke aanbevelingen daaruit volgen."
            ),
            blank_lines=ASSESSMENT_LINES,
            closing=anchor_line(audit_head()),
        )
    )
    return Report(
        title=report_title(period),
        organisation=town.name if town else "",
        period=period,
        made_on=as_of,
        sections=tuple(sections),
    )


# --- Building blocks ---------------------------------------------------------------------


def _selection(f: Figures, count: Count, label: str) -> Selection:
    return Selection(f.period, count.criteria, f"{label} ({f.period.label})")


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _count_table(
    f: Figures,
    key: str,
    title: str,
    heading: str,
    rows: Sequence[tuple[str, Count]],
    *,
    what: str,
    total: tuple[str, Count] | None = None,
    chart: ChartKind | None = ChartKind.BAR,
    note: str = "",
) -> ReportTable:
    """A table of counts with their share of the total: label | Aantal | Aandeel.

    ``total`` is the totals row (label, count); without it the rows are summed. ``what``
    starts each row's selection label, e.g. 'Kanaal' gives 'Kanaal: e-mail (2026)'.
    """
    total_count = total[1].count if total else sum(count.count for _, count in rows)
    body: list[tuple[Cell, ...]] = [
        (label, count.count, _share(count.count, total_count)) for label, count in rows
    ]
    total_label = total[0] if total else "Totaal"
    return ReportTable(
        key=key,
        title=title,
        headers=(heading, "Aantal", "Aandeel"),
        rows=tuple(body),
        total=(total_label, total_count, 1.0 if total_count else None),
        chart=chart,
        note=note,
        selections=tuple(_selection(f, count, f"{what}: {label}") for label, count in rows),
        percent_columns=(2,),
    )


def _days(days: float | None) -> float | None:
    return None if days is None else round(days, 1)


# --- Sections ----------------------------------------------------------------------------


def _introduction(f: Figures) -> ReportSection:
    period = f.period
    if period.is_year:
        purpose = (
            "Het decreet over het lokaal bestuur (artikel 303, § 3) vraagt de algemeen "
            "directeur om jaarlijks aan de gemeenteraad te rapporteren over de behandeling "
            "van de ontvangen klachten. "
        )
    else:
        purpose = "Dit overzicht voor het college volgt de klachtenbehandeling op. "
    text = (
        f"{purpose}Het telt de klachten die ontvangen werden in {period.label} "
        f"({short_date(period.start)} tot en met {short_date(period.end)}), zoals het "
        f"klachtenregister ze op {short_date(f.as_of)} bevat. Het bevat geen persoonsgegevens: "
        "enkel aantallen, diensten en verbeteracties."
    )
    closing = f.limits[LimitKind.CLOSING]
    rows: list[tuple[str, Count]] = [
        ("Ontvangen registraties", f.received),
        ("waarvan geen klacht (grond 1)", _ground_1(f)),
        ("Ontvankelijke klachten", f.admissibility["admissible"]),
        ("Niet-ontvankelijke klachten", f.admissibility["inadmissible"]),
        ("Beoordeelde klachten (met een uitkomst)", f.assessed),
        ("(Deels) gegronde klachten", f.well_founded),
        ("Afgesloten binnen de termijn", closing[LimitStatus.MET]),
        ("Afsluittermijn verlengd", f.extended),
        (f"Nog open op {short_date(f.open_on)}", f.still_open),
    ]
    body: list[tuple[Cell, ...]] = [(label, count.count) for label, count in rows]
    # The list's label says what it shows on its own: 'Geen klacht (grond 1) (2026)'.
    listed = {"waarvan geen klacht (grond 1)": "Geen klacht (grond 1)"}
    selections: list[Selection | None] = [
        _selection(f, count, listed.get(label, label)) for label, count in rows
    ]
    if f.period.is_year:
        per_thousand = f.per_thousand
        body.append(
            (
                "Klachten per 1.000 inwoners",
                None if per_thousand is None else round(per_thousand, 2),
            )
        )
        selections.append(None)
        note = (
            "Klachten per 1.000 inwoners: de ontvangen registraties zonder die welke geen "
            "klacht waren (grond 1), op het aantal inwoners van het jaar."
            if f.inhabitants
            else "Het aantal inwoners voor dit jaar is niet ingevuld (Instellingen), dus er is "
            "geen aantal per 1.000 inwoners."
        )
    else:
        note = (
            "Klachten per 1.000 inwoners staan enkel in een jaaroverzicht: het aantal "
            "inwoners wordt per jaar bijgehouden."
        )
    table = ReportTable(
        key="summary",
        title="Kerncijfers",
        headers=("Kerncijfer", "Aantal"),
        rows=tuple(body),
        note=note,
        selections=tuple(selections),
    )
    return ReportSection(title="Inleiding en kerncijfers", text=text, tables=(table,))


def _ground_1(f: Figures) -> Count:
    return f.grounds[Ground.NOT_A_COMPLAINT]


def _admissibility(f: Figures) -> ReportSection:
    a = f.admissibility
    decided = _count_table(
        f,
        "admissibility",
        "Ontvankelijkheid",
        "Beslissing",
        [
            ("Ontvankelijk", a["admissible"]),
            ("Niet ontvankelijk", a["inadmissible"]),
            ("Meteen opgelost bij de registratie", a["solved_at_intake"]),
            ("Stopgezet door de burger vóór de beslissing", a["withdrawn_undecided"]),
            ("Nog niet beslist", a["pending"]),
        ],
        what="Ontvankelijkheid",
        total=("Ontvangen registraties", f.received),
        chart=ChartKind.PIE,
    )
    grounds = _count_table(
        f,
        "grounds",
        "Niet ontvankelijk, per grond",
        "Grond",
        [(f"{g.number}. {g.label}", f.grounds[g]) for g in Ground],
        what="Niet ontvankelijk op grond",
        total=("Niet-ontvankelijke klachten", a["inadmissible"]),
        note=(
            "Een klacht kan op meer dan één grond niet ontvankelijk zijn; dan telt ze bij elk "
            "van die gronden. De som van de rijen kan daarom groter zijn dan het totaal, dat "
            "elke klacht één keer telt."
        ),
    )
    text = (
        "De klachtencoördinator beslist eerst of een klacht ontvankelijk is. Een registratie "
        "die geen klacht is (grond 1), of die om een andere wettelijke grond niet behandeld "
        "kan worden, is niet ontvankelijk."
    )
    return ReportSection(title="Ontvankelijkheid", text=text, tables=(decided, grounds))


def _assessment(f: Figures) -> ReportSection:
    outcomes = _count_table(
        f,
        "outcomes",
        "Uitkomst van de behandeling",
        "Uitkomst",
        [
            *((o.label, f.outcomes[o]) for o in Outcome),
            ("nog niet beoordeeld (ontvankelijk)", f.unassessed),
        ],
        what="Uitkomst",
        chart=ChartKind.BAR,
        note=(
            "Stopzetting door de burger telt ook de klachten die de burger stopzette vóór ze "
            "beoordeeld werden."
        ),
    )
    no_judgement = f.outcomes[Outcome.NO_JUDGEMENT]
    reasons = _count_table(
        f,
        "no_judgement",
        "Geen oordeel: de reden",
        "Reden",
        [(r.label, f.no_judgement_reasons[r]) for r in f.no_judgement_reasons],
        what="Geen oordeel",
        total=("Geen oordeel", no_judgement),
        chart=None,
    )
    resolutions = _count_table(
        f,
        "resolution",
        "Mate van oplossing bij (deels) gegronde klachten",
        "Mate van oplossing",
        [
            (NOT_RECORDED if r is None else r.label, count)
            for r, count in f.resolutions.items()
            if r is not None or count.count
        ],
        what="Mate van oplossing",
        total=("Gegronde en deels gegronde klachten", f.solution_asked),
        chart=ChartKind.PIE,
        note=(
            "Gevraagd bij gegronde en deels gegronde klachten; een klacht die gegrond was "
            "maar al tijdens het onderzoek gecorrigeerd werd, is opgelost."
        ),
    )
    text = (
        "De behandelaar onderzoekt elke ontvankelijke klacht en beoordeelt ze. Bij een "
        "(deels) gegronde klacht wordt een oplossing geformuleerd; bij ‘geen oordeel’ wordt "
        "de reden vermeld."
    )
    return ReportSection(
        title="Beoordeling van de klachten", text=text, tables=(outcomes, reasons, resolutions)
    )


_LIMIT_TITLES = {
    LimitKind.ACKNOWLEDGEMENT: "Ontvangstmelding",
    LimitKind.HANDLER_REPORT: "Rapport van de behandelaar",
    LimitKind.CLOSING: "Antwoord en afsluiting",
}
_STATUS_ROWS: dict[LimitRow, str] = {
    LimitStatus.MET: "binnen de termijn",
    LimitStatus.MET_LATE: "later dan de termijn",
    LimitStatus.OVERDUE: "nog niet gebeurd, termijn verstreken",
    LimitStatus.OPEN: "nog niet gebeurd, termijn loopt nog",
    LimitStatus.LAPSED: "vervallen (stopgezet door de burger)",
    WITHDRAWN: "stopgezet door de burger",
    UNKNOWN: "niet gekend (geïmporteerd)",
}


def _limit_days_words(days: tuple[int, int] | None) -> str:
    if days is None:
        return ""
    low, high = days
    if low == high:
        return f" (termijn: {low} {'dag' if low == 1 else 'dagen'})"
    return f" (termijn: {low} tot {high} dagen, volgens het dossier)"


def _shows_row(kind: LimitKind, row: LimitRow, count: Count) -> bool:
    """A stop by the citizen closes the dossier: the closing limit never lapses but has a
    row of its own, the other limits lapse. Dates the earlier register did not record only
    get a row when an import left some out."""
    if kind is LimitKind.CLOSING:
        return row != LimitStatus.LAPSED and (row != UNKNOWN or count.count > 0)
    return row != WITHDRAWN and (row != UNKNOWN or count.count > 0)


def _timeliness(f: Figures) -> ReportSection:
    tables = []
    for kind in REPORTED_LIMITS:
        statuses = f.limits[kind]
        rows = [
            (label, statuses[status])
            for status, label in _STATUS_ROWS.items()
            if _shows_row(kind, status, statuses[status])
        ]
        title = _LIMIT_TITLES[kind]
        days = _limit_days_words(f.limit_days[kind])
        if kind is LimitKind.CLOSING and f.extended.count:  # each runs its extended limit
            extended = f"{counted(f.extended.count, 'dossier')} verlengd"
            days = f"{days[:-1]}; {extended})" if days else f" ({extended})"
        tables.append(
            _count_table(
                f,
                f"limit_{kind.value}",
                f"{title}{days}",
                "Termijn",
                rows,
                what=title,
                total=(
                    "Dossiers waarvoor de termijn geldt",
                    Count(
                        (("limit", f"{kind.value}:applies"),),
                        sum(count.count for count in statuses.values()),
                    ),
                ),
                chart=ChartKind.PIE,
            )
        )
    duration_rows: list[tuple[Cell, ...]] = [
        ("Afgesloten dossiers (antwoord verstuurd of stopgezet)", f.closed.count),
        ("Gemiddeld aantal dagen van ontvangst tot antwoord", _days(f.average_days_to_close)),
        ("Mediaan van het aantal dagen tot antwoord", _days(f.median_days_to_close)),
        (f"Nog open op {short_date(f.open_on)}", f.still_open.count),
    ]
    tables.append(
        ReportTable(
            key="duration",
            title="Doorlooptijd",
            headers=("Doorlooptijd", "Aantal of dagen"),
            rows=tuple(duration_rows),
            selections=(
                _selection(f, f.closed, "Afgesloten"),
                None,
                None,
                _selection(f, f.still_open, f"Nog open op {short_date(f.open_on)}"),
            ),
        )
    )
    text = (
        "Elke termijn wordt beoordeeld met de termijnen die golden toen het dossier "
        "geregistreerd werd: de ontvangstmelding vanaf de ontvangst van de klacht, het rapport "
        "van de behandelaar vanaf de ontvangst door de klachtencoördinator, het antwoord en "
        "de afsluiting vanaf de ontvangst van de klacht. Een termijn die nog loopt, wordt "
        f"beoordeeld op {short_date(f.as_of)}. Bij meteen opgeloste klachten lopen geen "
        "termijnen. Een klacht die de burger stopzette, kreeg geen antwoord: ze telt niet "
        "mee in het gemiddelde en de mediaan van het aantal dagen tot antwoord. Van "
        "geïmporteerde dossiers zijn datums die het vroegere register niet bijhield, niet "
        "gekend."
    )
    return ReportSection(title="Tijdigheid", text=text, tables=tuple(tables))


def _characteristics(f: Figures) -> ReportSection:
    received = ("Ontvangen registraties", f.received)
    departments = sorted(
        ((name or "geen dienst", count) for name, count in f.departments.values() if count.count),
        key=lambda row: (-row[1].count, row[0].lower()),
    )
    channels = [(c.label, count) for c, count in f.channels.items()]
    pie, bar = ChartKind.PIE, ChartKind.BAR
    # (key, title, column heading, rows, what the list's label says, chart)
    shapes: tuple[tuple[str, str, str, Sequence[tuple[str, Count]], str, ChartKind], ...] = (
        ("channels", "Per kanaal", "Kanaal", channels, "Kanaal", pie),
        ("routes", "Ingediend via", "Ingediend via", _with_unrecorded(f.routes), "Ingediend via", pie),
        ("departments", "Per dienst", "Dienst", departments, "Dienst", bar),
        ("subjects", "Waarover de klacht gaat", "Onderwerp", _with_unrecorded(f.subjects), "Onderwerp", pie),
        ("natures", "Aard van de klacht", "Aard", _with_unrecorded(f.natures), "Aard", bar),
        ("act_kinds", "Soort handeling of prestatie", "Soort", _with_unrecorded(f.act_kinds), "Soort handeling", bar),
    )  # fmt: skip
    tables = tuple(
        _count_table(f, key, title, heading, rows, what=what, total=received, chart=chart)
        for key, title, heading, rows, what, chart in shapes
    )
    text = (
        "Hoe de klachten binnenkwamen, wie ze indiende, over welke dienst en waarover ze "
        "gaan. Alle ontvangen registraties tellen mee, ook de niet-ontvankelijke."
    )
    return ReportSection(title="Kenmerken van de klachten", text=text, tables=tables)


def _with_unrecorded(counts: Mapping[Any, Count]) -> list[tuple[str, Count]]:
    """The members with their label, then 'niet ingevuld' when some were not filled in."""
    rows = []
    for member, count in counts.items():
        if member is None:
            if count.count:
                rows.append((NOT_RECORDED, count))
        else:
            rows.append((str(getattr(member, "label", member)), count))
    return rows


def _norms(f: Figures) -> ReportSection:
    columns: list[Outcome | None] = [*Outcome, None]
    rows: list[tuple[Cell, ...]] = []
    selections: list[Selection | None] = []
    for norm in Norm:
        count = f.norms[norm]
        by_outcome = f.norms_by_outcome[norm]
        rows.append((norm.numbered, count.count, *(by_outcome[o] for o in columns)))
        selections.append(_selection(f, count, f"Ombudsnorm {norm.numbered}"))
    table = ReportTable(
        key="norms",
        title="Geraakte ombudsnormen, per uitkomst",
        headers=("Ombudsnorm", "Klachten", *(SHORT_OUTCOMES[o] for o in columns)),
        rows=tuple(rows),
        total=(
            "Klachten met minstens één ombudsnorm",
            f.with_norms.count,
            *(None for _ in columns),
        ),
        chart=ChartKind.BAR,
        note=(
            "Een klacht kan meer dan één ombudsnorm raken; dan telt ze bij elk van die normen. "
            "Het totaal telt elke klacht één keer."
        ),
        selections=tuple(selections),
    )
    text = (
        "Bij de beoordeling noteert de behandelaar welke ombudsnormen van de Vlaamse "
        "Ombudsdienst de klacht raakte: de normen van behoorlijkheid (1-5) en van "
        "zorgvuldigheid (6-15)."
    )
    return ReportSection(title="Ombudsnormen", text=text, tables=(table,))


def _actions(f: Figures) -> ReportSection:
    statuses = ReportTable(
        key="action_statuses",
        title="Verbeteracties per stand van zaken",
        headers=("Stand van zaken", "Aantal"),
        rows=tuple((s.label, f.action_statuses[s]) for s in ActionStatus),
        total=("Totaal", sum(f.action_statuses.values())),
        chart=ChartKind.PIE,
    )
    tables = [statuses]
    if f.actions:
        tables.append(
            ReportTable(
                key="actions",
                title="Verbeteracties",
                headers=(
                    "Verbeteractie",
                    "Dienst",
                    "Stand",
                    "Gestart",
                    "Streefdatum",
                    "Uitgevoerd",
                ),
                rows=tuple(
                    (
                        a.description,
                        a.department,
                        a.status.label,
                        short_date(a.created_on),
                        short_date(a.due_on) or None,
                        short_date(a.done_on) or None,
                    )
                    for a in f.actions
                ),
            )
        )
    text = (
        "Wat de organisatie verandert naar aanleiding van klachten: de verbeteracties die in "
        f"{f.period.label} gestart werden, met hun stand van zaken op {short_date(f.as_of)}."
    )
    if not f.actions:
        text += " In deze periode werden geen verbeteracties gestart."
    return ReportSection(title="Verbeteracties", text=text, tables=tuple(tables))


def _trend(f: Figures) -> ReportSection:
    counts_rows: list[tuple[Cell, ...]] = []
    selections: list[Selection | None] = []
    shares_rows: list[tuple[Cell, ...]] = []
    for year in f.trend:
        per_thousand = year.per_thousand
        counts_rows.append(
            (
                str(year.year),
                year.received,
                None if per_thousand is None else round(per_thousand, 2),
            )
        )
        period = Period.year(year.year)
        selections.append(Selection(period, (), f"Ontvangen registraties ({period.label})"))
        shares_rows.append(
            (str(year.year), year.share_admissible, year.share_well_founded, year.share_in_time)
        )
    counts = ReportTable(
        key="trend_counts",
        title="Aantal klachten over vijf jaar",
        headers=("Jaar", "Ontvangen registraties", "Per 1.000 inwoners"),
        rows=tuple(counts_rows),
        chart=ChartKind.BAR,
        note="Per 1.000 inwoners: de klachten zonder de registraties die geen klacht waren "
        "(grond 1), enkel voor de jaren waarvoor het aantal inwoners ingevuld is.",
        selections=tuple(selections),
    )
    shares = ReportTable(
        key="trend_shares",
        title="Ontvankelijkheid, gegrondheid en tijdigheid over vijf jaar",
        headers=("Jaar", "Ontvankelijk", "(Deels) gegrond", "Tijdig afgesloten"),
        rows=tuple(shares_rows),
        chart=ChartKind.LINE,
        note=(
            "Ontvankelijk: van de klachten waarover beslist werd. (Deels) gegrond: gegrond, "
            "deels gegrond of gegrond maar gecorrigeerd, van de beoordeelde klachten zonder "
            "stopzetting. Tijdig afgesloten: binnen de termijn, van de klachten waarvan de "
            "termijn om antwoord te geven gehaald of verstreken is."
        ),
        percent_columns=(1, 2, 3),
    )
    text = (
        f"De evolutie van {f.trend[0].year} tot en met {f.trend[-1].year}, telkens voor de "
        "klachten die in dat jaar ontvangen werden."
    )
    return ReportSection(title="Evolutie over vijf jaar", text=text, tables=(counts, shares))

"""A hand-made report with every chart kind, long names, zero counts and an empty table."""

from __future__ import annotations

from datetime import date

from klachtdesk.letters.layout import Letterhead
from klachtdesk.letters.report_model import ChartKind, Report, ReportSection, ReportTable
from klachtdesk.procedure.periods import Period

LONG_DEPARTMENT = (
    "Dienst Omgeving, Ruimtelijke Ordening, Mobiliteit en Openbaar Domein – afdeling "
    "Wegen, Waterlopen en Groenonderhoud"
)
LETTERHEAD = Letterhead(
    "Gemeente Zottegem", "Markt 1", "9620", "Zottegem", "www.zottegem.be", "09 364 64 64",
    "klachten@zottegem.be",
)  # fmt: skip

RECEIVED = ReportTable(
    key="received",
    title="Ontvangen meldingen",
    headers=("Soort", "Aantal", "Aandeel"),
    rows=(("Klachten", 1234, 0.875), ("Geen klacht (grond 1)", 176, 0.125)),
    total=("Totaal", 1410, 1.0),
    percent_columns=(2,),
    chart=ChartKind.PIE,
    note="Een melding die geen klacht is, telt niet mee in de verdere tabellen.",
)
DEPARTMENTS = ReportTable(
    key="departments",
    title="Klachten per dienst",
    headers=("Dienst", "Klachten", "Gegrond of deels gegrond", "Aandeel gegrond"),
    rows=(
        (LONG_DEPARTMENT, 412, 97, 0.2354),
        ("Burgerzaken", 318, 40, 0.1258),
        ("Milieu en afval", 287, 151, 0.5261),
        ("Financiën", 0, 0, None),
        ("Geen dienst ingevuld", 217, 3, 0.0138),
    ),
    total=("Totaal", 1234, 291, 0.2358),
    percent_columns=(3,),
    chart=ChartKind.BAR,
)
CHANNELS = ReportTable(
    key="channels",
    title="Klachten per kanaal",
    headers=("Kanaal", "Klachten"),
    rows=(
        ("E-mail", 612),
        ("Webformulier", 401),
        ("Brief", 121),
        ("Telefoon", 100),
        ("Aan het loket", 0),
    ),
    total=("Totaal", 1234),
    chart=ChartKind.PIE,
)
TIMELINESS = ReportTable(
    key="timeliness",
    title="Tijdigheid van de behandeling",
    headers=("Termijn", "Op tijd", "Te laat", "Op tijd (aandeel)"),
    rows=(
        ("Ontvangstmelding binnen 10 dagen", 1180, 54, 0.9562),
        ("Rapport van de behandelaar binnen 30 dagen", 901, 333, 0.7301),
        ("Antwoord binnen 45 dagen", 1050, 184, 0.8509),
    ),
    percent_columns=(3,),
    chart=ChartKind.BAR,
)
DAYS = ReportTable(
    key="days",
    title="Dagen tot het antwoord",
    headers=("Maat", "Dagen"),
    rows=(("Gemiddeld", 23.4), ("Mediaan", 21.0), ("Nog open op 31 december", None)),
)
TREND = ReportTable(
    key="trend",
    title="Vijfjarige trend",
    headers=(
        "Jaar",
        "Klachten",
        "Per 1.000 inwoners",
        "Ontvankelijk (aandeel)",
        "(Deels) gegrond (aandeel)",
        "Antwoord binnen 45 dagen (aandeel)",
    ),
    rows=(
        (2022, 874, 32.1, 0.81, 0.22, 0.77),
        (2023, 0, 0.0, None, None, None),
        (2024, 1102, 40.2, 0.84, 0.25, 0.81),
        (2025, 1190, 43.3, 0.86, 0.24, 0.84),
        (2026, 1234, 44.9, 0.875, 0.2358, 0.8509),
    ),
    percent_columns=(3, 4, 5),
    chart=ChartKind.LINE,
)
ACTIONS = ReportTable(
    key="improvement_actions",
    title="Verbeteracties",
    headers=("Verbeteractie", "Dienst", "Status"),
    rows=(),
    chart=ChartKind.BAR,
)
NORMS = ReportTable(
    key="ombudsnormen_touched_split_by_outcome_of_assessment",
    title="Geraakte ombudsnormen per uitkomst",
    headers=("Ombudsnorm", "Gegrond", "Ongegrond"),
    rows=tuple((f"Norm {n}: {'zeer ' * n}lange omschrijving", n * 7, n) for n in range(1, 16)),
    chart=ChartKind.BAR,
)
OUTCOMES_BY_NORM = ReportTable(
    key="norms_by_outcome",
    title="Geraakte ombudsnormen, per uitkomst",
    headers=(
        "Ombudsnorm", "Klachten", "gegrond", "deels gegrond", "gecorrigeerd", "ongegrond",
        "geen oordeel", "stopzetting", "nog zonder uitkomst",
    ),
    rows=(
        ("1. overeenstemming met het recht", 12, 3, 2, 1, 4, 1, 0, 1),
        ("6. correcte bejegening", 31, 10, 6, 0, 12, 2, 1, 0),
        ("13. redelijke behandeltermijn", 1517, 700, 301, 44, 400, 50, 22, 0),
    ),
    total=("Klachten met minstens één ombudsnorm", 1560, None, None, None, None, None, None, None),
)  # fmt: skip
NORMS_AGAIN = ReportTable(
    key="ombudsnormen_touched_split_by_outcome_of_assessment_2025",
    title="Geraakte ombudsnormen vorig jaar",
    headers=("Ombudsnorm", "Klachten"),
    rows=(("Correcte bejegening", 12),),
)


def sample_report() -> Report:
    return Report(
        title="Jaarverslag klachtenbehandeling 2026",
        organisation="Gemeente Zottegem",
        period=Period.year(2026),
        made_on=date(2027, 2, 14),
        sections=(
            ReportSection(
                "Ontvangen klachten",
                "Dit verslag telt de klachten die in 2026 ontvangen werden.\n\nDe cijfers "
                "bevatten geen persoonsgegevens.",
                (RECEIVED, CHANNELS),
            ),
            ReportSection("Klachten per dienst", tables=(DEPARTMENTS,)),
            ReportSection("Tijdigheid", tables=(TIMELINESS, DAYS)),
            ReportSection("Ombudsnormen", tables=(NORMS, OUTCOMES_BY_NORM, NORMS_AGAIN)),
            ReportSection("Verbeteracties", tables=(ACTIONS,)),
            ReportSection("Trend over vijf jaar", tables=(TREND,)),
            ReportSection(
                "Beoordeling en aanbevelingen van de algemeen directeur",
                "Ruimte voor de eigen beoordeling.",
                blank_lines=12,
            ),
        ),
    )

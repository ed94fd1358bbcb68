"""Periods for figures and reports: labels a coordinator reads, and refusals in Dutch."""

from datetime import date

import pytest

from klachtdesk.procedure import InvalidInput
from klachtdesk.procedure.periods import Period


def test_labels() -> None:
    assert Period.year(2026).label == "2026"
    assert Period.quarter(2026, 2) == Period(date(2026, 4, 1), date(2026, 6, 30))
    assert Period.quarter(2026, 4).label == "4e kwartaal 2026"
    assert Period.month(2024, 2) == Period(date(2024, 2, 1), date(2024, 2, 29))
    assert Period.month(2026, 3).label == "maart 2026"
    assert Period(date(2026, 2, 3), date(2026, 5, 5)).label == "3 februari 2026 – 5 mei 2026"
    assert Period.month(2026, 12).days == 31


def test_refusals() -> None:
    with pytest.raises(InvalidInput, match="einddatum"):
        Period(date(2026, 5, 5), date(2026, 5, 4))
    with pytest.raises(InvalidInput, match="kwartaal"):
        Period.quarter(2026, 5)
    with pytest.raises(InvalidInput, match="maand"):
        Period.month(2026, 13)

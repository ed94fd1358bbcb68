"""The complaint list's order on a real register: complainants sort as a Flemish reader expects."""

from __future__ import annotations

from datetime import date

from klachtdesk.models import Complaint, Register
from klachtdesk.models.list_queries import query_plan
from klachtdesk.procedure import Channel, TimeLimits
from klachtdesk.services.complaint_list import (
    ListFilter,
    Restriction,
    SortKey,
    list_segments,
    ordered_ids,
)
from klachtdesk.services.complaints import register_complaint
from klachtdesk.services.context import ServiceContext

from .helpers import intake

# Typed in this order on purpose: binary order would put lower case and accents last.
NAMES = ["Zoë Wouters", "de Smet Jan", "Élise Aerts", "Van Damme Ria", "Özdemir Ali",
         "D'Hondt Luc", "elise Aerts", "Claes Inge", "Ölçer Can", "De Smet An", "Vandamme Bo"]  # fmt: skip
EXPECTED = ["Claes Inge", "D'Hondt Luc", "De Smet An", "de Smet Jan", "Élise Aerts",
            "elise Aerts", "Ölçer Can", "Özdemir Ali", "Van Damme Ria", "Vandamme Bo",
            "Zoë Wouters"]  # fmt: skip


def listed_names(descending: bool = False) -> list[str]:
    ids = ordered_ids(ListFilter(), SortKey.COMPLAINANT, descending, date(2026, 3, 2), TimeLimits())
    return [Complaint.get_by_id(i).name for i in ids]


def test_complainants_sort_without_regard_to_case_accents_or_punctuation(
    register: Register, ctx: ServiceContext
) -> None:
    for name in NAMES:
        register_complaint(ctx, intake(name=name, street="", phone="", email=""))
    # Equal keys ("elise aerts") keep the order of registration (the tie-breaker of every sort).
    assert listed_names() == EXPECTED
    assert listed_names(descending=True) == [
        "Zoë Wouters", "Vandamme Bo", "Van Damme Ria", "Özdemir Ali", "Ölçer Can",
        "elise Aerts", "Élise Aerts", "de Smet Jan", "De Smet An", "D'Hondt Luc", "Claes Inge",
    ]  # fmt: skip


def test_the_complainant_sort_is_read_from_its_index(register: Register) -> None:
    [segment] = list_segments(
        ListFilter(), SortKey.COMPLAINANT, False, date(2026, 3, 2), TimeLimits()
    )
    plan = " ".join(query_plan(segment))
    assert "COVERING INDEX complaint_list_name" in plan and "TEMP B-TREE" not in plan, plan


# -- a restriction to the dossiers behind a number of the figures ----------------------------


def test_a_restriction_shows_exactly_its_dossiers_with_the_other_filters_and_every_sort(
    register: Register, ctx: ServiceContext
) -> None:
    names = ["Bart Aerts", "Cas Boon", "An Claes", "Dirk Dams", "Eva Eyck"]
    channels = [Channel.PHONE, Channel.EMAIL, Channel.PHONE, Channel.PHONE, Channel.EMAIL]
    ids = [
        register_complaint(ctx, intake(name=name, channel=channel, email="x@example.be"))
        for name, channel in zip(names, channels, strict=True)
    ]
    only = Restriction(frozenset({ids[0], ids[2], ids[4]}), "Uitkomst: ongegrond (2026)")
    today, limits = date(2026, 3, 2), TimeLimits()

    def listed(flt: ListFilter, sort: SortKey = SortKey.COMPLAINANT, down: bool = False):
        return [Complaint.get_by_id(i).name for i in ordered_ids(flt, sort, down, today, limits)]

    assert listed(ListFilter(only=only)) == ["An Claes", "Bart Aerts", "Eva Eyck"]
    assert listed(ListFilter(only=only), down=True) == ["Eva Eyck", "Bart Aerts", "An Claes"]
    assert listed(ListFilter(only=only), SortKey.REFERENCE) == [
        "Bart Aerts", "An Claes", "Eva Eyck"
    ]  # fmt: skip
    assert listed(ListFilter(only=only, channel=Channel.PHONE)) == ["An Claes", "Bart Aerts"]
    assert listed(ListFilter(only=only, text="eyck")) == ["Eva Eyck"]
    assert listed(ListFilter(only=Restriction(frozenset(), "niets"))) == []
    assert len(listed(ListFilter())) == len(names)


def test_a_restriction_larger_than_sqlites_parameter_limit_still_works(
    register: Register, ctx: ServiceContext
) -> None:
    """SQLite refuses more bound parameters than its build allows (32,766 by default, 250,000
    in sqlcipher3's): one parameter per id would fail here."""
    kept = register_complaint(ctx, intake())
    register_complaint(ctx, intake(name="Niet gekozen"))
    many = frozenset(range(kept, kept + 600_000, 2))  # every other id, the second one not
    flt = ListFilter(only=Restriction(many, "Alle klachten (2026)"))
    assert ordered_ids(flt, SortKey.RECEIVED, True, date(2026, 3, 2), TimeLimits()) == [kept]


def test_a_restriction_is_read_from_narrow_indexes_never_looked_up_in_the_table(
    register: Register, ctx: ServiceContext
) -> None:
    """Looking each id up in the table reads thousands of scattered wide pages on a big
    register: a few ids are looked up in the narrow id index (and the few found sorted), many
    are tested on each entry of the sort's index, read in order."""
    for _ in range(3):
        register_complaint(ctx, intake())
    today, limits = date(2026, 3, 2), TimeLimits()
    few = ListFilter(only=Restriction(frozenset({1, 2, 3}), "Kanaal: e-mail (2026)"))
    [segment] = list_segments(few, SortKey.RECEIVED, True, today, limits)
    plan = " ".join(query_plan(segment))
    assert plan.startswith("SEARCH complaint USING COVERING INDEX complaint_list_id (id=?)"), plan
    many = ListFilter(only=Restriction(frozenset(range(1, 1000)), "Alle klachten (2026)"))
    [segment] = list_segments(many, SortKey.RECEIVED, True, today, limits)
    plan = " ".join(query_plan(segment))
    assert "COVERING INDEX complaint_list_received" in plan and "TEMP B-TREE" not in plan, plan

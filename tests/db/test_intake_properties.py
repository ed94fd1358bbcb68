"""Generated intakes (hostile texts, huge texts, odd dates, phone numbers and e-mail addresses)
through the procedure's validation and the registering service on a real encrypted register:
each one is registered or refused with InvalidInput in Dutch; nothing else ever escapes.

CI runs 10,000 intakes (``ci_examples``); every one is validated, one in eight is also
registered, in one register, so that the run stays well under 90 seconds.
"""

from __future__ import annotations

import string
from dataclasses import fields
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klachtdesk.models import Complaint, Register
from klachtdesk.procedure import (
    ActKind,
    Channel,
    FormOfAddress,
    Intake,
    InvalidInput,
    Nature,
    Route,
    Subject,
    validate_intake,
)
from klachtdesk.procedure.text_limits import FIELD_LIMITS
from klachtdesk.services import complaints as svc
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.organisation import add_department

from ..conftest import ci_examples

INTAKE_FIELD_NAMES = {f.name for f in fields(Intake)} | {"on"}
#: Characters a person or a broken file may bring: letters of any script, NUL and other
#: control characters, lone surrogates, line breaks, U+FFFF.
ODD = st.characters(codec=None, categories=None)
HOSTILE = st.sampled_from(["\x00", "\ud800", "\udfff", "\x1b", "\x07", "\n", "\r\n", "\t",
                           "\u2028", "\ufeff", "\uffff", "é", "ß", "שרה", "محمد", " "])  # fmt: skip


def long_text(pieces: st.SearchStrategy[str], most: int) -> st.SearchStrategy[str]:
    """A short piece repeated up to ``most`` characters: huge texts without generating each
    character one by one."""
    return st.tuples(pieces, st.integers(0, most)).map(
        lambda t: (t[0] * (t[1] // len(t[0]) + 1))[: t[1]] if t[0] else ""
    )


def text_for(field: str) -> st.SearchStrategy[str]:
    limit = FIELD_LIMITS[field].max_chars
    return st.one_of(
        st.text(ODD, max_size=30),
        st.text(string.ascii_letters + " -'", min_size=1, max_size=40),
        st.lists(st.one_of(st.text(string.ascii_letters, max_size=8), HOSTILE), max_size=8).map(
            "".join
        ),
        long_text(st.text(ODD, min_size=1, max_size=4), limit + 50),
        st.integers(limit - 2, limit + 2).map(lambda n: "a" * n),
    )


PHONES = st.one_of(
    st.just(""),
    st.sampled_from(["0478 12 34 56", "+32 16 21 12 11", "016211211", "+1 202 555 0143"]),
    st.text("0123456789 +-/().x#*", max_size=45),
    st.text(ODD, max_size=20),
)
EMAILS = st.one_of(
    st.just(""),
    st.emails(),
    st.sampled_from(["jan@bücher.be", "a@b", "@x.be", "x@-x.be", "jan..peeters@x.be"]),
    st.text(ODD, max_size=30).map(lambda t: f"{t}@example.be"),
    st.text(ODD, max_size=30),
)
SANE_DAYS = st.dates(date(1950, 1, 1), date(2026, 3, 2))
ANY_DAY = st.one_of(SANE_DAYS, SANE_DAYS, st.dates(), st.sampled_from([date.min, date.max]))


SAFE = st.characters(
    categories=["L", "N", "P", "Zs"], exclude_characters="\u2028\u2029\x85", codec="utf-8"
)


def sane_text(field: str) -> st.SearchStrategy[str]:
    """What a person types: any script, up to exactly the limit."""
    limit = FIELD_LIMITS[field]
    pieces = st.text(SAFE, min_size=1, max_size=6)
    if limit.multiline:
        pieces = st.one_of(pieces, pieces.map(lambda t: t + "\n"))
    return st.one_of(
        st.text(SAFE, min_size=1, max_size=40),
        long_text(pieces, limit.max_chars).filter(lambda t: t.strip()),
    )


def intakes(department_id: int, *, hostile: bool) -> st.SearchStrategy[Intake]:
    """Intakes as a person types them (mostly accepted) or as a fuzzer does (mostly not)."""
    text = text_for if hostile else sane_text
    day = ANY_DAY if hostile else SANE_DAYS
    return st.builds(
        Intake,
        channel=st.sampled_from(list(Channel)),
        received_on=day,
        coordinator_received_on=st.one_of(st.none(), day) if hostile else st.none(),
        description=text("description"),
        received_by=st.one_of(st.just("Klachtencoördinator"), text("received_by")),
        name=st.one_of(st.just(""), text("name")),
        street=st.one_of(st.just(""), text("street")),
        postal_code=st.one_of(
            st.sampled_from(["", "3000", "B-3020", "1000 AB"]),
            text_for("postal_code") if hostile else st.nothing(),
        ),
        city=st.one_of(st.just(""), text("city")),
        phone=PHONES if hostile else st.sampled_from(["", "0478 12 34 56", "+32 16 21 12 11"]),
        email=EMAILS if hostile else st.one_of(st.just(""), st.emails()),
        forwarded_by=st.one_of(st.just(""), text("forwarded_by")),
        facts_on=st.one_of(st.none(), day),
        subject=st.one_of(st.none(), st.sampled_from(list(Subject))),
        department_id=st.sampled_from(
            [None, department_id, 999_999] if hostile else [None, department_id]
        ),
        person_concerned=st.one_of(st.just(""), text("person_concerned")),
        nature=st.one_of(st.none(), st.sampled_from(list(Nature))),
        act_kind=st.one_of(st.none(), st.sampled_from(list(ActKind))),
        solved_immediately=st.booleans(),
        immediate_solution=text("immediate_solution"),
        form_of_address=st.sampled_from(
            [*FormOfAddress, "onzin"] if hostile else list(FormOfAddress)
        ),  # type: ignore[list-item]
        route=st.one_of(st.none(), st.sampled_from(list(Route))),
    )


def assert_dutch_refusal(refusal: InvalidInput) -> None:
    assert refusal.errors, "a refusal names what is wrong"
    assert set(refusal.errors) <= INTAKE_FIELD_NAMES
    for message in refusal.errors.values():
        message.encode("utf-8")  # showable and storable: no lone surrogate in the message
        assert message[:1].isupper() or message.startswith("‘")
        assert "Error" not in message and "Traceback" not in message


@pytest.mark.timeout(600)
def test_every_generated_intake_is_registered_or_refused_in_dutch(
    register: Register, ctx: ServiceContext
) -> None:
    today = ctx.today()
    department = add_department(ctx, "Milieu en afval")
    counts = {"validated": 0, "registered": 0, "refused": 0}

    examples = ci_examples(10_000, 600)

    @settings(
        max_examples=examples,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.function_scoped_fixture,
        ],
    )
    @given(
        intake=st.one_of(intakes(department, hostile=True), intakes(department, hostile=False)),
        register_it=st.integers(0, 7),
    )
    def one(intake: Intake, register_it: int) -> None:
        counts["validated"] += 1
        try:
            accepted = validate_intake(intake, today)
        except InvalidInput as refusal:
            assert_dutch_refusal(refusal)
            counts["refused"] += 1
            accepted = None
        if register_it:
            return
        try:
            cid = svc.register_complaint(ctx, intake)
        except InvalidInput as refusal:
            assert_dutch_refusal(refusal)
            # Refused by the service only for what validation cannot see (the department).
            assert accepted is None or set(refusal.errors) == {"department_id"}
            return
        assert accepted is not None
        counts["registered"] += 1
        row = Complaint.get_by_id(cid)
        assert (row.name, row.description, row.email) == (
            accepted.name,
            accepted.description,
            accepted.email,
        )

    one()
    # As many intakes as the issue asks for were judged (hypothesis stops early on none).
    assert counts["validated"] >= examples, counts
    # The generator reaches both ends: some intakes are registered, many are refused.
    assert counts["refused"] > counts["validated"] // 10
    assert counts["registered"] > 0

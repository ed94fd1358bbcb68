"""Issue 12 §1 as pure rules: what the assessment must record, and the improvement actions."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachtdesk.procedure import (
    ActionStatus,
    Channel,
    Intake,
    InvalidInput,
    Norm,
    NormGroup,
    Outcome,
    Resolution,
    Route,
    validate_intake,
)
from klachtdesk.procedure.assessment import (
    check_assessment_record,
    norms_by_group,
    requires_norm,
    requires_resolution,
)
from klachtdesk.procedure.improvements import Improvement, validate_improvement

TODAY = date(2026, 3, 10)


@given(
    outcome=st.sampled_from(list(Outcome)),
    resolution=st.none() | st.sampled_from(list(Resolution)),
    norms=st.frozensets(st.sampled_from(list(Norm))),
)
def test_assessment_record_accepted_exactly_when_the_rules_allow(
    outcome: Outcome, resolution: Resolution | None, norms: frozenset[Norm]
) -> None:
    allowed = (resolution is not None) == requires_resolution(outcome) and (
        bool(norms) or not requires_norm(outcome)
    )
    try:
        stored = check_assessment_record(outcome, resolution, norms)
    except InvalidInput as exc:
        assert not allowed
        assert set(exc.errors) <= {"resolution", "norms"} and exc.errors
        return
    assert allowed and stored == (resolution, norms)


def test_well_founded_without_resolution_or_norm_is_refused_in_dutch() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_assessment_record(Outcome.WELL_FOUNDED, None, [])
    assert refused.value.errors == {
        "resolution": "Kies bij de beoordeling ‘gegrond’ de mate van oplossing: opgelost, "
        "deels opgelost of niet opgelost.",
        "norms": "Vink bij de beoordeling ‘gegrond’ minstens één ombudsnorm aan die de klacht "
        "raakt.",
    }


def test_corrected_needs_a_norm_but_no_resolution_and_unfounded_neither() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_assessment_record(Outcome.CORRECTED, Resolution.RESOLVED, [Norm.COURTESY])
    assert refused.value.errors == {
        "resolution": "Een mate van oplossing hoort enkel bij een gegronde of deels gegronde "
        "klacht."
    }
    with pytest.raises(InvalidInput) as refused:
        check_assessment_record(Outcome.CORRECTED, None, [])
    assert set(refused.value.errors) == {"norms"}
    assert check_assessment_record(Outcome.UNFOUNDED, None, []) == (None, frozenset())


def test_codes_from_a_screen_are_accepted_and_unknown_ones_refused() -> None:
    assert check_assessment_record(Outcome.PARTLY_WELL_FOUNDED, "resolved", ["courtesy"]) == (
        Resolution.RESOLVED,
        frozenset({Norm.COURTESY}),
    )
    with pytest.raises(InvalidInput) as refused:
        check_assessment_record(Outcome.UNFOUNDED, None, ["politeness"])
    assert refused.value.errors == {"norms": "‘politeness’ is geen ombudsnorm."}


def test_norms_listed_numbered_under_their_two_groups() -> None:
    grouped = norms_by_group()
    assert [n.number for n in grouped[NormGroup.PROPRIETY]] == [1, 2, 3, 4, 5]
    assert [n.number for n in grouped[NormGroup.CAREFULNESS]] == list(range(6, 16))
    assert Norm.COURTESY.numbered == "6. correcte bejegening"


def test_route_is_optional_and_read_back_from_its_code() -> None:
    intake = Intake(Channel.PHONE, TODAY, "De container.", "Onthaal")
    assert validate_intake(intake, TODAY).route is None
    assert validate_intake(Intake(**{**intake.__dict__, "route": "politician"}), TODAY).route is (
        Route.POLITICIAN
    )
    with pytest.raises(InvalidInput) as refused:
        validate_intake(Intake(**{**intake.__dict__, "route": "fax"}), TODAY)
    assert refused.value.errors == {"route": "Kies via wie de klacht ingediend werd."}


def _action(**changes: object) -> Improvement:
    values: dict[str, object] = {"description": " Nieuwe ophaalkalender. ", "department_id": 1}
    values.update(changes)
    return Improvement(**values)  # type: ignore[arg-type]


def test_improvement_normalised_and_dated_when_done() -> None:
    created = date(2026, 3, 1)
    planned = validate_improvement(_action(done_on=TODAY), created_on=created, today=TODAY)
    assert planned.description == "Nieuwe ophaalkalender." and planned.done_on is None
    done = validate_improvement(_action(status="done"), created_on=created, today=TODAY)
    assert (done.status, done.done_on) == (ActionStatus.DONE, TODAY)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"description": "  "}, "description", "Beschrijf wat er verbeterd wordt."),
        ({"department_id": None}, "department_id", "Kies de dienst die de verbeteractie uitvoert."),
        (
            {"due_on": date(2026, 2, 28)},
            "due_on",
            "De streefdatum kan niet vóór de dag liggen waarop de actie werd aangemaakt "
            "(01/03/2026).",
        ),
        (
            {"status": ActionStatus.DONE, "done_on": date(2026, 3, 11)},
            "done_on",
            "Een actie kan niet in de toekomst uitgevoerd zijn.",
        ),
        (
            {"status": ActionStatus.DONE, "done_on": date(2026, 2, 1)},
            "done_on",
            "De actie kan niet uitgevoerd zijn vóór ze werd aangemaakt (01/03/2026).",
        ),
        ({"status": "finished"}, "status", "Kies een status: gepland, lopend, uitgevoerd."),
    ],
)
def test_improvement_refusals_say_what_is_wrong(
    changes: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_improvement(_action(**changes), created_on=date(2026, 3, 1), today=TODAY)
    assert refused.value.errors == {field: message}

"""The procedure's vocabulary, each term with its Dutch label, defined once.

Enum values are stable English codes stored in the database; ``label`` is what a screen or a
letter shows. See the glossary in ``shared/procedure.md``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class LabeledEnum(StrEnum):
    """A string enum whose members carry a Dutch ``label``."""

    label: str

    def __new__(cls, value: str, label: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def from_code(cls, code: str) -> Self:
        """The member stored as ``code``; ValueError for an unknown code."""
        for member in cls:
            if member.value == code:
                return member
        raise ValueError(f"{code!r} is not a {cls.__name__}")


class Channel(LabeledEnum):
    """How the complaint came in (step 1 and 2)."""

    PHONE = "phone", "telefoon"
    EMAIL = "email", "e-mail"
    LETTER = "letter", "brief/fax"
    WEBSITE = "website", "website"
    IN_PERSON = "in_person", "mondeling (aan het loket)"


class FormOfAddress(LabeledEnum):
    """How the complainant wants to be addressed (recorded at intake, used in the salutation)."""

    NONE = "none", "(geen)"
    MADAM = "madam", "mevrouw"
    SIR = "sir", "meneer"

    @property
    def shown(self) -> str:
        """What a summary shows: the label, or nothing when none was chosen."""
        return "" if self is FormOfAddress.NONE else self.label


class DeliveryMethod(LabeledEnum):
    """How a letter reaches the complainant (step 7 and 12)."""

    EMAIL = "email", "per e-mail"
    LETTER = "letter", "per brief"


def delivery_for(channel: Channel) -> DeliveryMethod:
    """Step 7: a complaint that came in by e-mail is answered by e-mail, any other by letter."""
    return DeliveryMethod.EMAIL if channel is Channel.EMAIL else DeliveryMethod.LETTER


class Subject(LabeledEnum):
    """Whom or what the complaint is about."""

    EMPLOYEE = "employee", "medewerker"
    DEPARTMENT = "department", "dienst"
    POLITICIAN = "politician", "politicus/mandataris"


class Nature(LabeledEnum):
    """The nature of the complaint (step 1, 'al dan niet')."""

    WRONGLY_DONE = "wrongly_done", "foutief verricht"
    DEVIATION = "deviation", "afwijking van de werkwijze"
    NOT_DONE = "not_done", "niet uitgevoerd"


class ActKind(LabeledEnum):
    """The kind of act or service complained about (step 1, 'handeling of prestatie')."""

    TREATMENT = "treatment", "behandelingswijze"
    TIME_LIMIT = "time_limit", "termijn"
    DECISION = "decision", "beslissing"


class Ground(LabeledEnum):
    """The 10 grounds on which a complaint is inadmissible (step 6), in the procedure's order."""

    NOT_A_COMPLAINT = "not_a_complaint", "geen klacht"
    FILED_BEFORE = "filed_before", "al eerder klacht ingediend"
    OLDER_THAN_A_YEAR = "older_than_a_year", "feiten meer dan een jaar voor indiening"
    APPEALS_NOT_USED = "appeals_not_used", "nog niet alle beroepsprocedures aangewend"
    JUDICIAL_APPEAL_PENDING = "judicial_appeal_pending", "jurisdictioneel beroep aanhangig"
    MANIFESTLY_UNFOUNDED = "manifestly_unfounded", "kennelijk ongegrond"
    NO_INTEREST = "no_interest", "geen belang"
    ANONYMOUS = "anonymous", "anoniem"
    POLICY = "policy", "klacht over beleid en regelgeving"
    NOT_LOCAL_GOVERNMENT = "not_local_government", "geen lokale overheid"

    @property
    def number(self) -> int:
        """The ground's number as the procedure lists it (1-10)."""
        return list(Ground).index(self) + 1

    @property
    def explanation(self) -> str:
        """The standard explanation given to the complainant."""
        return GROUND_EXPLANATIONS[self]


GROUND_EXPLANATIONS: dict[Ground, str] = {
    Ground.NOT_A_COMPLAINT: (
        "Uw bericht is geen klacht in de zin van de klachtenprocedure: het is bijvoorbeeld "
        "een vraag, een melding of een voorstel. We bezorgen het aan de bevoegde dienst."
    ),
    Ground.FILED_BEFORE: (
        "U diende eerder al een klacht in over dezelfde feiten. Die klacht werd of wordt "
        "behandeld; een nieuwe behandeling is niet mogelijk."
    ),
    Ground.OLDER_THAN_A_YEAR: (
        "De feiten waarover u klaagt, vonden meer dan een jaar voor het indienen van uw "
        "klacht plaats."
    ),
    Ground.APPEALS_NOT_USED: (
        "Tegen de beslissing waarover u klaagt, staat nog een beroepsprocedure open. U "
        "gebruikt eerst die procedure."
    ),
    Ground.JUDICIAL_APPEAL_PENDING: (
        "Over de feiten waarover u klaagt, loopt een procedure bij een rechtbank of een "
        "administratief rechtscollege."
    ),
    Ground.MANIFESTLY_UNFOUNDED: "Uw klacht is kennelijk ongegrond.",
    Ground.NO_INTEREST: "U heeft geen persoonlijk belang bij de feiten waarover u klaagt.",
    Ground.ANONYMOUS: (
        "Uw klacht is anoniem: we kennen uw naam of adres niet en kunnen u dus ook niet antwoorden."
    ),
    Ground.POLICY: (
        "Uw klacht gaat over het beleid of de regelgeving van het bestuur, niet over een "
        "handeling of prestatie. U kunt uw opmerking richten aan de gemeenteraad."
    ),
    Ground.NOT_LOCAL_GOVERNMENT: (
        "Uw klacht gaat niet over ons lokaal bestuur. U kunt terecht bij de bevoegde "
        "overheid of bij de Vlaamse Ombudsdienst."
    ),
}


class Outcome(LabeledEnum):
    """The assessment of an investigated complaint (step 10)."""

    WELL_FOUNDED = "well_founded", "gegrond"
    PARTLY_WELL_FOUNDED = "partly_well_founded", "deels gegrond"
    CORRECTED = "corrected", "gegrond maar reeds tijdens het onderzoek gecorrigeerd"
    UNFOUNDED = "unfounded", "ongegrond"
    NO_JUDGEMENT = "no_judgement", "geen oordeel"
    STOPPED_BY_CITIZEN = "stopped_by_citizen", "stopzetting procedure door burger"

    @property
    def requires_solution(self) -> bool:
        """Step 10: a solution must be formulated for (partly) well-founded complaints."""
        return self in (Outcome.WELL_FOUNDED, Outcome.PARTLY_WELL_FOUNDED)


class NoJudgementReason(LabeledEnum):
    """Why no judgement could be given (step 10, 'geen oordeel')."""

    UNCLEAR = "unclear", "blijft na onderzoek onvoldoende duidelijk"
    DOUBT = "doubt", "twijfel of er beter bestuurd had kunnen worden"
    TOO_SMALL = "too_small", "fout te klein om in aanmerking te nemen"


class Route(LabeledEnum):
    """Who brought the complaint in (distinct from the channel it came through); yearly report."""

    DIRECT = "direct", "rechtstreeks door de burger"
    POLITICIAN = "politician", "via een mandataris"
    ORGANISATION = "organisation", "via een organisatie of derde"


class Resolution(LabeledEnum):
    """Step 10, for (partly) well-founded complaints: how far the complaint was resolved."""

    RESOLVED = "resolved", "opgelost"
    PARTLY_RESOLVED = "partly_resolved", "deels opgelost"
    NOT_RESOLVED = "not_resolved", "niet opgelost"


class NormGroup(LabeledEnum):
    """The two families of the Vlaamse Ombudsdienst's ombudsnormen."""

    PROPRIETY = "propriety", "behoorlijkheid"
    CAREFULNESS = "carefulness", "zorgvuldigheid"


class Norm(LabeledEnum):
    """The 15 ombudsnormen of the Vlaamse Ombudsdienst, in their own order (step 10)."""

    LAWFULNESS = "lawfulness", "overeenstemming met het recht"
    REASONING = "reasoning", "afdoende motivering"
    EQUALITY = "equality", "gelijkheid en onpartijdigheid"
    LEGAL_CERTAINTY = "legal_certainty", "rechtszekerheid en gerechtvaardigd vertrouwen"
    PROPORTIONALITY = "proportionality", "redelijkheid en evenredigheid"
    COURTESY = "courtesy", "correcte bejegening"
    ACTIVE_SERVICE = "active_service", "actieve dienstverlening"
    CORRESPONDENCE = "correspondence", "deugdelijke correspondentie"
    ACCESSIBILITY = "accessibility", "vlotte bereikbaarheid"
    INFORMATION = "information", "doeltreffende algemene informatieverstrekking"
    ACCURACY = "accuracy", "goede uitvoeringspraktijk en administratieve nauwkeurigheid"
    COMPLAINT_HANDLING = "complaint_handling", "zorgvuldige interne klachtenbehandeling"
    REASONABLE_TIME = "reasonable_time", "redelijke behandeltermijn"
    COORDINATION = "coordination", "efficiënte coördinatie"
    PRIVACY = "privacy", "respect voor de persoonlijke levenssfeer"

    @property
    def number(self) -> int:
        """The norm's number as the Ombudsdienst lists it (1-15)."""
        return list(Norm).index(self) + 1

    @property
    def group(self) -> NormGroup:
        """Norms 1-5 are about propriety, 6-15 about carefulness."""
        return NormGroup.PROPRIETY if self.number <= 5 else NormGroup.CAREFULNESS

    @property
    def numbered(self) -> str:
        """'6. correcte bejegening', as a list or a report shows it."""
        return f"{self.number}. {self.label}"


class ActionStatus(LabeledEnum):
    """An improvement action's progress."""

    PLANNED = "planned", "gepland"
    ONGOING = "ongoing", "lopend"
    DONE = "done", "uitgevoerd"

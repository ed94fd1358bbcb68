"""The names of the fields of the handler's report form, defined once.

The form is written by :mod:`klachtdesk.letters.handler_form` and read back by
:mod:`klachtdesk.services.handler_form`; both take every field name from here. The names are
stable ASCII (a form sent out today is read back next month by a newer klachtdesk), and the
values of the choice fields are the procedure's stored codes (``Outcome.WELL_FOUNDED.value``
...), never their Dutch labels. Light on purpose: no ReportLab, no pypdf.
"""

from __future__ import annotations

from enum import StrEnum

from klachtdesk.procedure import Norm


class FieldName(StrEnum):
    """Every field of the form, by what it holds."""

    #: Hidden: which kind and version of form this is (:data:`FORM_KIND`).
    FORM = "kd_form"
    #: Hidden: the dossier's id in its register.
    DOSSIER = "kd_dossier"
    #: Read-only: the dossier's reference ("2026-0042").
    REFERENCE = "kd_reference"
    #: Read-only: the check value over the register's secret, the id and the reference.
    CHECK = "kd_check"
    CONTACTS = "contacts"
    SUMMARY = "summary"
    #: Radio buttons, values: the codes of Outcome.
    OUTCOME = "outcome"
    #: Radio buttons, values: the codes of NoJudgementReason.
    NO_JUDGEMENT_REASON = "no_judgement_reason"
    #: Radio buttons, values: the codes of Resolution.
    RESOLUTION = "resolution"
    SOLUTION = "solution"
    REPORT_TEXT = "report_text"
    REPLY_TEXT = "reply_text"
    #: Radio buttons, values :data:`YES` and :data:`NO`; only when the head is asked about.
    HEAD_INFORMED = "head_informed"


#: The value of :attr:`FieldName.FORM` on this form.
FORM_KIND = "klachtdesk-handler-report-1"
#: The values of the yes/no radio buttons.
YES, NO = "yes", "no"
#: The value a viewer gives a ticked check box (ReportLab's and the PDF specification's usual
#: name); a viewer may use another name, so anything but "Off" reads as ticked.
CHECKED = "Yes"


def norm_field(norm: Norm) -> str:
    """The check box of one ombudsnorm, e.g. ``norm_accuracy``."""
    return f"norm_{norm.value}"


#: The text fields the handler fills in, with the register's column they are kept in.
TEXT_COLUMNS: dict[FieldName, str] = {
    FieldName.CONTACTS: "investigation_contacts",
    FieldName.SUMMARY: "investigation_summary",
    FieldName.SOLUTION: "solution",
    FieldName.REPORT_TEXT: "report_text",
    FieldName.REPLY_TEXT: "reply_text",
}

"""The complaint procedure as pure rules: no Qt, no database, no clock.

Everything here takes ``today`` as a parameter. See ``shared/procedure.md`` for the procedure
this implements.
"""

from .deadlines import (
    Deadline,
    DossierLimits,
    LimitKind,
    LimitStatus,
    TimeLimits,
    acknowledgement_due,
    answer_expected_by,
    day_count,
    deadlines,
    next_deadline,
    next_due_on,
)
from .dossier import Dossier, available_actions
from .errors import ForbiddenMove, InvalidInput, UserError
from .intake import (
    EarlierComplaint,
    Intake,
    Suggestion,
    person_keys,
    salutation,
    suggest_grounds,
    validate_intake,
)
from .states import STEPS, Action, State, Step
from .vocabulary import (
    ActionStatus,
    ActKind,
    Channel,
    DeliveryMethod,
    FormOfAddress,
    Ground,
    Nature,
    NoJudgementReason,
    Norm,
    NormGroup,
    Outcome,
    Resolution,
    Route,
    Subject,
)

__all__ = [
    "STEPS",
    "ActKind",
    "Action",
    "ActionStatus",
    "Channel",
    "Deadline",
    "DeliveryMethod",
    "Dossier",
    "DossierLimits",
    "EarlierComplaint",
    "ForbiddenMove",
    "FormOfAddress",
    "Ground",
    "Intake",
    "InvalidInput",
    "LimitKind",
    "LimitStatus",
    "Nature",
    "NoJudgementReason",
    "Norm",
    "NormGroup",
    "Outcome",
    "Resolution",
    "Route",
    "State",
    "Step",
    "Subject",
    "Suggestion",
    "TimeLimits",
    "UserError",
    "acknowledgement_due",
    "answer_expected_by",
    "available_actions",
    "day_count",
    "deadlines",
    "next_deadline",
    "next_due_on",
    "person_keys",
    "salutation",
    "suggest_grounds",
    "validate_intake",
]

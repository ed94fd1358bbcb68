"""The register's tables.

The schema itself is created and changed only by :mod:`klachtdesk.models.migrations`; these
classes describe the current version of it for queries.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    CompositeKey,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from klachtdesk.procedure import (
    ActionStatus,
    ActKind,
    Channel,
    FormOfAddress,
    Ground,
    Nature,
    NoJudgementReason,
    Norm,
    Outcome,
    Resolution,
    Route,
    State,
    Subject,
)

database = DatabaseProxy()


class EnumField(CharField):
    """Stores a procedure enum by its stable code."""

    def __init__(self, enum: type, **kwargs: object) -> None:
        self.enum = enum
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def db_value(self, value: object) -> object:
        return None if value is None else str(value)

    def python_value(self, value: object) -> object:
        return None if value is None else self.enum(value)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class Department(BaseModel):
    id = AutoField()
    name = CharField(unique=True)
    active = BooleanField(default=True)
    # Migration 11: the head of department, in copy of a report to another handler.
    head_name = CharField(default="")
    head_email = CharField(default="")


class Handler(BaseModel):
    id = AutoField()
    name = CharField()
    email = CharField(default="")
    phone = CharField(default="")
    department = ForeignKeyField(Department, null=True, on_delete="SET NULL")
    department_id: int | None
    active = BooleanField(default=True)


class Complaint(BaseModel):
    id = AutoField()
    reference = CharField(unique=True)
    registered_at = DateTimeField()
    updated_at = DateTimeField()

    # Step 2-4: the intake.
    channel = EnumField(Channel, index=True)
    received_on = DateField(index=True)
    coordinator_received_on = DateField()
    received_by = CharField()
    forwarded_by = CharField(default="")
    name = CharField(default="")  # sorted through an index on its sort key (migration 4)
    street = CharField(default="")
    postal_code = CharField(default="")
    city = CharField(default="")
    phone = CharField(default="")
    email = CharField(default="")
    description = TextField()
    facts_on = DateField(null=True)
    subject = EnumField(Subject, null=True)
    department = ForeignKeyField(Department, null=True, on_delete="RESTRICT")
    department_id: int | None
    person_concerned = CharField(default="")
    nature = EnumField(Nature, null=True)
    act_kind = EnumField(ActKind, null=True)
    solved_immediately = BooleanField(default=False)
    immediate_solution = TextField(default="")
    form_of_address = EnumField(FormOfAddress, default=FormOfAddress.NONE)  # migration 5

    # Steps 5-13: progress through the procedure.
    state = EnumField(State, index=True)
    admissible = BooleanField(null=True)
    decided_on = DateField(null=True)
    admissibility_motivation = TextField(default="")
    acknowledged_on = DateField(null=True)
    sent_to_handler_on = DateField(null=True)
    handler = ForeignKeyField(Handler, null=True, on_delete="RESTRICT")
    handler_id: int | None
    investigation_contacts = TextField(default="")
    investigation_summary = TextField(default="")
    assessed_on = DateField(null=True)
    outcome = EnumField(Outcome, null=True)
    no_judgement_reason = EnumField(NoJudgementReason, null=True)
    solution = TextField(default="")
    first_returned_on = DateField(null=True)
    last_returned_on = DateField(null=True)
    report_text = TextField(default="")
    reply_text = TextField(default="")
    review_failed_on = DateField(null=True)
    review_failed_reason = TextField(default="")
    failed_reviews = IntegerField(default=0)
    approved_on = DateField(null=True)
    reply_sent_on = DateField(null=True)
    closed_on = DateField(null=True)
    withdrawn_on = DateField(null=True)
    withdrawal_reason = TextField(default="")
    # Earliest due date of the limits still running; kept by services for sorting.
    next_due_on = DateField(null=True, index=True)
    # The time limits in force for this dossier, kept from its registration (migration 5).
    acknowledgement_days = IntegerField(default=10)
    handler_days = IntegerField(default=30)
    reinvestigation_days = IntegerField(default=7)
    closing_days = IntegerField(default=45)
    # Migration 8: who brought the complaint in; how far a (partly) well-founded one was
    # resolved; for a dossier imported from an earlier register, its row's fingerprint.
    route = EnumField(Route, null=True)
    resolution = EnumField(Resolution, null=True)
    import_key = CharField(null=True, unique=True, max_length=64)
    # Migration 11: the one extension of the closing limit (0 days: not extended), and whether
    # the head of department was informed of the returned report (step 11; None: not asked).
    extension_days = IntegerField(default=0)
    extended_on = DateField(null=True)
    extension_motivation = TextField(default="")
    head_informed = BooleanField(null=True)


class ComplaintGround(BaseModel):
    complaint = ForeignKeyField(Complaint, backref="ground_rows", on_delete="CASCADE")
    ground = EnumField(Ground)

    class Meta:
        primary_key = CompositeKey("complaint", "ground")


class ComplaintNorm(BaseModel):
    """An ombudsnorm the complaint touched (step 10; migration 8)."""

    complaint = ForeignKeyField(Complaint, backref="norm_rows", on_delete="CASCADE")
    norm = EnumField(Norm)

    class Meta:
        primary_key = CompositeKey("complaint", "norm")


class ImprovementAction(BaseModel):
    """Something the organisation will change because of a complaint (migration 8).

    Started from a dossier; it outlives it (a deleted dossier leaves ``complaint`` empty).
    """

    id = AutoField()
    complaint = ForeignKeyField(
        Complaint, backref="improvement_actions", null=True, on_delete="SET NULL"
    )
    complaint_id: int | None
    description = TextField()
    department = ForeignKeyField(Department, null=True, on_delete="RESTRICT")
    department_id: int | None
    status = EnumField(ActionStatus, default=ActionStatus.PLANNED)
    created_on = DateField()
    due_on = DateField(null=True)
    done_on = DateField(null=True)
    updated_at = DateTimeField()


class Reminder(BaseModel):
    """A reminder sent to the handler about the handler's limit (migration 11).

    At most one per ``kind`` per dossier (a unique index); ``by_mail`` is False for a draft
    the coordinator sent from their own mail program.
    """

    id = AutoField()
    complaint = ForeignKeyField(Complaint, backref="reminders", on_delete="CASCADE")
    complaint_id: int
    kind = CharField(max_length=40)
    sent_on = DateField()
    by_mail = BooleanField()

    class Meta:
        indexes = ((("complaint", "kind"), True),)


class ComplaintLink(BaseModel):
    """A dossier linked to an earlier one of the same person or facts (migration 11)."""

    complaint = ForeignKeyField(Complaint, backref="links", on_delete="CASCADE")
    complaint_id: int
    earlier = ForeignKeyField(Complaint, backref="later_links", on_delete="CASCADE")
    earlier_id: int

    class Meta:
        primary_key = CompositeKey("complaint", "earlier")


class Population(BaseModel):
    """The municipality's inhabitants in a year (complaints per 1,000 inhabitants)."""

    year = IntegerField(primary_key=True)
    inhabitants = IntegerField()


class PersonKey(BaseModel):
    """Who complained, as match keys (see procedure.intake.person_keys)."""

    complaint = ForeignKeyField(Complaint, backref="person_keys", on_delete="CASCADE")
    key = CharField(index=True)

    class Meta:
        primary_key = CompositeKey("complaint", "key")


class AuditEvent(BaseModel):
    """The header of an append-only, hash-chained event (triggers forbid UPDATE and DELETE).

    ``hash`` covers the header, the hash of its content and the previous event's hash; the
    content (summary, before/after values) is kept apart in :class:`AuditContent`, so that it
    can be erased for an anonymised or deleted dossier (migration 7, services/audit.py).
    """

    id = AutoField()

    at = DateTimeField()
    actor = CharField()
    action = CharField()
    complaint_id = IntegerField(null=True, index=True)
    content_hash = CharField()
    hash = CharField()

    def _content(self) -> AuditContent | None:
        return AuditContent.get_or_none(AuditContent.event == self.id)

    @property
    def summary(self) -> str:
        """The event's summary ('' once erased)."""
        content = self._content()
        return str(content.summary) if content else ""

    @property
    def before(self) -> str:
        content = self._content()
        return str(content.before) if content else "{}"

    @property
    def after(self) -> str:
        content = self._content()
        return str(content.after) if content else "{}"


class AuditContent(BaseModel):
    """What an event says; may hold personal data, so it is erasable (see :class:`Erasure`)."""

    event = ForeignKeyField(AuditEvent, primary_key=True, column_name="event_id")
    event_id: int
    summary = TextField(default="")
    before = TextField(default="{}")
    after = TextField(default="{}")


class Erasure(BaseModel):
    """A dossier whose personal data was erased (anonymised or deleted), by which event."""

    complaint_id = IntegerField(primary_key=True)
    event = ForeignKeyField(AuditEvent, column_name="event_id")
    event_id: int
    kind = CharField(max_length=40)


class Document(BaseModel):
    """A generated letter or an attached original, stored inside the encrypted register."""

    id = AutoField()

    complaint = ForeignKeyField(Complaint, backref="documents", on_delete="CASCADE")
    kind = CharField()
    title = CharField()
    filename = CharField()
    mime_type = CharField()
    created_at = DateTimeField()
    content = BlobField()
    sha256 = CharField()


class Setting(BaseModel):
    key = CharField(primary_key=True)
    value = TextField()


class ReferenceCounter(BaseModel):
    """The last reference number handed out per year; numbers are never reused."""

    year = IntegerField(primary_key=True)
    last = IntegerField()


ALL_TABLES: list[type[BaseModel]] = [
    Department,
    Handler,
    Complaint,
    ComplaintGround,
    ComplaintNorm,
    ImprovementAction,
    Reminder,
    ComplaintLink,
    Population,
    PersonKey,
    AuditEvent,
    AuditContent,
    Erasure,
    Document,
    Setting,
    ReferenceCounter,
]

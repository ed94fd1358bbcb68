# ruff: noqa: F811  (the fixture ``filled`` of test_tampering is imported by name)
"""What the second probe of issue 13 found: tampering with settings, settings stored directly
that would send mail unencrypted or broken, and check's findings in Dutch words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from klachtdesk.models import (
    DB_FILENAME,
    Register,
    RegisterVersionMismatch,
    database,
    open_register,
)
from klachtdesk.models.migrations import SCHEMA_VERSION
from klachtdesk.procedure import InvalidInput
from klachtdesk.services.check import check_register
from klachtdesk.services.context import ServiceContext
from klachtdesk.services.mail import (
    MailError,
    SmtpSettings,
    save_smtp_settings,
    send,
    smtp_settings,
)
from klachtdesk.services.retention import set_retention_years
from klachtdesk.services.settings import set_time_limits, time_limits

from ..smtp import PASSWORD, USER, Inbox
from .conftest import PASSPHRASE
from .test_mail import acknowledgement_mail
from .test_tampering import Ids, as_attacker, filled, problems  # noqa: F401

pytestmark = pytest.mark.usefixtures("register")


def _stored(key: str, value: object) -> None:
    as_attacker(
        'INSERT OR REPLACE INTO "setting" ("key", "value") VALUES (?, ?)',
        params=(key, json.dumps(value)),
    )


def test_a_retention_term_stored_directly_is_caught(filled: Ids) -> None:
    assert check_register().ok
    _stored("retention_years", 0)  # every closed dossier would be offered for anonymising
    assert "De instelling ‘de bewaartermijn’ werd buiten klachtdesk om ingesteld" in problems()


def test_time_limits_changed_directly_after_a_change_through_klachtdesk_are_caught(
    filled: Ids, ctx: ServiceContext
) -> None:
    set_retention_years(ctx, 7)
    limits = time_limits()
    from dataclasses import replace

    set_time_limits(ctx, replace(limits, acknowledgement_days=8))
    assert check_register().ok
    stored = json.loads(
        database.execute_sql("SELECT value FROM setting WHERE key = 'time_limits'").fetchone()[0]
    )
    stored["acknowledgement_days"] = 99
    _stored("time_limits", stored)
    _stored("retention_years", 1)
    found = problems()
    assert "De instelling ‘de termijnen’ werd buiten klachtdesk om gewijzigd" in found
    assert "De instelling ‘de bewaartermijn’ werd buiten klachtdesk om gewijzigd" in found
    as_attacker("DELETE FROM setting WHERE key = 'retention_years'")
    assert "De instelling ‘de bewaartermijn’ werd buiten klachtdesk om gewist" in problems()


def test_a_mail_password_kept_secret_in_the_trail_still_passes(
    filled: Ids, ctx: ServiceContext
) -> None:
    save_smtp_settings(ctx, SmtpSettings("127.0.0.1", 25, "none", USER, PASSWORD, "k@herent.be"))
    assert check_register().ok
    stored = json.loads(
        database.execute_sql("SELECT value FROM setting WHERE key = 'smtp'").fetchone()[0]
    )
    stored["security"] = "none "
    _stored("smtp", stored)
    assert "De instelling ‘de mailserver’ werd buiten klachtdesk om gewijzigd" in problems()


def test_grounds_and_norms_are_named_in_dutch(filled: Ids) -> None:
    cid = filled["closed"]
    as_attacker(f"INSERT INTO complaint_ground (complaint_id, ground) VALUES ({cid}, 'anonymous')")
    found = problems()
    assert "de gronden van onontvankelijkheid is ‘anoniem’" in found
    assert "‘anonymous’" not in found


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"security": "geen"}, "de beveiliging van de verbinding is onbekend"),
        ({"host": "127.0.0.1\r\nRSET"}, "de naam van de mailserver bevat"),
        ({"host": "127.0.0.1\x00"}, "de naam van de mailserver bevat"),
        ({"user": "ann\r\nRCPT TO:<x@evil.example>"}, "de gebruikersnaam bevat"),
        ({"port": "25"}, "de poort ligt niet"),
    ],
)
def test_mail_settings_stored_directly_are_refused_before_connecting(
    ctx: ServiceContext, smtp_server: tuple[Inbox, int], change: dict[str, object], reason: str
) -> None:
    inbox, port = smtp_server
    message, _pdf = acknowledgement_mail(ctx)
    good = {"host": "127.0.0.1", "port": port, "security": "starttls", "user": USER,
            "password": PASSWORD, "sender": "klachten@herent.example"}  # fmt: skip
    _stored("smtp", good | change)
    settings = smtp_settings()
    assert settings is not None
    with pytest.raises(MailError, match=reason):
        send(settings, message)
    assert inbox.messages == []


def test_an_unknown_security_is_refused_when_saved(ctx: ServiceContext) -> None:
    with pytest.raises(InvalidInput):
        save_smtp_settings(ctx, SmtpSettings("smtp.herent.be", 25, "geen", "", "", "k@herent.be"))  # type: ignore[arg-type]


def test_a_mail_setting_unknown_to_this_version_is_left_out(ctx: ServiceContext) -> None:
    _stored("smtp", {"host": "smtp.herent.be", "port": 25, "later_field": True})
    assert smtp_settings() == SmtpSettings("smtp.herent.be", 25)
    _stored("smtp", {"port": 25})
    assert smtp_settings() is None


@pytest.mark.parametrize("version", [1, 5, SCHEMA_VERSION - 1])
def test_a_schema_version_set_back_is_refused_untouched(
    register: Register, ctx: ServiceContext, data_dir: Path, version: int
) -> None:
    # It gave "peewee.OperationalError: table complaint_fts already exists" (or "duplicate
    # column name") as a traceback, in `check` too, and left a copy aside at every attempt.
    database.execute_sql(f"PRAGMA user_version = {version}")
    register.close()
    before = sorted(p.name for p in data_dir.iterdir()), (data_dir / DB_FILENAME).read_bytes()
    with pytest.raises(RegisterVersionMismatch) as refused:
        open_register(data_dir, PASSPHRASE)
    assert f"zegt dat het schemaversie {version} heeft, maar" in refused.value.message
    after = sorted(p.name for p in data_dir.iterdir()), (data_dir / DB_FILENAME).read_bytes()
    assert after == before

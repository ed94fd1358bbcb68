"""Opening and creating the register, for the screens: the ui layer imports no
``klachtdesk.models``, so what the start-up, unlock and setup screens need of it (the openers
and the errors they tell apart) is reached through here."""

from __future__ import annotations

from klachtdesk.models import (
    KEY_FILENAME,
    DataFolderUnusable,
    ForeignKeyFile,
    KeyFileDamaged,
    KeyFileMissing,
    Register,
    RegisterDamaged,
    RegisterFileMissing,
    RegisterUnknownVersion,
    StorageError,
    WrongPassphrase,
    check_data_folder,
    open_register,
    register_exists,
    register_file_lost,
    storage_problem,
)
from klachtdesk.models.database import cipher_versions

#: The errors after which a backup is what helps: the register or its key file is unreadable,
#: missing, another register's, or of a schema version no klachtdesk wrote.
RESTORABLE = (
    RegisterDamaged,
    RegisterUnknownVersion,
    RegisterFileMissing,
    KeyFileMissing,
    KeyFileDamaged,
    ForeignKeyFile,
)

__all__ = [
    "KEY_FILENAME",
    "RESTORABLE",
    "DataFolderUnusable",
    "ForeignKeyFile",
    "KeyFileDamaged",
    "KeyFileMissing",
    "Register",
    "RegisterDamaged",
    "RegisterFileMissing",
    "StorageError",
    "WrongPassphrase",
    "check_data_folder",
    "cipher_versions",
    "open_register",
    "register_exists",
    "register_file_lost",
    "storage_problem",
]

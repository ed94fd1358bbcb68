"""Errors the coordinator can act on.

Every expected failure (bad input, a forbidden move, a wrong passphrase, a locked or too new
register) is a :class:`UserError` carrying a Dutch message that a screen may show as is.
Anything else is a bug and is left to propagate.
"""

from __future__ import annotations


class UserError(Exception):
    """An expected failure with a Dutch message meant for the coordinator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(UserError):
    """Input that the procedure does not accept; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("\n".join(self.errors.values()))


class ForbiddenMove(UserError):
    """An action that the procedure does not allow in the dossier's current state."""

    def __init__(self, action_label: str, state_label: str) -> None:
        self.action_label = action_label
        self.state_label = state_label
        super().__init__(f"‘{action_label}’ kan niet in deze fase van het dossier ({state_label}).")

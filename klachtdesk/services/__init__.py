"""The coordinator's actions as use cases: each validates with ``procedure``, writes in one
transaction and appends an audit event. No Qt here."""

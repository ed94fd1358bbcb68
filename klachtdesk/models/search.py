"""Turning what the coordinator types into a safe FTS5 query."""

from __future__ import annotations

import re

from peewee import SQL, Database, DatabaseProxy

_TOKEN = re.compile(r"\w+", re.UNICODE)
MIN_SEARCH_CHARACTERS = 2


def fts_match(text: str) -> str | None:
    """An FTS5 MATCH expression: every word must occur, each as a prefix.

    Punctuation and FTS5 syntax in the input are dropped, so any input is safe; a reference
    such as ``2026-0042`` becomes the phrase ``"2026" "0042"*`` matched word by word.
    """
    words = _TOKEN.findall(text)
    # One letter matches most of a big register (0.7 s on 100,000) and finds nothing useful;
    # the search starts from the second character.
    if not words or sum(len(w) for w in words) < MIN_SEARCH_CHARACTERS:
        return None
    return " ".join(f'"{word}"*' for word in words)


def matching_ids(text: str) -> SQL | None:
    """A sub-select of complaint ids whose text matches, or None when nothing to search."""
    query = fts_match(text)
    if query is None:
        return None
    return SQL("(SELECT rowid FROM complaint_fts WHERE complaint_fts MATCH ?)", (query,))


def forget_erased_text(db: Database | DatabaseProxy) -> None:
    """Leave no trace of erased data in the file, after the erasing transaction committed.

    An external-content FTS5 index keeps deleted tokens in older segments until they are
    merged: 'optimize' merges every segment into one. With ``secure_delete`` (database.py)
    freed pages are zeroed; the checkpoint moves the pages into the file and truncates the
    WAL, which would otherwise still hold the old page images.
    """
    db.execute_sql("INSERT INTO complaint_fts(complaint_fts) VALUES ('optimize')")
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")

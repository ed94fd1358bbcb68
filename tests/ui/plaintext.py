"""Looking for a complainant's name in plain text on disk (issue 13, "no plaintext on disk").

Used by ``test_no_plaintext.py`` and by the driver it runs in a process of its own
(``plaintext_driver.py``): both search the folders of a whole made-up user account (home,
temp, runtime, data, config, cache) for the name's bytes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

NAME = "Zyxwerda Qualmbeck"
EMAIL = "zyxwerda@example.be"
STREET = "Qualmbeckstraat 7"
# Each half on its own: a PDF or a folded header may break the name between its words.
NEEDLES = ("Zyxwerda", "Qualmbeck")
ENCODINGS = ("utf-8", "utf-16-le", "latin-1")

# The environment of the made-up account, each folder below one root; see account_env.
ACCOUNT_FOLDERS = {
    "HOME": "home",
    "TMPDIR": "tmp",
    "XDG_RUNTIME_DIR": "run",
    "XDG_CONFIG_HOME": "home/.config",
    "XDG_DATA_HOME": "home/.local/share",
    "XDG_STATE_HOME": "home/.local/state",
    "XDG_CACHE_HOME": "home/.cache",
}


def account_env(root: Path) -> dict[str, str]:
    """The variables that point every per-user folder into ``root`` (made here; the runtime
    folder 0700, as the system makes it)."""
    env = {}
    for variable, relative in ACCOUNT_FOLDERS.items():
        folder = root / relative
        folder.mkdir(parents=True, exist_ok=True)
        env[variable] = str(folder)
    os.chmod(root / "run", 0o700)
    return env


def _patterns() -> list[bytes]:
    return [needle.lower().encode(encoding) for needle in NEEDLES for encoding in ENCODINGS]


def holding_the_name(root: Path) -> list[str]:
    """Every file under ``root`` whose bytes hold the name (in any of :data:`ENCODINGS`,
    ignoring case), and every file or folder named after it; never following links."""
    patterns = _patterns()
    found: list[str] = []
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            if any(needle.lower() in name.lower() for needle in NEEDLES):
                found.append(f"{os.path.join(folder, name)}: named after the complainant")
        for name in files:
            path = os.path.join(folder, name)
            try:
                if not stat.S_ISREG(os.lstat(path).st_mode):
                    continue
                with open(path, "rb") as file:
                    content = file.read().lower()
            except OSError:
                continue
            hits = [p for p in patterns if p in content]
            if hits:
                found.append(f"{path}: holds {hits[0]!r}")
    return found

"""Decrypted copies handed to other programs: a stored scan or e-mail opened in the system's
viewer, a draft opened in the coordinator's mail program.

Such a copy is plaintext outside the encrypted register, so it lives as briefly and as
privately as we can make it:

- in a folder of this run only (mode 0700) under a klachtdesk folder in the user's runtime
  directory (``$XDG_RUNTIME_DIR``, memory on most Linux desktops) or, without one, in the temp
  directory; each copy in a numbered sub-folder of its own (0700), the file itself 0600,
  created with ``O_EXCL`` and its mode set explicitly, whatever the umask;
- removed when the register locks (:func:`remove_copies`, called by the idle lock and
  Vergrendelen) and at exit (normal quit, ``aboutToQuit``, ``atexit``);
- and, since nothing runs after a crash or ``kill -9``, the folder of a run whose process is
  gone is removed at the next start (:func:`remove_leftovers`). A run holds a lock on a file
  in its folder (released by the operating system when the process ends, however it ends) and
  records its process id in the folder's name.

What happens to a copy once the other program has it (its own caches, recent files, the mail
program's drafts) is beyond klachtdesk: see the README, "What can be on disk unencrypted".
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import secrets
import shutil
import stat
import sys
import tempfile
from pathlib import Path

import platformdirs
from filelock import FileLock, Timeout

from klachtdesk.procedure import UserError

APP = "klachtdesk"
OWNER_LOCK = "owner.lock"
_RUN_NAME = re.compile(r"^run-(\d+)-[0-9a-f]{16}$")
# Folders tempfile.mkdtemp(prefix="klachtdesk-") made before this module existed (0644 files
# removed only by atexit): a crashed run of an older version left them behind.
_LEGACY_NAME = re.compile(r"^klachtdesk-[a-z0-9_]{8}$")
_SAFE_NAME = re.compile(r"[^\w.\- ]+")


class _Run:
    """This process's folder, while it has one."""

    folder: Path | None = None
    lock: FileLock | None = None
    copies = 0
    exit_hook = False


def base_folder() -> Path:
    """Where the folders of the runs live (not created here).

    The user's runtime directory when there is one: on Linux and the BSDs ``$XDG_RUNTIME_DIR``
    when it is set and is a private folder of this user (a tmpfs on systemd desktops: the
    copies never reach the disk); on Windows and macOS the per-user folder platformdirs names.
    Otherwise a folder of this user in the temp directory.
    """
    if sys.platform in ("win32", "darwin"):
        return Path(platformdirs.user_runtime_dir(APP, appauthor=False))
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and _private_folder_of_mine(Path(runtime)):
        return Path(runtime) / APP
    return Path(tempfile.gettempdir()) / f"{APP}-{os.getuid()}"


def _private_folder_of_mine(folder: Path) -> bool:
    try:
        info = folder.lstat()
    except OSError:
        return False
    if not hasattr(os, "getuid"):  # Windows: the folders are per user already
        return stat.S_ISDIR(info.st_mode)
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and stat.S_IMODE(info.st_mode) & 0o077 == 0
    )


def _unusable(folder: Path, why: str) -> UserError:
    return UserError(
        f"Documenten kunnen niet veilig geopend worden: de map {folder} {why}. "
        "Bewaar het document met ‘Opslaan als…’ en open het zelf."
    )


def _make_private_folder(folder: Path) -> None:
    """``folder`` exists, is a real folder of this user and only this user can enter it.

    A folder someone else made in a shared temp directory (or a link in its place) is refused,
    never used: its owner could read every copy.
    """
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        raise _unusable(folder, f"kan niet gemaakt worden ({exc.strerror})") from exc
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode):
        raise _unusable(folder, "is geen gewone map")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise _unusable(folder, "is van een andere gebruiker")
    os.chmod(folder, 0o700)  # mkdir's mode passes through the umask; this one does not


def run_folder() -> Path:
    """This run's folder (0700), made and locked on first use."""
    if _Run.folder is not None and _Run.folder.is_dir():
        return _Run.folder
    base = base_folder()
    with contextlib.suppress(OSError):  # platformdirs' folder on Windows and macOS may be new
        base.parent.mkdir(parents=True, exist_ok=True)
    _make_private_folder(base)
    folder = base / f"run-{os.getpid()}-{secrets.token_hex(8)}"
    _make_private_folder(folder)
    lock = FileLock(folder / OWNER_LOCK, mode=0o600, timeout=0)
    lock.acquire()
    _Run.folder, _Run.lock, _Run.copies = folder, lock, 0
    if not _Run.exit_hook:
        atexit.register(remove_copies)
        _Run.exit_hook = True
    return folder


def write_copy(filename: str, content: bytes) -> Path:
    """Write ``content`` as ``filename`` (its last part only) for another program to open.

    The file is new (``O_EXCL``, never following a link), 0600, in a sub-folder of its own in
    :func:`run_folder`; a Dutch :class:`UserError` when it cannot be written.
    """
    name = _SAFE_NAME.sub("_", Path(filename).name).strip(". ") or "document"
    folder = run_folder()
    _Run.copies += 1
    own = folder / str(_Run.copies)
    target = own / name
    try:
        _make_private_folder(own)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        handle = os.open(target, flags | getattr(os, "O_BINARY", 0), 0o600)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(handle, 0o600)
            with os.fdopen(handle, "wb", closefd=False) as out:
                out.write(content)
        finally:
            os.close(handle)
    except OSError as exc:
        with contextlib.suppress(OSError):
            target.unlink()
        raise UserError(
            f"Het document kon niet klaargezet worden om te openen ({exc.strerror})."
        ) from exc
    return target


def remove_copy(path: Path) -> None:
    """Remove one copy from :func:`write_copy`, and its own sub-folder, at once: no program
    took it (none is set up to open it), so it need not wait for the lock or the exit."""
    folder = _Run.folder
    if folder is None or path.parent.parent != folder:
        return  # not one of this run's copies (or they are gone already)
    shutil.rmtree(path.parent, ignore_errors=True)


def remove_copies() -> None:
    """Remove every copy this run handed out, and its folder (the register locks, klachtdesk
    ends). A copy another program still holds open on Windows stays until the next start."""
    folder, lock = _Run.folder, _Run.lock
    _Run.folder, _Run.lock = None, None
    if folder is None:
        return
    if lock is not None:
        lock.release()
    shutil.rmtree(folder, ignore_errors=True)


def _owner_gone(folder: Path, pid: int) -> bool:
    """Whether the klachtdesk that made ``folder`` no longer runs.

    Its lock is the answer (the system releases it when the process ends, and a new process
    that got the same id does not hold it); a folder without its lock file was left before
    the lock was taken, and then the process id is asked.
    """
    lock_path = folder / OWNER_LOCK
    if not lock_path.exists():
        return not _process_runs(pid)
    lock = FileLock(lock_path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        return False
    except OSError:
        return not _process_runs(pid)
    lock.release()
    return True


def _process_runs(pid: int) -> bool:
    if sys.platform == "win32":
        return True  # no cheap, safe test: keep it rather than take a running copy away
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers() -> list[Path]:
    """At start: remove the folders of runs that ended without cleaning up (a crash, ``kill
    -9``, power loss), and those of older versions in the temp directory. Returns them."""
    removed: list[Path] = []
    base = base_folder()
    runs: list[Path] = []
    if _private_folder_of_mine(base):
        with contextlib.suppress(OSError):
            runs = sorted(base.iterdir())
    for folder in runs:
        found = _RUN_NAME.match(folder.name)
        if found is None or folder == _Run.folder or not _private_folder_of_mine(folder):
            continue
        if _owner_gone(folder, int(found.group(1))):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    temp = Path(tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for folder in sorted(temp.iterdir()):
            legacy = _LEGACY_NAME.match(folder.name) and folder != base
            if legacy and _private_folder_of_mine(folder):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed

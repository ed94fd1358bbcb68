"""What the built bundle needs from the system, and what a fresh Debian desktop lacks of it.

    python3 build/desktop_needs.py dist/klachtdesk [task-gnome-desktop task-xfce-desktop ...]

Runs ldd on every library and plugin in the bundle as the bundle's own loader sees them
(LD_LIBRARY_PATH=_internal, as PyInstaller's bootloader sets it), lists the libraries that
come from outside the bundle with their Debian package (dpkg -S) and those not found at all.
For each desktop task named, apt-get simulates installing it on an empty machine (an empty
package status; run `apt-get update` once first) and the script prints the needed packages
that this desktop would not bring. Debian/Ubuntu only; nothing is installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path


def _ldd(binary: Path, library_path: Path) -> list[tuple[str, str | None]]:
    env = {**os.environ, "LD_LIBRARY_PATH": str(library_path)}
    listed = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, env=env)
    found = []
    for line in listed.stdout.splitlines():
        if "=>" not in line:
            continue
        name, _, rest = line.strip().partition(" => ")
        found.append((name, None if rest.startswith("not found") else rest.split(" (")[0]))
    return found


def system_needs(bundle: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """({library: its path outside the bundle}, {library not found: [who needs it]})."""
    internal = bundle / "_internal"
    binaries = [bundle / "klachtdesk"] + [
        p for p in internal.rglob("*") if p.is_file() and ".so" in p.name
    ]
    outside: dict[str, str] = {}
    missing: dict[str, list[str]] = {}
    for binary in binaries:
        for name, path in _ldd(binary, internal):
            if path is None:
                missing.setdefault(name, []).append(str(binary.relative_to(bundle)))
            elif not Path(path).resolve().is_relative_to(bundle.resolve()):
                outside[name] = path
    return outside, missing


def debian_packages(paths: list[str]) -> dict[str, str]:
    packages = {}
    for path in paths:
        real = os.path.realpath(path)
        owner = ""
        # With merged /usr, dpkg knows a file by the path its package gave (/lib/... or /usr/lib/...).
        for candidate in (path, real, real.removeprefix("/usr"), "/usr" + path):
            owner = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True).stdout
            if owner:
                break
        packages[path] = owner.split(":")[0] if owner else "?"
    return packages


def desktop_packages(task: str) -> set[str]:
    """What apt would install for ``task`` on a machine that has nothing yet."""
    with tempfile.NamedTemporaryFile() as empty_status:
        simulated = subprocess.run(
            ["apt-get", "install", "-s", "-qq", f"-o=Dir::State::status={empty_status.name}",
             "-o=APT::Install-Recommends=true", task],
            capture_output=True, text=True,
        )  # fmt: skip
    return {line.split()[1] for line in simulated.stdout.splitlines() if line.startswith("Inst ")}


def main(bundle: Path, tasks: list[str]) -> int:
    outside, missing = system_needs(bundle)
    packages = debian_packages(sorted(set(outside.values())))
    needed = sorted(set(packages.values()))
    print("From the system:", " ".join(needed))
    for name, users in sorted(missing.items()):
        print(f"Not found: {name} (for {', '.join(sorted(set(users)))})")
    for task in tasks:
        brings = desktop_packages(task)
        if not brings:
            print(f"{task}: apt-get could not simulate it (run apt-get update first?)")
            continue
        lacking = [p for p in needed if p.split(":")[0] not in brings and p != "?"]
        print(f"{task} lacks: {' '.join(lacking) or 'nothing'}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2:]))

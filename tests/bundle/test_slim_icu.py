"""build/slim_icu.py on the real ICU data of the installed PySide6 wheel (Linux)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "build"))
import slim_icu  # noqa: E402

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="PySide6 ships its own ICU on Linux only"
)


def qt_lib_folder() -> Path:
    import PySide6

    return Path(PySide6.__file__).parent / "Qt" / "lib"


@pytest.fixture(scope="module")
def original() -> tuple[Path, str, bytes]:
    library = next(qt_lib_folder().glob("libicudata.so.*"))
    symbol, data = slim_icu.read_library(library)
    return library, symbol, data


@pytest.fixture(scope="module")
def package(original: tuple[Path, str, bytes]) -> slim_icu.Package:
    return slim_icu.parse(original[2])


def probe(folder: Path) -> dict:
    """Ask the ICU libraries in `folder` (in a fresh process, see tests/icu_probe.py)."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "icu_probe.py"), str(folder)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def icu_folder(tmp_path: Path, data_library: Path) -> Path:
    """ICU's two code libraries from the wheel beside the given data library."""
    folder = tmp_path / "lib"
    folder.mkdir(parents=True, exist_ok=True)
    for code in ("libicuuc", "libicui18n"):
        shutil.copy(next(qt_lib_folder().glob(f"{code}.so.*")), folder)
    if data_library.parent != folder:
        shutil.copy(data_library, folder)
    return folder


def test_reading_and_writing_the_package_gives_the_same_bytes(original, package):
    _, symbol, data = original
    assert symbol.startswith("icudt") and symbol.endswith("_dat")
    assert len(package.items) > 3000
    assert slim_icu.build(package) == data


def test_slimming_keeps_belgian_languages_and_what_belongs_to_no_language(package):
    slimmed = slim_icu.slim(package)
    names = [name for name, _ in slimmed.items]
    prefix = names[0].split("/")[0] + "/"
    kept = {name.removeprefix(prefix) for name in names}
    for wanted in (
        "root.res", "nl.res", "nl_BE.res", "fr_BE.res", "de_BE.res", "en.res", "en_GB.res",
        "coll/root.res", "coll/ucadata.icu", "coll/de.res", "zone/nl.res", "curr/nl.res",
        "unames.icu", "ulayout.icu", "nfkc.nrm", "cnvalias.icu", "brkitr/word.brk",
        "res_index.res", "pool.res", "supplementalData.res", "zoneinfo64.res",
        "ibm-5348_P100-1997.cnv",  # windows-1252
        "iso-8859_14-1998.cnv",
    ):  # fmt: skip
        assert wanted in kept, wanted
    for dropped in (
        "ja.res", "zh_Hant.res", "coll/zh.res", "zone/ar.res", "brkitr/cjdict.dict",
        "brkitr/thaidict.dict", "translit/root.res", "gb18030.cnv", "ibm-943_P15A-2003.cnv",
    ):  # fmt: skip
        assert dropped not in kept, dropped
    assert names == sorted(names)
    original_items = dict(package.items)
    assert all(item == original_items[name] for name, item in slimmed.items)
    assert len(slim_icu.build(slimmed)) < len(slim_icu.build(package)) / 4


def test_a_slimmed_library_serves_dutch_collation_and_falls_back_for_dropped_languages(
    tmp_path, original
):
    library = original[0]
    before = probe(icu_folder(tmp_path / "original", library))
    slimmed_library = slim_icu.slim_library(library, tmp_path / "lib")
    assert slimmed_library.stat().st_size < library.stat().st_size / 4
    after = probe(icu_folder(tmp_path, slimmed_library))

    assert before["locales"]["ja"] == "U_ZERO_ERROR"
    assert after["locales"]["ja"] == "U_USING_DEFAULT_WARNING"
    assert before["converters"]["Shift_JIS"] != "U_FILE_ACCESS_ERROR"
    assert after["converters"]["Shift_JIS"] == "U_FILE_ACCESS_ERROR"
    for locale in ("root", "nl", "nl_BE", "fr_BE", "de_BE", "en", "en_GB"):
        assert after["locales"][locale] == before["locales"][locale] == "U_ZERO_ERROR"
    for name in ("UTF-8", "ISO-8859-1", "windows-1252", "ISO-8859-15"):
        assert after["converters"][name] == before["converters"][name]
    assert after["nl_BE sorted"] == before["nl_BE sorted"]
    assert after["nl_BE sorted"] == ["Émile", "eva", "Eva", "Frans", "Ölçer", "Zoë"]


def test_what_is_not_icu_data_is_refused(tmp_path, package):
    with pytest.raises(slim_icu.NotIcuData):
        slim_icu.read_library(next(qt_lib_folder().glob("libicuuc.so.*")))
    with pytest.raises(slim_icu.NotIcuData):
        slim_icu.parse(b"\0" * 64)
    unsorted = slim_icu.Package(package.header, tuple(reversed(package.items[:3])))
    with pytest.raises(ValueError, match="sorted"):
        slim_icu.build(unsorted)

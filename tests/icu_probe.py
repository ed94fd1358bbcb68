"""Ask a folder's own ICU libraries what they can do, and print the answers as JSON:

    python tests/icu_probe.py FOLDER_WITH_libicui18n.so.NN

Run it in a fresh process: a process that already loaded Qt has an ICU (and its data) loaded
under the same soname, and the dynamic loader would hand back that one. The libraries find
their libicudata next to themselves (RUNPATH $ORIGIN), as Qt's do in the wheel and the bundle.
"""

from __future__ import annotations

import ctypes
import functools
import json
import sys
from pathlib import Path

U_ZERO_ERROR = 0


def probe(folder: Path) -> dict[str, object]:
    i18n_path = next(folder.glob("libicui18n.so.*"))
    version = i18n_path.name.rsplit(".", 1)[1]
    i18n = ctypes.CDLL(str(i18n_path))
    uc = ctypes.CDLL(str(folder / f"libicuuc.so.{version}"))

    def fn(lib: ctypes.CDLL, name: str, restype: object, *argtypes: object) -> ctypes._CFuncPtr:
        function = getattr(lib, f"{name}_{version}")
        function.restype = restype
        function.argtypes = argtypes
        return function

    status_p = ctypes.POINTER(ctypes.c_int)
    ures_open = fn(uc, "ures_open", ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, status_p)
    ures_close = fn(uc, "ures_close", None, ctypes.c_void_p)
    ucnv_open = fn(uc, "ucnv_open", ctypes.c_void_p, ctypes.c_char_p, status_p)
    ucnv_close = fn(uc, "ucnv_close", None, ctypes.c_void_p)
    ucol_open = fn(i18n, "ucol_open", ctypes.c_void_p, ctypes.c_char_p, status_p)
    ucol_close = fn(i18n, "ucol_close", None, ctypes.c_void_p)
    ucol_strcoll = fn(
        i18n, "ucol_strcollUTF8", ctypes.c_int, ctypes.c_void_p,
        ctypes.c_char_p, ctypes.c_int32, ctypes.c_char_p, ctypes.c_int32, status_p,
    )  # fmt: skip
    u_error_name = fn(uc, "u_errorName", ctypes.c_char_p, ctypes.c_int)

    def status_name(code: int) -> str:
        return str(u_error_name(code).decode())

    def locale_status(locale: str) -> str:
        status = ctypes.c_int(U_ZERO_ERROR)
        bundle = ures_open(None, locale.encode(), ctypes.byref(status))
        if bundle:
            ures_close(bundle)
        return status_name(status.value)

    def converter_status(name: str) -> str:
        status = ctypes.c_int(U_ZERO_ERROR)
        converter = ucnv_open(name.encode(), ctypes.byref(status))
        if converter:
            ucnv_close(converter)
        return status_name(status.value)

    def sorted_by(locale: str, words: list[str]) -> list[str]:
        status = ctypes.c_int(U_ZERO_ERROR)
        collator = ucol_open(locale.encode(), ctypes.byref(status))
        assert status.value <= U_ZERO_ERROR, status_name(status.value)

        def compare(a: str, b: str) -> int:
            left, right = a.encode(), b.encode()
            return int(
                ucol_strcoll(collator, left, len(left), right, len(right), ctypes.byref(status))
            )

        try:
            return sorted(words, key=functools.cmp_to_key(compare))
        finally:
            ucol_close(collator)

    locales = ("root", "nl", "nl_BE", "fr_BE", "de_BE", "en", "en_GB", "ja", "zh_Hant")
    converters = ("UTF-8", "ISO-8859-1", "windows-1252", "ISO-8859-15", "Shift_JIS", "GB18030")
    return {
        "locales": {locale: locale_status(locale) for locale in locales},
        "converters": {name: converter_status(name) for name in converters},
        "nl_BE sorted": sorted_by("nl_BE", ["Zoë", "Émile", "eva", "Eva", "Frans", "Ölçer"]),
    }


if __name__ == "__main__":
    print(json.dumps(probe(Path(sys.argv[1])), ensure_ascii=False, indent=1))

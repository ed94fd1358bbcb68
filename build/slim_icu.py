"""Slim the ICU data that PySide6's Qt loads on Linux, for the bundle.

PySide6-Essentials ships Qt with its own ICU; `libicudata.so.NN` holds ICU's data for every
language of the world (32 MB, a fifth of the bundle). Qt uses ICU for collation, case mapping,
text codecs and time-zone names; klachtdesk's user works in Dutch, in Belgium.

This reads ICU's common data package (format "CmnD") out of that library and keeps

- every item that belongs to no language: character properties, normalisation, the
  collation base table, break rules, plural and time-zone data, the converter alias table;
- the locale data of the root locale and of Dutch, French, German (Belgium's languages)
  and English (Qt's fallback);
- the single-byte code pages,

and leaves out the other languages' locale data, the multi-byte (East Asian) code pages, the
word dictionaries for Chinese/Japanese, Thai, Lao, Khmer and Burmese, and transliteration
(which Qt does not use). The package keeps ICU's layout (header, table of contents sorted by
name, items aligned to 16 bytes) and is linked with gcc into a library with the same soname
and the same exported symbol, so libicuuc finds it as before. ICU falls back to the root
locale for a language that is left out, as it does for any language it does not know.

    python build/slim_icu.py PySide6/Qt/lib/libicudata.so.73 OUT_FOLDER
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from elftools.elf.elffile import ELFFile
from elftools.elf.sections import SymbolTableSection

LANGUAGES = ("nl", "fr", "de", "en")
_ALIGN = 16
_PAD = b"\xaa"  # what ICU's own package tool pads with
# A locale id: a 2–3 letter language, then script/region/variant parts ("nl_BE", "sr_Latn_BA").
_LOCALE = re.compile(r"^(?P<language>[a-z]{2,3})(_[A-Za-z0-9]+)*$")
# Items with a locale-like name that are not a locale.
_NOT_LOCALES = frozenset({"res_index"})


class NotIcuData(ValueError):
    """The library or bytes are not an ICU common data package."""


@dataclass(frozen=True)
class Package:
    header: bytes  # ICU's DataHeader of the package, padded to its headerSize
    items: tuple[tuple[str, bytes], ...]  # (name, bytes incl. padding to 16), sorted by name


def read_library(library: Path) -> tuple[str, bytes]:
    """The exported data symbol's name and its bytes (the common data package)."""
    with library.open("rb") as stream:
        elf = ELFFile(stream)
        symbols = elf.get_section_by_name(".dynsym")
        if not isinstance(symbols, SymbolTableSection):
            raise NotIcuData(f"{library.name} has no dynamic symbol table")
        found = [
            s for s in symbols.iter_symbols()
            if re.fullmatch(r"icudt\d+_dat", s.name) and s["st_shndx"] != "SHN_UNDEF"
        ]  # fmt: skip
        if len(found) != 1:
            raise NotIcuData(f"{library.name} defines no icudtNN_dat symbol")
        symbol = found[0]
        address, size = symbol["st_value"], symbol["st_size"]
        section = elf.get_section(symbol["st_shndx"])
        stream.seek(section["sh_offset"] + address - section["sh_addr"])
        return symbol.name, stream.read(size)


def parse(data: bytes) -> Package:
    """Split a common data package into its header and named items."""
    if len(data) < 32 or data[2:4] != b"\xda\x27" or data[12:16] != b"CmnD":
        raise NotIcuData("not an ICU common data package")
    if data[8] != 0:
        raise NotIcuData("only little-endian ICU data is handled")
    (header_size,) = struct.unpack_from("<H", data, 0)
    (count,) = struct.unpack_from("<I", data, header_size)
    toc = [struct.unpack_from("<II", data, header_size + 4 + 8 * i) for i in range(count)]
    starts = [header_size + data_offset for _, data_offset in toc] + [len(data)]
    items = []
    for i, (name_offset, _) in enumerate(toc):
        name_start = header_size + name_offset
        name = data[name_start : data.index(b"\0", name_start)].decode("ascii")
        items.append((name, data[starts[i] : starts[i + 1]]))
    return Package(data[:header_size], tuple(items))


def build(package: Package) -> bytes:
    """The package as ICU reads it: header, table of contents, names, aligned items."""
    names = sorted(name for name, _ in package.items)
    if names != [name for name, _ in package.items]:
        raise ValueError("ICU looks items up by binary search: they must be sorted by name")
    count = len(package.items)
    name_block = b"".join(name.encode("ascii") + b"\0" for name in names)
    toc_size = 4 + 8 * count
    names_end = len(package.header) + toc_size + len(name_block)
    # Offsets count from the start of the TOC; the first item starts on a 16-byte boundary.
    offset = names_end + -names_end % _ALIGN - len(package.header)
    entries, name_offset = [], toc_size
    for name, item in package.items:
        if len(item) % _ALIGN:
            raise ValueError(f"{name}: not padded to 16 bytes")
        entries.append(struct.pack("<II", name_offset, offset))
        name_offset += len(name) + 1
        offset += len(item)
    out = bytearray(package.header)
    out += struct.pack("<I", count) + b"".join(entries) + name_block
    out += _PAD * (-len(out) % _ALIGN)
    for _, item in package.items:
        out += item
    return bytes(out)


def _max_bytes_per_char(item: bytes) -> int:
    """From a converter's UConverterStaticData, right after the item's own header."""
    item_header_size: int = struct.unpack_from("<H", item, 0)[0]
    return item[item_header_size + 71]


def keep(name: str, item: bytes, languages: tuple[str, ...] = LANGUAGES) -> bool:
    """Whether klachtdesk's bundle keeps this item (see the module text)."""
    path = name.split("/", 1)[1]  # drop the "icudt73l/" prefix
    stem, _, extension = path.rpartition(".")
    tree, _, base = stem.rpartition("/")
    if extension == "cnv":
        return _max_bytes_per_char(item) == 1
    if extension == "dict" or tree == "translit":
        return False
    locale = _LOCALE.match(base)
    if extension == "res" and locale and base not in _NOT_LOCALES:
        return locale["language"] in languages
    return True


def slim(package: Package, languages: tuple[str, ...] = LANGUAGES) -> Package:
    return Package(
        package.header,
        tuple((name, item) for name, item in package.items if keep(name, item, languages)),
    )


def link(data: bytes, symbol: str, soname: str, out: Path) -> None:
    """A shared library exporting `symbol` = data, as ICU's own libicudata does."""
    with tempfile.TemporaryDirectory() as work:
        blob, source = Path(work) / "icudata.dat", Path(work) / "icudata.S"
        blob.write_bytes(data)
        source.write_text(
            f"""\t.section .rodata
\t.globl {symbol}
\t.type {symbol}, @object
\t.balign {_ALIGN}
{symbol}:
\t.incbin "{blob}"
\t.size {symbol}, . - {symbol}
\t.section .note.GNU-stack,"",@progbits
"""
        )
        subprocess.run(
            ["gcc", "-shared", "-nostdlib", f"-Wl,-soname,{soname}", "-o", str(out), str(source)],
            check=True,
        )


def slim_library(library: Path, out_folder: Path) -> Path:
    """Write a slimmed copy of `library` (same file name) into out_folder; return its path."""
    symbol, data = read_library(library)
    out_folder.mkdir(parents=True, exist_ok=True)
    out = out_folder / library.name
    link(build(slim(parse(data))), symbol, library.name, out)
    return out


def main(argv: list[str]) -> int:
    library, out_folder = Path(argv[0]), Path(argv[1])
    out = slim_library(library, out_folder)
    print(
        f"{library} {library.stat().st_size / 1e6:.1f} MB → {out} {out.stat().st_size / 1e6:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

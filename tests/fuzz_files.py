"""Hostile workbooks of every supported kind, for the fuzzing suite (tests/test_fuzz.py).

Every upload is untrusted, so the loader must answer anything with a Chinese
report. These generators build the files an attacker, a broken export or a
damaged disk would hand it: hostile zip structures, hostile sheet XML and
ODS content, mutated BIFF, and valid workbooks with bytes flipped, inserted,
deleted or duplicated, in the raw file and inside its members.

Each generator takes a `random.Random` and returns a `Case`. The bench gives
it `random.Random(f"{seed}:{i}")`, so file i of a run can be rebuilt from its
number; the hypothesis strategies (`cases`) give it hypothesis's own random,
so a failure shrinks. Bulk random bytes come from a `random.Random` seeded by
one draw (`noise`), which keeps hypothesis's draws few.

Every file stays under 1 MB (`MAX_FILE`) by construction, whatever the draws:
the parts a `Plan` or `OdsPlan` zips hold at most `RAW_LIMIT` bytes, because
each feature sizes what it adds from the plan's `room()`; the generators that
start from a seed workbook add bounded amounts to seeds no larger than
`SEED_LIMIT` zipped and `SEED_RAW_LIMIT` unzipped (tests/test_fuzz_files.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import random
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from workbooks import workbook_bytes

from unionstats.intake.reading import column_letter

ROOT = Path(__file__).resolve().parent.parent
MAX_FILE = 1 << 20
# What a plan's parts may hold in all. Deflate never makes a part longer than n + n/4096 + n/16384 + 13 bytes
# (zlib's deflateBound: about 330 bytes over at 1 MB), and a plan's parts take under 2 KB of zip headers.
RAW_LIMIT = MAX_FILE - (16 << 10)
# A feature adds at most SMALL bytes unasked, or what `room()` allows and SMALL more; a file gets at most
# MAX_FEATURES features, so `room()` counts up to MAX_FEATURES * SMALL short of RAW_LIMIT.
SMALL = 64 << 10
MAX_FEATURES = 4
BUDGET = RAW_LIMIT - MAX_FEATURES * SMALL
# The seed workbooks, zipped (as given, or re-zipped by `rezip` or `raw_zip`) and unzipped. The seed-based
# generators add at most: 76 KB of junk around a seed, a second copy of one member, 200 KB of stored noise,
# the parts stored uncompressed, 64 KB of byte edits to the file, or 2 x 64 KB of byte or XML edits to members
# (deflated at worst to their whole size, at most SEED_RAW_LIMIT + 128 KB = 896 KB); each of these stays under
# MAX_FILE. (The template, five sheets each checked and formatted over 1000 rows, is 644 KB unzipped.)
SEED_LIMIT = 128 << 10
SEED_RAW_LIMIT = 768 << 10


@dataclass(frozen=True)
class Case:
    """A file as an upload would bring it: its name (the extension decides the reader), its bytes, and how it
    was made, so a failure can be understood without the generator at hand."""

    name: str
    data: bytes
    how: str


def noise(rng: random.Random, size: int) -> bytes:
    """`size` random bytes from a Random seeded by one draw: hypothesis records 8 bytes, not `size`."""
    return random.Random(rng.getrandbits(64)).randbytes(size)


def chance(rng: random.Random, p: float) -> bool:
    """True with probability `p`, through one 64-bit draw: hypothesis's own floats favour 0.0, which would make
    every rare branch common; shrunk to 0, the draw says no."""
    return random.Random(rng.getrandbits(64)).random() < p


def pick(rng: random.Random, options):
    return options[rng.randrange(len(options))]


def at_most(count: int, each: int, room: int) -> int:
    """`count` things of `each` bytes, or as many as `room` bytes hold."""
    return max(0, min(count, room // max(1, each)))


def fitting(options, room: int, times: int = 1):
    """The options whose bytes, written `times` times, fit in `room`; the smallest when none does (every
    option list has a small one)."""
    fit = [o for o in options if len(o) * times <= room]
    return fit or [min(options, key=len)]


# ---------------------------------------------------------------------------------------------------------------
# Valid workbooks to start from

BOOK = {
    "2024年二季度活动": [
        ["2024年二季度工会活动统计表"],
        ["日期", "活动名称", "类别", "参与人次", "支出（元）", "单位"],
        [dt.date(2024, 4, 3), "春季健步走", "文体活动", 120, 3600, "机关工会"],
        ["2024.5.1", "劳动节文艺演出", "节日", "86人", "1,500元", None],
        ["合计", None, None, 206, 5100, None],
    ],
    "慰问": [["日期", "事由", "对象类别", "对象", "人次", "金额"], ["2024-05-06", "住院", "在职职工", "张某", 1, 500]],
    "捐款": [["日期", "项目", "捐款金额", "物资件数", "方式"], ["2024-06-01", "慈善一日捐", "0.15万元", None, "集体"]],
    "比赛": [["日期", "赛事名称", "级别", "类型", "名次", "获奖数"],
           ["2024-06-10", "全民健身运动会", "市级", "团体", "亚军", 1]],
    "单位信息": [["单位名称", "机关工会"], ["会员人数", 150]],
}
MERGED = {"2024年二季度活动": ["A1:F1"]}
MINIMAL = {"活动": [["日期", "活动名称", "参与人次"], ["2024-04-01", "春游", 30]]}


@functools.cache
def seeds() -> dict[str, bytes]:
    """Valid workbooks by file name: every format, a shared-strings shape, the sample and the template."""
    books = {}
    for fmt in (".xlsx", ".xlsm", ".xls", ".ods"):
        books["book" + fmt] = workbook_bytes(BOOK, fmt, MERGED)
        books["minimal" + fmt] = workbook_bytes(MINIMAL, fmt)
    books["book.xlsm"] = with_macros(books["book.xlsm"])
    books["shared.xlsx"] = xlsxwriter_bytes(BOOK, MERGED)
    books["template.xlsx"] = template_bytes()
    for name, data in books.items():
        if not fits_as_seed(data, name):
            raise AssertionError(f"seed {name} is over SEED_LIMIT or SEED_RAW_LIMIT: the generators' sizes rest on "
                                 "them; make the seed smaller or raise the limits with the sums beside them")
    sample = ROOT / "data" / "sample.xlsx"
    if sample.exists() and fits_as_seed(sample.read_bytes(), sample.name):
        books["sample.xlsx"] = sample.read_bytes()
    return books


def fits_as_seed(data: bytes, name: str) -> bool:
    """Within SEED_LIMIT however it is zipped, and SEED_RAW_LIMIT unzipped."""
    if name.endswith(".xls"):
        return len(data) <= SEED_LIMIT
    members = unzip(data)
    zipped = max(len(data), len(rezip(members)), len(raw_zip([entry(n, c) for n, c in members])))
    return zipped <= SEED_LIMIT and sum(len(c) for _, c in members) <= SEED_RAW_LIMIT


def zip_seeds() -> dict[str, bytes]:
    return {name: data for name, data in seeds().items() if not name.endswith(".xls")}


def xls_seeds() -> dict[str, bytes]:
    return {name: data for name, data in seeds().items() if name.endswith(".xls")}


def with_macros(data: bytes) -> bytes:
    """An .xlsm as Excel saves one: a vbaProject.bin beside the sheets (random bytes stand in for the macros)."""
    members = unzip(data) + [("xl/vbaProject.bin", random.Random(0).randbytes(3000))]
    return rezip(members)


def xlsxwriter_bytes(sheets: dict[str, list[list]], merged: dict[str, list[str]]) -> bytes:
    """The shape real Excel files have and openpyxl does not write: a shared-strings table."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), dates)
                elif value is not None:
                    sheet.write(r, c, value)
        for cells in merged.get(name, []):
            sheet.merge_range(cells, rows[0][0])
    book.close()
    return buffer.getvalue()


def template_bytes() -> bytes:
    from unionstats.exports.template import write_template

    buffer = io.BytesIO()
    write_template(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------------------
# Zip archives, honest and not

def unzip(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def rezip(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED, stored: frozenset = frozenset(),
          prefix: bytes = b"") -> bytes:
    """A zip of `members` in order; duplicate names are written as given (zipfile only warns)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buffer, "w", method) as archive:
            for name, content in members:
                archive.writestr(name, content, zipfile.ZIP_STORED if name in stored or name == "mimetype" else method)
    return prefix + buffer.getvalue()


@dataclass
class Entry:
    """One member as written by `raw_zip`: the payload is already compressed, and every header field can lie."""

    name: bytes
    payload: bytes
    method: int
    crc: int
    size: int
    local: dict[str, int] = field(default_factory=dict)
    central: dict[str, int] = field(default_factory=dict)
    extra: bytes = b""


def entry(name: str | bytes, content: bytes, method: int = 8) -> Entry:
    payload = deflate(content) if method == 8 else content
    raw = name.encode() if isinstance(name, str) else name
    return Entry(raw, payload, method, zlib.crc32(content), len(content))


def deflate(content: bytes, level: int = 6) -> bytes:
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    return packer.compress(content) + packer.flush()


_LOCAL = "<4sHHHHHIIIHH"
_CENTRAL = "<4sHHHHHHIIIHHHHHII"
_EOCD = "<4sHHHHIIH"


def raw_zip(entries: list[Entry], prefix: bytes = b"", eocd: dict[str, int] | None = None,
            comment: bytes = b"") -> bytes:
    """A zip written field by field, so sizes, CRCs, methods, offsets and counts can be anything."""
    body, central = bytearray(prefix), bytearray()
    for item in entries:
        f = dict(flags=0, method=item.method, crc=item.crc, csize=len(item.payload), size=item.size,
                 nlen=len(item.name), xlen=len(item.extra))
        local = {**f, **item.local}
        offset = len(body) - len(prefix)
        body += struct.pack(_LOCAL, b"PK\x03\x04", 20, local["flags"], local["method"], 0, 0x21,
                            local["crc"] & 0xFFFFFFFF, local["csize"] & 0xFFFFFFFF, local["size"] & 0xFFFFFFFF,
                            local["nlen"] & 0xFFFF, local["xlen"] & 0xFFFF)
        body += item.name + item.extra + item.payload
        c = {**f, "offset": offset, **item.central}
        central += struct.pack(_CENTRAL, b"PK\x01\x02", 20, 20, c["flags"], c["method"], 0, 0x21, c["crc"] & 0xFFFFFFFF,
                               c["csize"] & 0xFFFFFFFF, c["size"] & 0xFFFFFFFF, c["nlen"] & 0xFFFF, c["xlen"] & 0xFFFF,
                               0, 0, 0, 0, c["offset"] & 0xFFFFFFFF)
        central += item.name + item.extra
    end = {**dict(disk=0, cd_disk=0, here=len(entries), total=len(entries), cd_size=len(central),
                  cd_offset=len(body) - len(prefix), clen=len(comment)), **(eocd or {})}
    tail = struct.pack(_EOCD, b"PK\x05\x06", end["disk"] & 0xFFFF, end["cd_disk"] & 0xFFFF, end["here"] & 0xFFFF,
                       end["total"] & 0xFFFF, end["cd_size"] & 0xFFFFFFFF, end["cd_offset"] & 0xFFFFFFFF,
                       end["clen"] & 0xFFFF)
    return bytes(body + central + tail + comment)


INTERESTING_32 = (0, 1, 2, 0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF,
                  (8 << 20) + 1, (512 << 20) + 1, 1 << 30)


def lie(rng: random.Random, true: int) -> int:
    """A plausible or absurd replacement for a header field that held `true`."""
    return pick(rng, (pick(rng, INTERESTING_32), true + rng.randint(-64, 64), true * rng.randint(2, 1000),
                      true // rng.randint(2, 100), rng.getrandbits(32)))


def zip_seed(rng: random.Random, ods: bool | None = None) -> tuple[str, list[tuple[str, bytes]]]:
    names = [n for n in zip_seeds() if ods is None or n.endswith(".ods") == ods]
    name = pick(rng, names)
    return name, unzip(zip_seeds()[name])


def gen_junk_around(rng: random.Random) -> Case:
    """Bytes before and after a valid zip: a reader that finds the archive from its end must still cope."""
    name, data = pick(rng, list(zip_seeds().items()))
    prefix = pick(rng, (b"", noise(rng, rng.randint(1, 4096)), b"\0" * rng.randint(1, 70000), b"PK\x03\x04" * 8,
                        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + noise(rng, 600), b"<html>" + b" " * 100, data[:2000]))
    suffix = pick(rng, (b"", noise(rng, rng.randint(1, 2048)), b"PK\x05\x06" + b"\0" * 18, data[-400:]))
    return Case(name, prefix + data + suffix,
                f"zip/junk-around: {len(prefix)} bytes before, {len(suffix)} after {name}")


def gen_lying_headers(rng: random.Random) -> Case:
    """Sizes, CRCs, methods and flags that disagree between the local header, the central directory and the data."""
    name, members = zip_seed(rng)
    entries = [entry(n, c) for n, c in members]
    told = []
    for _ in range(rng.randint(1, 4)):
        item = pick(rng, entries)
        where = pick(rng, ("local", "central", "both"))
        key = pick(rng, ("size", "csize", "crc", "method", "flags", "nlen", "xlen", "offset"))
        true = {"size": item.size, "csize": len(item.payload), "crc": item.crc, "method": item.method, "flags": 0,
                "nlen": len(item.name), "xlen": 0, "offset": 0}[key]
        value = pick(rng, (0, 1, 12, 14, 99, 0xFFFF)) if key == "method" else (
            pick(rng, (1, 8, 0x41, 0xFFFF)) if key == "flags" else lie(rng, true))
        for side in (("local", "central") if where == "both" else (where,)):
            if key != "offset" or side == "central":
                getattr(item, side)[key] = value
        told.append(f"{item.name.decode(errors='replace')} {where} {key}={value}")
    return Case(name, raw_zip(entries), "zip/lying-headers: " + "; ".join(told))


def gen_broken_directory(rng: random.Random) -> Case:
    """A central directory cut short, or an end record whose counts, size, offset or comment length lie."""
    name, members = zip_seed(rng)
    data = raw_zip([entry(n, c) for n, c in members])
    start = data.find(b"PK\x01\x02")
    how = pick(rng, ("cut-directory", "cut-end", "lying-end", "no-end", "two-ends"))
    if how == "cut-directory":
        data = data[: rng.randint(start, len(data) - 1)]
    elif how == "cut-end":
        data = data[: len(data) - rng.randint(1, 21)]
    elif how == "no-end":
        data = data[: data.rfind(b"PK\x05\x06")]
    elif how == "two-ends":
        data = data + data[data.rfind(b"PK\x05\x06"):]
    else:
        key = pick(rng, ("here", "total", "cd_size", "cd_offset", "clen", "disk", "cd_disk"))
        end = {key: lie(rng, 0) if key != "clen" else rng.randint(1, 0xFFFF)}
        data = raw_zip([entry(n, c) for n, c in members], eocd=end)
        how += f" {end}"
    return Case(name, data, f"zip/broken-directory: {how} of {name}")


def gen_duplicate_members(rng: random.Random) -> Case:
    """The same member name twice: a checker that reads one copy and a reader that reads the other disagree."""
    name, members = zip_seed(rng)
    sheets = [i for i, (n, _) in enumerate(members) if n.startswith("xl/worksheets/sheet") or n == "content.xml"]
    index = pick(rng, sheets) if sheets and chance(rng, 0.8) else rng.randrange(len(members))
    member, content = members[index]
    twin = far_cell_variant(rng, member, content) if chance(rng, 0.6) else content
    position = rng.choice((index, index + 1, len(members)))
    members.insert(position, (member, twin))
    copy = "hostile" if twin != content else "same"
    return Case(name, rezip(members), f"zip/duplicate-members: {member} twice ({copy} copy at {position}) in {name}")


def far_cell_variant(rng: random.Random, member: str, content: bytes) -> bytes:
    """The member with one cell at the far corner, in the form its format uses."""
    if member == "content.xml":
        row = (b'<table:table-row table:number-rows-repeated="1048575"><table:table-cell/></table:table-row>'
               b'<table:table-row><table:table-cell table:number-columns-repeated="16383"/>'
               b'<table:table-cell office:value-type="float" office:value="1"/></table:table-row>')
        return content.replace(b"</table:table>", row + b"</table:table>", 1)
    ref = pick(rng, (b"XFD1048576", b"ZZ200000", b"A1048576"))
    return content.replace(b"</sheetData>", b'<row r="' + ref.lstrip(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ") + b'"><c r="' + ref
                           + b'"><v>1</v></c></row></sheetData>', 1)


def gen_huge_declared(rng: random.Random) -> Case:
    """Members declaring sizes no workbook has (up to 4 GiB, or 2^60 through a zip64 field) over honest data."""
    name, members = zip_seed(rng)
    entries = [entry(n, c) for n, c in members]
    item = pick(rng, entries)
    size = pick(rng, (0xFFFFFFFF, 0xFFFFFFFE, (512 << 20) + 1, 1 << 31, (8 << 20) + 1, 200 * len(item.payload) + 1))
    if chance(rng, 0.4):
        big = pick(rng, (1 << 60, (1 << 64) - 1, 1 << 33, item.size))
        item.extra = struct.pack("<HHQQ", 1, 16, big, len(item.payload))
        item.central.update(size=0xFFFFFFFF, csize=0xFFFFFFFF)
        item.local.update(size=0xFFFFFFFF, csize=0xFFFFFFFF)
        return Case(name, raw_zip(entries), f"zip/huge-declared: zip64 extra size {big} on {item.name.decode()}")
    for side in pick(rng, (("central",), ("local",), ("central", "local"))):
        getattr(item, side)["size"] = size
    return Case(name, raw_zip(entries), f"zip/huge-declared: {item.name.decode()} declares {size}")


BOMB_UNITS = (b"\0", b" ", b"<row/>", b'<c r="A1"><v>1</v></c>', b"<x>", b"\xe6\xb4\xbb")


@functools.cache
def bomb_payload(unit: bytes, megabytes: int) -> tuple[bytes, int, int]:
    """`megabytes` MB of `unit`, deflated: (payload, crc, size). One MB is compressed once and its blocks
    repeated (a full flush leaves no reference across them), so a 200 MB bomb costs milliseconds."""
    chunk = unit * ((1 << 20) // len(unit))
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    return block * megabytes + b"\x03\x00", crc, len(chunk) * megabytes


def gen_deflate_bomb(rng: random.Random) -> Case:
    """A member that inflates a thousandfold, honest about it or declaring a small size, alone or diluted."""
    name, members = zip_seed(rng, ods=chance(rng, 0.25))
    unit, megabytes = pick(rng, BOMB_UNITS), pick(rng, (9, 16, 40, 100, 200))
    payload, crc, size = bomb_payload(unit, megabytes)
    while len(payload) > MAX_FILE // 2:
        megabytes //= 2
        payload, crc, size = bomb_payload(unit, megabytes)
    target = "content.xml" if name.endswith(".ods") else "xl/worksheets/sheet1.xml"
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    entries = [entry(n, c) for n, c in members if n != target]
    bomb = Entry(target.encode(), payload, 8, crc, size)
    lying = chance(rng, 0.4)
    if lying:
        told = pick(rng, (len(head), 1000, 8 << 20, size // 201))
        for side in pick(rng, (("central",), ("local",), ("central", "local"))):
            getattr(bomb, side)["size"] = told
    if chance(rng, 0.3):
        room = (MAX_FILE - len(raw_zip([*entries, bomb]))) // 1024 - 4  # KB, the padding's headers besides
        if room >= 1:
            entries.append(entry("xl/media/padding.bin", noise(rng, rng.randint(1, room) << 10), method=0))
    entries.insert(rng.randint(0, len(entries)), bomb)
    return Case(name, raw_zip(entries), f"zip/deflate-bomb: {megabytes} MB of {unit!r} as {target}"
                                        f"{' declared small' if lying else ''} in {name}")


def gen_stored_random(rng: random.Random) -> Case:
    """Random bytes stored uncompressed: beside the parts, or in place of one."""
    name, members = zip_seed(rng)
    blob = noise(rng, pick(rng, (1, 100, 5000, 200_000)))
    if chance(rng, 0.5):
        index = rng.randrange(len(members))
        member = members[index][0]
        members[index] = (member, blob)
        how = f"{member} replaced by {len(blob)} random bytes"
    else:
        member = pick(rng, ("xl/media/image1.png", "xl/worksheets/sheet9.xml", "Thumbnails/thumbnail.png", "zzz"))
        members.insert(rng.randint(0, len(members)), (member, blob))
        how = f"{len(blob)} random bytes added as {member}"
    return Case(name, rezip(members, stored=frozenset({member})), f"zip/stored-random: {how} in {name}")


ESSENTIAL = ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
             "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "mimetype", "content.xml", "META-INF/manifest.xml",
             "styles.xml")


def gen_missing_parts(rng: random.Random) -> Case:
    """A workbook without its content types, workbook part, relationships, a sheet or its strings."""
    name, members = zip_seed(rng)
    present = [n for n, _ in members if n in ESSENTIAL] or [members[0][0]]
    gone = set(rng.sample(present, rng.randint(1, min(3, len(present)))))
    kept = [(n, c) for n, c in members if n not in gone] or [("empty.txt", b"")]
    return Case(name, rezip(kept), f"zip/missing-parts: without {', '.join(sorted(gone))} in {name}")


REL_TARGETS = ("worksheets/nope.xml", "/xl/worksheets/sheet1.xml", "/nope.xml", "../xl/worksheets/sheet1.xml",
               "../../../../../etc/passwd", "/../../etc/passwd", "worksheets/../worksheets/sheet1.xml", "", ".", "/",
               "http://example.com/sheet.xml", "file:///etc/passwd", "\\xl\\worksheets\\sheet1.xml",
               "worksheets/sheet1.xml#frag", "worksheets/%73heet1.xml", "workbook.xml", "styles.xml", "_rels",
               "worksheets/sheet1.xml" + "/x" * 2000, "worksheets/sheet1.xml\0.png", "WORKSHEETS/SHEET1.XML",
               "xl/worksheets/sheet1.xml", "vbaProject.bin", "theme/theme1.xml")


def gen_bad_rels(rng: random.Random) -> Case:
    """Relationships pointing at missing, absolute, `../`, external, binary or self-referring targets."""
    name, members = zip_seed(rng, ods=False)
    rels = dict(members).get("xl/_rels/workbook.xml.rels", b"")
    target = pick(rng, REL_TARGETS).encode()
    how = pick(rng, ("first", "all", "mode", "id", "sheet-id"))
    if how == "first":
        rels = _replace_attr(rels, b"Target", target, count=1)
    elif how == "all":
        rels = _replace_attr(rels, b"Target", target)
    elif how == "mode":
        rels = rels.replace(b"<Relationship ", b'<Relationship TargetMode="External" ', 1)
    elif how == "id":
        rels = _replace_attr(rels, b"Id", pick(rng, (b"rId1", b"", b"x" * 5000)), count=2)
    members = [(n, rels if n == "xl/_rels/workbook.xml.rels" else c) for n, c in members]
    if how == "sheet-id":
        members = [(n, _replace_attr(c, b"r:id", pick(rng, (b"rId999", b"", b"rId1"))) if n == "xl/workbook.xml"
                    else c) for n, c in members]
    return Case(name, rezip(members), f"zip/bad-rels: {how} -> {target[:60]!r} in {name}")


def _replace_attr(xml: bytes, attribute: bytes, value: bytes, count: int = -1) -> bytes:
    pattern = re.compile(rb'(\s' + re.escape(attribute) + rb'=")[^"]*(")')
    return pattern.sub(lambda m: m.group(1) + value + m.group(2), xml, count=max(0, count))


def gen_zip64(rng: random.Random) -> Case:
    """Zip64 records where none are needed, or zip64 markers with no zip64 record behind them."""
    name, members = zip_seed(rng)
    if chance(rng, 0.5):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, content in members:
                with archive.open(member, "w", force_zip64=chance(rng, 0.7)) as stream:
                    stream.write(content)
        return Case(name, buffer.getvalue(), f"zip/zip64: forced zip64 headers in {name}")
    entries = [entry(n, c) for n, c in members]
    end = pick(rng, ({"here": 0xFFFF, "total": 0xFFFF}, {"cd_offset": 0xFFFFFFFF}, {"cd_size": 0xFFFFFFFF}))
    for item in rng.sample(entries, rng.randint(1, len(entries))):
        item.central.update(size=0xFFFFFFFF, csize=0xFFFFFFFF, offset=0xFFFFFFFF)
        item.extra = pick(rng, (b"", struct.pack("<HH", 1, 0), struct.pack("<HHQ", 1, 8, 1 << 62), b"\x01\x00\xff\xff"))
    return Case(name, raw_zip(entries, eocd=end), f"zip/zip64: markers {end} without a zip64 record in {name}")


def gen_odd_compression(rng: random.Random) -> Case:
    """Members compressed with bzip2 or LZMA, stored when marked deflated, or flagged encrypted."""
    name, members = zip_seed(rng)
    how = pick(rng, ("bzip2", "lzma", "stored-as-deflate", "encrypted", "deflate64"))
    if how in ("bzip2", "lzma"):
        method = zipfile.ZIP_BZIP2 if how == "bzip2" else zipfile.ZIP_LZMA
        return Case(name, rezip(members, method), f"zip/odd-compression: {how} in {name}")
    entries = [entry(n, c) for n, c in members]
    for item in rng.sample(entries, rng.randint(1, len(entries))):
        if how == "stored-as-deflate":
            item.payload, item.method = members[entries.index(item)][1], 8
        elif how == "encrypted":
            item.local["flags"] = item.central["flags"] = 1
        else:
            item.local["method"] = item.central["method"] = 9
    return Case(name, raw_zip(entries), f"zip/odd-compression: {how} in {name}")


def gen_odd_names(rng: random.Random) -> Case:
    """Member names with backslashes, a leading slash, `./`, other case, a NUL, or thousands of characters."""
    name, members = zip_seed(rng)
    index = rng.randrange(len(members))
    member, content = members[index]
    odd = pick(rng, (member.replace("/", "\\"), "/" + member, "./" + member, member.upper(), member + "\0",
                     member + "/", "a/" * 3000 + member, member.replace("xl/", "xl//"), member + " "))
    entries = [entry(n, c) for n, c in members]
    entries[index] = entry(odd.encode(), content)
    return Case(name, raw_zip(entries), f"zip/odd-names: {member} as {odd[:60]!r} in {name}")


# ---------------------------------------------------------------------------------------------------------------
# Hostile sheet XML, in an .xlsx built part by part

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PROLOG = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
STYLES = (b'<styleSheet xmlns="' + MAIN + b'"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
          b'<numFmt numFmtId="165" formatCode="[h]:mm:ss"/></numFmts><fonts count="1"><font/></fonts>'
          b'<fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/>'
          b'</cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
          b'<xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/></cellXfs>'
          b'</styleSheet>')


def text_cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def value_cell(ref: str, value, style: int | None = None, kind: str | None = None) -> bytes:
    attrs = f' r="{ref}"' + (f' s="{style}"' if style is not None else "") + (f' t="{kind}"' if kind else "")
    return f"<c{attrs}><v>{value}</v></c>".encode()


def row_xml(number, cells: list[bytes], attrs: bytes = b"") -> bytes:
    return f'<row r="{number}"'.encode() + attrs + b">" + b"".join(cells) + b"</row>"


def base_rows() -> list[bytes]:
    return [
        row_xml(1, [text_cell("A1", "日期"), text_cell("B1", "活动名称"), text_cell("C1", "参与人次"),
                    text_cell("D1", "支出")]),
        row_xml(2, [value_cell("A2", 45383, style=1), text_cell("B2", "春季健步走"), value_cell("C2", 120),
                    value_cell("D2", 3600)]),
        row_xml(3, [text_cell("A3", "2024-05-01"), text_cell("B3", "读书会"), text_cell("C3", "12人"),
                    text_cell("D3", "1,500元")]),
    ]


@dataclass
class Plan:
    """An .xlsx in parts: what features change before `build` zips it."""

    rows: list[bytes] = field(default_factory=base_rows)
    head: bytes = b""
    tail: bytes = b""
    prolog: bytes = PROLOG
    doctype: bytes = b""
    namespace: bytes = MAIN
    shared: list[bytes] | None = None
    styles: bytes = STYLES
    sheets: list[str] = field(default_factory=lambda: ["活动"])
    sheet_attrs: bytes = b""
    book_doctype: bytes = b""
    shared_count: bytes | None = None
    overrides: dict[str, bytes | None] = field(default_factory=dict)

    def sheet_xml(self) -> bytes:
        return (self.prolog + self.doctype + b'<worksheet xmlns="' + self.namespace + b'" xmlns:r="' + RELS.encode()
                + b'">' + self.head + b"<sheetData>" + b"".join(self.rows) + b"</sheetData>" + self.tail
                + b"</worksheet>")

    def workbook_xml(self) -> bytes:
        sheets = "".join(f'<sheet name="{_attr(n)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                         for i, n in enumerate(self.sheets)).encode("utf-8", "surrogateescape")
        return (PROLOG + self.book_doctype + b'<workbook xmlns="' + self.namespace + b'" xmlns:r="' + RELS.encode()
                + b'"><sheets>' + sheets + self.sheet_attrs + b"</sheets></workbook>")

    def rels_xml(self) -> str:
        sheets = "".join(f'<Relationship Id="rId{i + 1}" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
                         for i in range(len(self.sheets)))
        parts = f'<Relationship Id="rIdS" Type="{RELS}/styles" Target="styles.xml"/>'
        if self.shared is not None:
            parts += f'<Relationship Id="rIdT" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        return f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{sheets}{parts}</Relationships>'

    def parts(self) -> dict[str, bytes]:
        """The parts by name; `overrides` replaces a part (None: leaves it out)."""
        members = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS,
                   "xl/workbook.xml": self.workbook_xml(), "xl/_rels/workbook.xml.rels": self.rels_xml().encode(),
                   "xl/styles.xml": self.styles,
                   "xl/worksheets/sheet1.xml": self.sheet_xml()}
        if self.shared is not None:
            count = self.shared_count or str(len(self.shared)).encode()
            members["xl/sharedStrings.xml"] = (PROLOG + self.doctype + b'<sst xmlns="' + MAIN + b'" count="' + count
                                               + b'" uniqueCount="' + count + b'">' + b"".join(self.shared) + b"</sst>")
        members.update(self.overrides)
        return {name: content for name, content in members.items() if content is not None}

    def room(self) -> int:
        """The bytes a feature may still add (see BUDGET)."""
        return max(0, BUDGET - sum(len(content) for content in self.parts().values()))

    def build(self) -> bytes:
        return rezip(list(self.parts().items()))


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
                 b'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
                 b'main+xml"/>'
                 b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                 b'officedocument.spreadsheetml.worksheet+xml"/></Types>')
ROOT_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
             b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')

FAR_REFS = ("XFD1048576", "A99999999999", "ZZZZZ", "1000000", "xfd1048576", "a1", "A-1", "-1", "", "A0", "A 1", " A1",
            "Ａ１", "A1:B2", "$A$1", "XFE1", "AAAA1", "A1048577", "ZZ200000", "Z450000", "E450000", "IV65536", "AD7",
            "A" + "9" * 40, "A1" * 500, "A01", "A1e5", "A\t1", "AZ", "A1\u0000", "R1C1", "&#65;1", "Q" * 20 + "1")
QUOTES = ('r="{}"', "r='{}'", 'r = "{}"', 'r ="{}"', "\nr=\"{}\"", '\tr="{}"', 'r="A1" r="{}"')


def far_ref_cell(rng: random.Random, ref: str) -> bytes:
    attr = pick(rng, QUOTES).format(_attr(ref)).encode()
    return b"<c " + attr + b' t="inlineStr"><is><t>x</t></is></c>'


def feat_far_ref(rng: random.Random, plan: Plan) -> str:
    ref = pick(rng, FAR_REFS)
    plan.rows.insert(rng.randint(0, len(plan.rows)), b'<row r="4">' + far_ref_cell(rng, ref) + b"</row>")
    return f"cell at {ref!r}"


def feat_row_ref(rng: random.Random, plan: Plan) -> str:
    ref = pick(rng, ("1048576", "1048577", "0", "-1", "99999999999", "abc", "", "4.5", " 4", "+4", "4e5", "399999"))
    attr = pick(rng, QUOTES).format(ref).encode()
    plan.rows.append(b"<row " + attr + b">" + value_cell("A4", 1).replace(b' r="A4"', b"") + b"</row>")
    return f"row r={ref!r}"


def feat_row_order(rng: random.Random, plan: Plan) -> str:
    how = pick(rng, ("shuffled", "reversed", "duplicated", "same-number"))
    if how == "shuffled":
        rng.shuffle(plan.rows)
    elif how == "reversed":
        plan.rows.reverse()
    elif how == "duplicated":
        copies = at_most(rng.randint(1, 50), len(b"".join(plan.rows[1:])), plan.room())
        plan.rows += plan.rows[1:] * copies
    else:
        plan.rows = [r.replace(b'<row r="3"', b'<row r="2"') for r in plan.rows]
    return f"rows {how}"


def feat_no_refs(rng: random.Random, plan: Plan) -> str:
    what = pick(rng, (rb' r="[A-Z]+\d+"', rb'<row r="\d+"', rb' r="[^"]*"'))
    plan.rows = [re.sub(what, b"<row" if what.startswith(b"<row") else b"", r) for r in plan.rows]
    return f"without {what!r}"


def feat_deep_nesting(rng: random.Random, plan: Plan) -> str:
    depth = pick(rng, (100, 5000, 50_000))
    tag = pick(rng, (b"x", b"is", b"r", b"row", b"c"))
    depth = at_most(depth, 2 * len(tag) + 5, plan.room())
    where = pick(rng, ("cell", "sheetData", "unclosed"))
    nested = (b"<" + tag + b">") * depth + (b"" if where == "unclosed" else (b"</" + tag + b">") * depth)
    if where == "cell":
        plan.rows.append(b'<row r="4"><c r="A4" t="inlineStr">' + nested + b"</c></row>")
    else:
        plan.rows.append(nested)
    return f"{depth} nested <{tag.decode()}> in {where}"


def feat_huge_string(rng: random.Random, plan: Plan) -> str:
    size = pick(rng, (32_767, 32_768, 100_000, 300_000))
    unit = pick(rng, ("x", "活", "&amp;", " ", "_x0041_"))
    text = unit * at_most(size // 5 if chance(rng, 0.5) else size // 7, len(unit.encode()), plan.room())
    if plan.shared is not None and chance(rng, 0.5):
        plan.shared.append(f"<si><t>{text}</t></si>".encode())
        plan.rows.append(row_xml(4, [value_cell("B4", len(plan.shared) - 1, kind="s")]))
    else:
        plan.rows.append(row_xml(4, [value_cell("A4", 45383, style=1), text_cell("B4", text), value_cell("C4", 1)]))
    return f"string of {len(text)} characters"


BAD_TEXT = (b"\xff\xfe", b"\xc3\x28", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe6\xb4", b"\x00", b"\x01",
            b"\x1b[2J", b"\x7f", b"\xc2\x9b31m")
ESCAPES = ("_x0001_", "_x0000_", "_xD800_", "_xDFFF_", "_xFFFF_", "_xFFFE_", "_x001F_", "_x_", "_xZZZZ_", "_x000D_",
           "_x000A_", "_x001B_[31m", "_x0009_", "&#1;", "&#0;", "&#xD800;", "&#x110000;", "&#xFFFE;", "&#27;",
           "_x0041__x0001__x0042_", "_X0001_", "_x0001", "_x00010_")


def feat_bad_text(rng: random.Random, plan: Plan) -> str:
    """Invalid UTF-8 and control characters, raw or escaped, in a cell, a header, a sheet name or the prolog."""
    where = pick(rng, ("cell", "header", "sheet-name", "encoding", "attribute"))
    junk = pick(rng, BAD_TEXT) if chance(rng, 0.5) else pick(rng, ESCAPES).encode()
    if where == "cell":
        plan.rows.append(b'<row r="4"><c r="A4" t="inlineStr"><is><t>2024' + junk + b'-04-01</t></is></c>'
                         + text_cell("B4", "春游").replace(b"</t>", junk + b"</t>") + value_cell("C4", 3) + b"</row>")
    elif where == "header":
        plan.rows[0] = plan.rows[0].replace("日期".encode(), "日".encode() + junk + "期".encode(), 1)
    elif where == "sheet-name":
        plan.sheets = [plan.sheets[0] + junk.decode("utf-8", "surrogateescape")]
    elif where == "encoding":
        plan.prolog = pick(rng, (b'<?xml version="1.0" encoding="UTF-16"?>', b'<?xml version="1.0" encoding="GB2312"?>',
                                 b'<?xml version="1.0" encoding="bogus"?>', b'<?xml version="2.0"?>',
                                 b"\xef\xbb\xbf\xef\xbb\xbf",
                                 b"\xff\xfe", b" " + PROLOG))
    else:
        plan.rows.append(b'<row r="4"><c r="A4" s="' + junk + b'" t="n"><v>1</v></c></row>')
    return f"{junk!r} in {where}"


LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          + b"".join(b'<!ENTITY lol%d "' % i + (b"&lol%d;" % (i - 1)) * 10 + b'">' for i in range(3, 10)) + b"]>")
EXTERNAL = (b'<!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>', b'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd">',
            b'<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
            b'<!DOCTYPE x [<!ENTITY big "' + b"A" * 50000 + b'">]>',
            b'<!DOCTYPE x [<!ENTITY a "&b;"><!ENTITY b "&a;">]>')


def feat_entities(rng: random.Random, plan: Plan) -> str:
    """The doctype goes into the sheet and, when there is one now or later, the shared strings."""
    doctype = LAUGHS if chance(rng, 0.5) else pick(rng, fitting(EXTERNAL, plan.room(), times=2))
    use = pick(rng, (b"&lol9;", b"&ext;", b"&big;", b"&a;", b"&undefined;", b"&lol5;"))
    where = pick(rng, ("sheet", "workbook"))
    if where == "sheet":
        plan.doctype = doctype
        plan.rows.append(b'<row r="4"><c r="B4" t="inlineStr"><is><t>' + use + b"</t></is></c></row>")
    else:
        plan.book_doctype = doctype
        plan.sheet_attrs = b'<sheet name="\xe6\xb4\xbb\xe5\x8a\xa8' + use + b'" sheetId="9" r:id="rId1"/>'
    return f"{doctype[:40]!r}... using {use!r} in {where}"


def feat_shared_index(rng: random.Random, plan: Plan) -> str:
    plan.shared = plan.shared if plan.shared is not None else ["<si><t>春游</t></si>".encode()]
    index = pick(rng, ("1", "99999", "2147483647", "4294967296", "-1", "abc", "", "1.5", "1e3", "9" * 30, " 0", "0x0"))
    plan.rows.append(row_xml(4, [value_cell("A4", 45383, style=1), value_cell("B4", index, kind="s"),
                                 value_cell("C4", 1)]))
    if chance(rng, 0.3):
        plan.shared = []
    return f"shared string index {index!r} of {len(plan.shared)}"


WRONG_VALUES = {
    "n": ("abc", "1e999", "NaN", "inf", "-inf", "-0", "0x10", " 12 ", "1,5", "9" * 400, "", "1e-400", "١٢٣"),
    "d": ("2024-13-45", "", "x", "99999-01-01", "2024-02-30T25:61:61", "0000-00-00", "-2024-01-01",
          "2024-04-01T00:00:00Z", "1e10"),
    "b": ("2", "true", "", "-1", "yes", "0.5", "FALSE"),
    "e": ("#DIV/0!", "", "#NOPE", "x" * 1000),
    "s": ("0", "a"),
    "str": ("", "=1+1", "x" * 2000),
    "inlineStr": ("", "1"),
    "zz": ("1", "x"),
}


def feat_wrong_types(rng: random.Random, plan: Plan) -> str:
    kinds = list(WRONG_VALUES)
    cells = []
    for column in "ABC":
        kind = pick(rng, kinds)
        cells.append(value_cell(f"{column}4", _attr(pick(rng, WRONG_VALUES[kind])), kind=kind))
    plan.rows.append(row_xml(4, cells))
    return "wrong types " + " ".join(c.decode(errors="replace")[:60] for c in cells)


DATE_SERIALS = ("1e20", "-1", "1e308", "2958466", "2958465.9999999", "-693594", "60", "0", "NaN", "1e16", "-1e16",
                "99999999999", "4294967296", "0.5", "45383.99999999999")


def feat_date_serials(rng: random.Random, plan: Plan) -> str:
    serial = pick(rng, DATE_SERIALS)
    style = pick(rng, (1, 2, 3, 3, 99, -1, 4294967296))
    plan.rows.append(row_xml(4, [value_cell("A4", serial, style=style), text_cell("B4", "x"),
                                 value_cell("C4", 1, style=3)]))
    return f"serial {serial} with style {style}"


FORMULAS = (b"<f>SUM(A1:A1048576)</f><v>1</v>", b'<f t="shared" ref="A1:XFD1048576" si="0">A1</f><v>1</v>',
            b'<f t="shared" si="99999"/>', b'<f t="array" ref="A4:XFD1048576">1</f>', b"<f>" + b"(" * 5000 + b"</f>",
            b"<f></f>", b"<f>1/0</f><v>#DIV/0!</v>", b'<f t="shared" ref="ZZZZZ1:A1" si="-1">1</f><v>2</v>',
            b"<f>" + b"A" * 100_000 + b"</f><v>0</v>")


def feat_formulas(rng: random.Random, plan: Plan) -> str:
    formula = pick(rng, fitting(FORMULAS, plan.room()))
    kind = pick(rng, (b"", b' t="str"', b' t="e"', b' t="n"'))
    plan.rows.append(b'<row r="4"><c r="C4"' + kind + b">" + formula + b"</c></row>")
    return f"formula {formula[:50]!r}"


def feat_inline(rng: random.Random, plan: Plan) -> str:
    runs = pick(rng, (b"<r><t>a</t></r>" * 2000, b"<r><rPr><b/></rPr><t>a</t></r><rPh><t>b</t></rPh>", b"<t/><t>x</t>",
                      b"<t xml:space='preserve'>  </t>", b"", b"<is><t>nested</t></is>", b"<t><t>x</t></t>"))
    plan.rows.append(b'<row r="4"><c r="B4" t="inlineStr"><is>' + runs + b"</is></c></row>")
    return f"inline string {runs[:40]!r}"


MERGES = ("A1:XFD1048576", "A1:A1048576", "B2:A1", "ZZZZZ1:A1", "A1", "", "A1:", ":B2", "A0:B0", "A1:B2:C3", "D1:D3",
          "A2:C1048576", "$A$1:$B$2", "A1:XFD1", "XFD1048576:XFD1048576")


def feat_merges(rng: random.Random, plan: Plan) -> str:
    refs = [pick(rng, MERGES) for _ in range(rng.randint(1, 3))]
    if chance(rng, 0.2):
        refs += [f"A{i}:D{i + 1}" for i in range(1, 1 + at_most(2999, 32, plan.room()))]
    count = pick(rng, (str(len(refs)), "0", "-1", "99999999999"))
    plan.tail += (f'<mergeCells count="{count}">'.encode() + b"".join(f'<mergeCell ref="{r}"/>'.encode() for r in refs)
                  + b"</mergeCells>")
    return f"merged {refs[:3]}{'...' if len(refs) > 3 else ''}"


def feat_dimension(rng: random.Random, plan: Plan) -> str:
    ref = pick(rng, ("A1:XFD1048576", "A1:ZZZZZ99999999", "XFD1048576", "", "B2:A1", "A1:Z450000", "-1:-1"))
    plan.head = f'<dimension ref="{ref}"/>'.encode() + plan.head
    return f"dimension {ref!r}"


def feat_many_cells(rng: random.Random, plan: Plan) -> str:
    """Within every limit but not cheap: many cells, or one far row in the usual form."""
    how = pick(rng, ("rows", "wide", "far-row"))
    if how == "rows":
        def row(i: int) -> bytes:
            return row_xml(i, [value_cell(f"A{i}", 45383, style=1), text_cell(f"B{i}", "春游"), value_cell(f"C{i}", i)])

        wanted = pick(rng, (2000, 10_000))
        count = at_most(wanted, len(row(4 + wanted)), plan.room())
        plan.rows += [row(i) for i in range(4, 4 + count)]
        return f"{count} rows"
    if how == "wide":
        count = at_most(pick(rng, (300, 16384)), len(value_cell("XFD4", 16384)), plan.room())
        plan.rows.append(row_xml(4, [value_cell(f"{column_letter(c)}4", c) for c in range(count)]))
        return "one wide row"
    row = pick(rng, (99_999, 399_999, 250_000))
    plan.rows.append(row_xml(row, [text_cell(f"{pick(rng, 'ABCZ')}{row}", "x")]))
    return f"a cell in row {row}"


def feat_sheet_names(rng: random.Random, plan: Plan) -> str:
    how = pick(rng, ("duplicate", "empty", "long", "many", "kinds", "hidden", "spaces"))
    if how == "duplicate":
        each = len(plan.workbook_xml()) + len(plan.rels_xml())
        plan.sheets = plan.sheets * (1 + at_most(rng.randint(2, 4) - 1, each, plan.room()))
    elif how == "empty":
        plan.sheets = [""]
    elif how == "long":
        plan.sheets = ["活动" + "长" * pick(rng, (31, 100, 5000))]
    elif how == "many":
        plan.sheets = [f"活动{i}" for i in range(pick(rng, (50, 300)))]
    elif how == "kinds":
        plan.sheets = ["活动", "慰问", "捐款", "比赛", "单位信息", "活动 ", "ACTIVITY活动"]
    elif how == "hidden":
        plan.sheet_attrs = b'<sheet name="_hidden" sheetId="99" state="veryHidden" r:id="rId1"/>'
    else:
        plan.sheets = ["  活动\u3000", "活\u200b动"]
    return f"sheet names {how}"


def feat_namespace(rng: random.Random, plan: Plan) -> str:
    how = pick(rng, ("strict", "none", "prefixed", "wrong"))
    if how == "strict":
        plan.namespace = STRICT
    elif how == "none":
        plan.namespace = b""
    elif how == "wrong":
        plan.namespace = b"urn:nothing"
    else:
        plan.head = b'<x:ignored xmlns:x="' + MAIN + b'"/>'
        room, rows = plan.room(), []
        for row in plan.rows:  # each row the room still holds prefixed, the others as they were
            changed = prefixed_row(row)
            if len(changed) - len(row) <= room:
                room -= len(changed) - len(row)
                row = changed
            rows.append(row)
        plan.rows = rows
    return f"namespace {how}"


def prefixed_row(row: bytes) -> bytes:
    """The row's elements in a prefixed namespace, wrapped in an element of its own."""
    for plain, prefixed in ((b"<row", b"<x:row"), (b"</row", b"</x:row"), (b"<c ", b"<x:c "), (b"</c>", b"</x:c>"),
                            (b"<v>", b"<x:v>"), (b"</v>", b"</x:v>")):
        row = row.replace(plain, prefixed)
    return b'<x:wrap xmlns:x="' + MAIN + b'">' + row + b"</x:wrap>"


def feat_shared_counts(rng: random.Random, plan: Plan) -> str:
    """A shared-strings table whose counts lie: a reader that reserves room for them asks for gigabytes."""
    plan.shared = plan.shared if plan.shared is not None else ["<si><t>春游</t></si>".encode()]
    count = pick(rng, (b"99999999999", b"-1", b"4294967295", b"100000000", b"abc", b"1e9"))
    plan.shared_count = count
    plan.rows.append(row_xml(4, [value_cell("B4", 0, kind="s")]))
    return f"sharedStrings count {count!r}"


def feat_truncated_xml(rng: random.Random, plan: Plan) -> str:
    xml = plan.sheet_xml()
    cut = rng.randint(0, len(xml))
    plan.overrides["xl/worksheets/sheet1.xml"] = xml[:cut]
    return f"sheet XML cut at {cut} of {len(xml)}"


SHEET_FEATURES: tuple[Callable[[random.Random, Plan], str], ...] = (
    feat_far_ref, feat_far_ref, feat_row_ref, feat_row_order, feat_no_refs, feat_deep_nesting, feat_huge_string,
    feat_bad_text, feat_bad_text, feat_entities, feat_shared_index, feat_wrong_types, feat_wrong_types,
    feat_date_serials, feat_date_serials, feat_formulas, feat_inline, feat_merges, feat_dimension, feat_many_cells,
    feat_sheet_names, feat_namespace, feat_shared_counts, feat_truncated_xml,
)


def gen_sheet_xml(rng: random.Random) -> Case:
    """A small valid .xlsx given one to three hostile features in its sheet, strings, styles or workbook part."""
    plan = Plan()
    if chance(rng, 0.3):
        plan.shared = ["<si><t>春游</t></si>".encode()]
    told = [feature(rng, plan) for feature in (pick(rng, SHEET_FEATURES) for _ in range(rng.randint(1, 3)))]
    return Case(pick(rng, ("二季度.xlsx", "二季度.xlsm")), plan.build(), "sheet-xml/" + "; ".join(told))


# ---------------------------------------------------------------------------------------------------------------
# Hostile ODS content

ODS_NS = (b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
MANIFEST = (b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
            b'xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
            b'vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
            b'manifest:media-type="text/xml"/></manifest:manifest>')
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def ods_text(text: str) -> bytes:
    return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'.encode()


def ods_float(value) -> bytes:
    return (f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p>'
            "</table:table-cell>").encode()


def ods_row(cells: list[bytes], attrs: bytes = b"") -> bytes:
    return b"<table:table-row" + attrs + b">" + b"".join(cells) + b"</table:table-row>"


def ods_base_rows() -> list[bytes]:
    return [ods_row([ods_text("日期"), ods_text("活动名称"), ods_text("参与人次")]),
            ods_row([b'<table:table-cell office:value-type="date" office:date-value="2024-04-03"><text:p>2024-04-03'
                     b"</text:p></table:table-cell>", ods_text("春季健步走"), ods_float(120)]),
            ods_row([ods_text("2024.5.1"), ods_text("读书会"), ods_text("12人")])]


@dataclass
class OdsPlan:
    rows: list[bytes] = field(default_factory=ods_base_rows)
    name: bytes = "活动".encode()
    tables: list[bytes] = field(default_factory=list)
    prolog: bytes = PROLOG
    doctype: bytes = b""
    body: tuple[bytes, bytes] = (b"<office:body><office:spreadsheet>", b"</office:spreadsheet></office:body>")
    mimetype: bytes | None = ODS_MIME
    content: bytes | None = None

    def content_xml(self) -> bytes:
        table = b'<table:table table:name="' + self.name + b'">' + b"".join(self.rows) + b"</table:table>"
        return (self.prolog + self.doctype + b"<office:document-content " + ODS_NS + b' office:version="1.2">'
                + self.body[0] + table + b"".join(self.tables) + self.body[1] + b"</office:document-content>")

    def parts(self) -> list[tuple[str, bytes]]:
        members = [("mimetype", self.mimetype)] if self.mimetype is not None else []
        return members + [("content.xml", self.content if self.content is not None else self.content_xml()),
                          ("META-INF/manifest.xml", MANIFEST)]

    def room(self) -> int:
        """The bytes a feature may still add (see BUDGET)."""
        return max(0, BUDGET - sum(len(content) for _, content in self.parts()))

    def build(self) -> bytes:
        return rezip(self.parts())


REPEATS = ("99999999999", "-1", "abc", "1e9", "0", " 5000", "+1048576", "2147483648", "4294967297", "1048576",
           "0001048576", "16384", "&#49;&#48;&#48;&#48;&#48;&#48;&#48;", "5000 ", "18446744073709551616", "", "3.5")
REPEAT_FORMS = ('{}="{}"', "{}='{}'", '{} = "{}"', '{}=\n"{}"')


def repeat_attr(rng: random.Random, which: str, value: str) -> bytes:
    return b" " + pick(rng, REPEAT_FORMS).format(f"table:number-{which}-repeated", value).encode()


def odsfeat_repeats(rng: random.Random, plan: OdsPlan) -> str:
    rows, columns = pick(rng, REPEATS), pick(rng, REPEATS)
    filled = chance(rng, 0.7)
    cell = ods_float(1) if filled else b"<table:table-cell/>"
    cell = cell.replace(b"<table:table-cell", b"<table:table-cell" + repeat_attr(rng, "columns", columns), 1)
    plan.rows.insert(rng.randint(1, len(plan.rows)), ods_row([cell], repeat_attr(rng, "rows", rows)))
    return f"repeats rows={rows!r} columns={columns!r} {'with' if filled else 'without'} content"


def odsfeat_heavy(rng: random.Random, plan: OdsPlan) -> str:
    """Repeats that stay under the cell limit yet still describe millions of cells."""
    rows, columns = pick(rng, ((3000, 3000), (9999, 999), (100_000, 60), (400_000, 1), (2, 16384)))
    repeated = f'<table:table-cell table:number-columns-repeated="{columns}"'.encode()
    cell = ods_float(7).replace(b"<table:table-cell", repeated, 1)
    plan.rows.append(ods_row([cell], f' table:number-rows-repeated="{rows}"'.encode()))
    return f"{rows} x {columns} repeated cells"


def odsfeat_nesting(rng: random.Random, plan: OdsPlan) -> str:
    inner = b'<table:table table:name="inner">' + b"".join(ods_base_rows()) + b"</table:table>"
    how = pick(rng, ("table-in-cell", "table-in-table", "groups", "deep-groups", "header-rows"))
    if how == "table-in-cell":
        plan.rows.append(ods_row([b"<table:table-cell>" + inner + b"</table:table-cell>"]))
    elif how == "table-in-table":
        plan.rows.append(inner)
    elif how == "groups":
        plan.rows = [b"<table:table-row-group>" + r + b"</table:table-row-group>" for r in plan.rows]
    elif how == "deep-groups":
        depth = at_most(pick(rng, (100, 10_000)), len(b"<table:table-row-group></table:table-row-group>"), plan.room())
        plan.rows = [b"<table:table-row-group>" * depth] + plan.rows + [b"</table:table-row-group>" * depth]
    else:
        plan.rows = [b"<table:table-header-rows>" + plan.rows[0] + b"</table:table-header-rows>"] + plan.rows[1:]
    return f"nesting {how}"


def odsfeat_spans(rng: random.Random, plan: OdsPlan) -> str:
    rows, columns = pick(rng, REPEATS), pick(rng, REPEATS)
    cell = (f'<table:table-cell table:number-columns-spanned="{columns}" table:number-rows-spanned="{rows}" '
            'office:value-type="string"><text:p>合并</text:p></table:table-cell>').encode()
    covered = b"<table:covered-table-cell" + repeat_attr(rng, "columns", pick(rng, REPEATS)) + b"/>"
    plan.rows.insert(1, ods_row([cell, covered]))
    return f"span rows={rows!r} columns={columns!r}"


ODS_VALUES = (
    ("float", 'office:value="{}"', ("abc", "1e999", "NaN", "", "-0", "9" * 400)),
    ("date", 'office:date-value="{}"', ("2024-13-45", "9999999-01-01", "", "T", "2024-02-30", "-0001-01-01", "2024")),
    ("time", 'office:time-value="{}"', ("PT999999999H", "P1Y", "", "PT-1S", "PT1.5.5S", "PT99999999999999999999H")),
    ("boolean", 'office:boolean-value="{}"', ("maybe", "", "1", "TRUE")),
    ("currency", 'office:value="{}" office:currency="CNY"', ("abc", "1e400")),
    ("percentage", 'office:value="{}"', ("x", "")),
    ("string", 'office:string-value="{}"', ("x" * 200_000, "")),
    ("void", 'office:value="{}"', ("1",)),
    ("", 'office:value="{}"', ("1",)),
)


def odsfeat_values(rng: random.Random, plan: OdsPlan) -> str:
    kind, attr, values = pick(rng, ODS_VALUES)
    value = pick(rng, fitting(values, plan.room()))
    cell = (f'<table:table-cell office:value-type="{kind}" ' + attr.format(value)
            + "><text:p>x</text:p></table:table-cell>").encode()
    plan.rows.append(ods_row([ods_text("2024-04-01"), ods_text("x"), cell]))
    return f"value-type {kind} with {value[:30]!r}"


def odsfeat_text(rng: random.Random, plan: OdsPlan) -> str:
    """Space runs (`text:s`), tabs and spans inside a paragraph: a reader expanding `text:c` builds that string."""
    count = pick(rng, ("1000000000", "99999999999", "-1", "abc", "65535", "2000000", ""))
    inner = pick(rng, (f'<text:s text:c="{count}"/>', "<text:tab/>" * 1000, "<text:line-break/>",
                       "<text:span>" * 2000 + "x" + "</text:span>" * 2000, f'<text:s text:c="{count}"/>' * 50,
                       "<text:a>link</text:a>", "<text:p>inner</text:p>"))
    plan.rows.append(ods_row([ods_text("2024-04-01"), b'<table:table-cell office:value-type="string"><text:p>a'
                              + inner.encode() + b"b</text:p></table:table-cell>", ods_float(1)]))
    return f"paragraph with {inner[:50]!r}"


def odsfeat_entities(rng: random.Random, plan: OdsPlan) -> str:
    plan.doctype = LAUGHS if chance(rng, 0.5) else pick(rng, fitting(EXTERNAL, plan.room()))
    use = pick(rng, (b"&lol9;", b"&ext;", b"&big;", b"&a;", b"&undefined;"))
    plan.rows.append(ods_row([b'<table:table-cell office:value-type="string"><text:p>' + use
                              + b"</text:p></table:table-cell>"]))
    return f"entities {plan.doctype[:40]!r} using {use!r}"


def odsfeat_bad_text(rng: random.Random, plan: OdsPlan) -> str:
    junk = pick(rng, BAD_TEXT) if chance(rng, 0.5) else pick(rng, ESCAPES).encode()
    where = pick(rng, ("cell", "name", "attribute", "encoding"))
    if where == "cell":
        plan.rows.append(ods_row([ods_text("2024-04-01"), b'<table:table-cell office:value-type="string"><text:p>x'
                                  + junk + b"</text:p></table:table-cell>"]))
    elif where == "name":
        plan.name += junk
    elif where == "attribute":
        plan.rows.append(ods_row([b'<table:table-cell office:value-type="float" office:value="1' + junk + b'"/>']))
    else:
        plan.prolog = pick(rng, (b'<?xml version="1.0" encoding="UTF-16"?>', b'<?xml version="1.0" encoding="bogus"?>'))
    return f"{junk!r} in {where}"


def odsfeat_tables(rng: random.Random, plan: OdsPlan) -> str:
    how = pick(rng, ("duplicate", "empty-name", "no-name", "long-name", "many", "empty-table"))
    table = b"".join(ods_base_rows())
    if how == "duplicate":
        plan.tables.append(b'<table:table table:name="' + plan.name + b'">' + table + b"</table:table>")
    elif how == "empty-name":
        plan.name = b""
    elif how == "no-name":
        plan.tables.append(b"<table:table>" + table + b"</table:table>")
    elif how == "long-name":  # within SMALL, as a duplicate table copies it
        plan.name = "活动".encode() * pick(rng, (100, 10_000))
    elif how == "many":
        count = at_most(300, len(table) + 60, plan.room())
        plan.tables += [f'<table:table table:name="活动{i}">'.encode() + table + b"</table:table>"
                        for i in range(count)]
    else:
        plan.tables.append('<table:table table:name="慰问"/>'.encode())
    return f"tables {how}"


def odsfeat_structure(rng: random.Random, plan: OdsPlan) -> str:
    how = pick(rng, ("no-body", "no-spreadsheet", "two-spreadsheets", "no-mimetype", "wrong-mimetype", "truncated",
                     "random-content", "empty-content"))
    if how == "no-body":
        plan.body = (b"", b"")
    elif how == "no-spreadsheet":
        plan.body = (b"<office:body><office:text>", b"</office:text></office:body>")
    elif how == "two-spreadsheets":
        plan.body = (plan.body[0], plan.body[1] + plan.body[0] + b"".join(ods_base_rows()) + plan.body[1])
    elif how == "no-mimetype":
        plan.mimetype = None
    elif how == "wrong-mimetype":
        plan.mimetype = pick(rng, (b"application/vnd.oasis.opendocument.text", b"", b"x" * 10_000))
    elif how == "truncated":
        xml = plan.content_xml()
        plan.content = xml[: rng.randint(0, len(xml))]
    elif how == "random-content":
        plan.content = noise(rng, 3000)
    else:
        plan.content = b""
    return f"structure {how}"


ODS_FEATURES = (odsfeat_repeats, odsfeat_repeats, odsfeat_repeats, odsfeat_nesting, odsfeat_spans,
                odsfeat_values, odsfeat_values, odsfeat_text, odsfeat_entities, odsfeat_bad_text, odsfeat_tables,
                odsfeat_structure)


def gen_ods(rng: random.Random) -> Case:
    """A small valid .ods given one to three hostile features in its content.xml or package; now and then
    also millions of repeated cells within the limits, which cost seconds each."""
    plan = OdsPlan()
    told = [feature(rng, plan) for feature in (pick(rng, ODS_FEATURES) for _ in range(rng.randint(1, 3)))]
    if chance(rng, 0.04):
        told.append(odsfeat_heavy(rng, plan))
    return Case("二季度.ods", plan.build(), "ods/" + "; ".join(told))


# ---------------------------------------------------------------------------------------------------------------
# .xls: BIFF records, mutated and rewrapped

def biff_stream(data: bytes) -> bytes:
    import olefile

    with olefile.OleFileIO(data) as ole:
        return ole.openstream("Workbook").read()


def ole_wrap(biff: bytes) -> bytes:
    """A compound document holding `biff` as its Workbook stream, as xlwt writes one."""
    from xlwt.CompoundDoc import XlsDoc

    buffer = io.BytesIO()
    XlsDoc().save(buffer, biff)
    return buffer.getvalue()


def records(biff: bytes) -> list[tuple[int, bytes]]:
    out, position = [], 0
    while position + 4 <= len(biff):
        kind, length = struct.unpack_from("<HH", biff, position)
        out.append((kind, biff[position + 4 : position + 4 + length]))
        position += 4 + length
    return out


def unrecords(items: list[tuple[int, bytes]], fix_offsets: bool = True) -> bytes:
    """BIFF from records; with `fix_offsets`, each BOUNDSHEET points at its sheet's BOF again after edits."""
    def pack(items):
        return b"".join(struct.pack("<HH", k & 0xFFFF, len(b) & 0xFFFF) + b for k, b in items)

    if not fix_offsets:
        return pack(items)
    positions, position = [], 0
    for kind, body in items:
        if kind == 0x0809 and position:
            positions.append(position)
        position += 4 + len(body)
    fixed, sheet = [], 0
    for kind, body in items:
        if kind == 0x0085 and len(body) >= 4 and sheet < len(positions):
            body = struct.pack("<I", positions[sheet]) + body[4:]
            sheet += 1
        fixed.append((kind, body))
    return pack(fixed)


def cell_record(rng: random.Random) -> tuple[int, bytes]:
    row, column = pick(rng, (0, 3, 255, 65535, 65534)), pick(rng, (0, 2, 255, 256, 16383, 65535))
    kind = pick(rng, ("number", "labelsst", "mulrk", "blank", "rk", "formula", "biff2", "label", "boolerr"))
    if kind == "number":
        return 0x0203, struct.pack("<HHHd", row, column, 0, pick(rng, (1e308, float("nan"), -1.0, 45383.0, 1e20)))
    if kind == "labelsst":
        return 0x00FD, struct.pack("<HHHI", row, column, 0, pick(rng, (0, 1, 999, 0xFFFFFFFF)))
    if kind == "mulrk":
        count = pick(rng, (1, 100, 1300))
        return 0x00BD, struct.pack("<HH", row, column) + struct.pack("<HI", 0, 2) * count + struct.pack(
            "<H", pick(rng, (0, column + count - 1, 0xFFFF)) & 0xFFFF)
    if kind == "blank":
        return 0x0201, struct.pack("<HHH", row, column, 0)
    if kind == "rk":
        return 0x027E, struct.pack("<HHHI", row, column, 0, rng.getrandbits(32))
    if kind == "formula":
        return 0x0006, struct.pack("<HHHdHI", row, column, 0, 1.0, 0, 0) + noise(rng, rng.randint(0, 40))
    if kind == "label":
        text = pick(rng, ("活动".encode("utf-16-le"), b"x" * 300))
        return 0x0204, struct.pack("<HHHHB", row, column, 0, pick(rng, (len(text) // 2, 0xFFFF)), 1) + text
    if kind == "boolerr":
        return 0x0205, struct.pack("<HHHBB", row, column, 0, pick(rng, (0, 1, 7, 255)), pick(rng, (0, 1, 2)))
    return pick(rng, (0x0003, 0x0002, 0x0004)), struct.pack("<HH", row, column) + b"\0\0\0" + struct.pack("<d", 1.0)


def structure_record(rng: random.Random) -> tuple[int, bytes]:
    kind = pick(rng, ("dimensions", "merged", "sst", "row", "bof", "eof", "continue", "boundsheet", "random"))
    if kind == "dimensions":
        return 0x0200, struct.pack("<IIHHH", 0, pick(rng, (65536, 0xFFFFFFFF, 1 << 20)), 0, pick(rng, (256, 0xFFFF)), 0)
    if kind == "merged":
        ranges = [struct.pack("<HHHH", pick(rng, (0, 3, 65535)), pick(rng, (0, 65535, 2)), pick(rng, (0, 255)),
                              pick(rng, (0, 255, 65535))) for _ in range(rng.randint(1, 50))]
        return 0x00E5, struct.pack("<H", pick(rng, (len(ranges), 0xFFFF))) + b"".join(ranges)
    if kind == "sst":
        strings = b"".join(struct.pack("<HB", pick(rng, (3, 0xFFFF)), pick(rng, (0, 1, 8, 0xFF))) + b"abc"
                           for _ in range(3))
        return 0x00FC, struct.pack("<II", pick(rng, (3, 0xFFFFFFFF)), pick(rng, (3, 0x7FFFFFFF))) + strings
    if kind == "row":
        return 0x0208, struct.pack("<HHHHHHI", 65535, 0, 0xFFFF, 0, 0, 0, 0)
    if kind == "bof":
        version, kind = pick(rng, (0x0600, 0x0500, 0x0200, 0xFFFF)), pick(rng, (0x10, 0x20, 0x05, 0x40, 0x99))
        return 0x0809, struct.pack("<HHHHII", version, kind, 0, 0, 0, 0)
    if kind == "eof":
        return 0x000A, b""
    if kind == "continue":
        return 0x003C, noise(rng, rng.randint(0, 8000))
    if kind == "boundsheet":
        name = "活动".encode("utf-16-le")
        return 0x0085, struct.pack("<IBBBB", pick(rng, (0, 0xFFFFFFFF, 100)), 0, 0, pick(rng, (2, 255)), 1) + name
    return rng.getrandbits(16), noise(rng, rng.randint(0, 300))


def gen_xls(rng: random.Random) -> Case:
    """A workbook written by xlwt with records dropped, duplicated, cut, lengthened, reordered or invented."""
    name = pick(rng, list(xls_seeds()))
    items = records(biff_stream(xls_seeds()[name]))
    told = []
    for _ in range(rng.randint(1, 5)):
        op = pick(rng, ("cell", "structure", "drop", "duplicate", "cut", "extend", "swap", "field"))
        index = rng.randrange(len(items))
        kind, body = items[index]
        if op == "cell":
            items.insert(max(1, rng.randint(len(items) // 2, len(items) - 1)), cell_record(rng))
        elif op == "structure":
            items.insert(rng.randint(1, len(items) - 1), structure_record(rng))
        elif op == "drop":
            del items[index]
        elif op == "duplicate":
            items.insert(index, items[index])
        elif op == "cut":
            items[index] = (kind, body[: rng.randint(0, len(body))])
        elif op == "extend":
            items[index] = (kind, body + noise(rng, rng.randint(1, 200)))
        elif op == "swap":
            other = rng.randrange(len(items))
            items[index], items[other] = items[other], items[index]
        elif body:
            at = rng.randrange(len(body))
            byte = bytes([pick(rng, (0, 0xFF, 0x7F, 0x80, rng.getrandbits(8)))])
            items[index] = (kind, body[:at] + byte + body[at + 1 :])
        told.append(f"{op} 0x{kind:04X}")
        if not items:
            items = [(0x0809, b"")]
    fix = chance(rng, 0.8)
    biff = unrecords(items, fix)
    if chance(rng, 0.15):
        biff = biff[: rng.randint(0, len(biff))]
        told.append("stream cut")
    return Case(name, ole_wrap(biff), f"xls/{'; '.join(told)}{'' if fix else ' (sheet offsets stale)'} in {name}")


# ---------------------------------------------------------------------------------------------------------------
# Files that are not workbooks, under a workbook's name

def gen_not_workbook(rng: random.Random) -> Case:
    text = "日期,活动名称,参与人次\n2024-04-01,春游,30\n"
    data = pick(rng, (
        b"", b"\0", b"PK", b"PK\x03\x04", b"PK\x05\x06" + b"\0" * 18, noise(rng, pick(rng, (1, 7, 512, 4096, 100_000))),
        text.encode(), text.encode("gb18030"), text.encode("utf-16"), b"\xef\xbb\xbf" + text.encode(),
        b"<html><body><table><tr><td>\xe6\x97\xa5\xe6\x9c\x9f</td></tr></table></body></html>",
        b"%PDF-1.7\n" + noise(rng, 500),
        b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + noise(rng, 2000), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
        ole_wrap(b""), ole_wrap(noise(rng, 3000)), ole_wrap(b"\x09\x08\x10\x00" + b"\0" * 16),
        xls_seeds()["minimal.xls"].replace("Workbook".encode("utf-16-le"), "Workbooc".encode("utf-16-le")),
        xls_seeds()["minimal.xls"] + "EncryptedPackage".encode("utf-16-le"),
        rezip([("word/document.xml", b"<w/>")]), rezip([("xl/workbook.bin", b"\0" * 100)]), rezip([]),
        rezip([("a.txt", b"hello")]), b"\x1f\x8b\x08\x00" + noise(rng, 300), b"Rar!\x1a\x07\x00" + noise(rng, 300),
        b"7z\xbc\xaf\x27\x1c" + noise(rng, 300), b"\x00\x00\x01\x00" + noise(rng, 300), b" " * 5000, b"\n" * 100,
        ("日期\t活动名称\n" * 2000).encode("utf-16-le"),
    ))
    ext = pick(rng, (".xlsx", ".xls", ".ods", ".xlsm"))
    return Case("二季度" + ext, data, f"not-workbook/{data[:24]!r} ({len(data)} bytes)")


# ---------------------------------------------------------------------------------------------------------------
# Mutated real workbooks

INTERESTING_BYTES = (b"\0", b"\xff", b"\x7f", b"\x80", b"<", b">", b'"', b"&", b"]]>", b"\0\0\0\0", b"\xff\xff\xff\xff",
                     b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", b"9999999", b"-1", b"XFD1048576", b"<!--",
                     b"<![CDATA[")


def mutate(rng: random.Random, data: bytes, donor: bytes = b"") -> tuple[bytes, list[str]]:
    """One to eight byte-level edits: flip, overwrite, insert, delete, duplicate, truncate, splice."""
    data, told = bytearray(data), []
    for _ in range(rng.randint(1, 8)):
        op = pick(rng, ("flip", "flip", "set", "insert", "delete", "duplicate", "truncate", "splice", "swap"))
        at = rng.randrange(len(data) + 1) if data else 0
        if op == "flip" and data:
            at = min(at, len(data) - 1)
            data[at] ^= 1 << rng.randrange(8)
        elif op == "set" and data:
            chunk = pick(rng, INTERESTING_BYTES)
            data[at : at + len(chunk)] = chunk
        elif op == "insert":
            data[at:at] = pick(rng, (pick(rng, INTERESTING_BYTES), noise(rng, rng.randint(1, 64))))
        elif op == "delete":
            del data[at : at + rng.randint(1, 256)]
        elif op == "duplicate":
            size = rng.randint(1, 512)
            data[at:at] = data[at : at + size] * rng.randint(1, 16)
        elif op == "truncate":
            del data[at:]
        elif op == "splice" and donor:
            start = rng.randrange(len(donor))
            data[at : at + rng.randint(0, 300)] = donor[start : start + rng.randint(1, 300)]
        elif op == "swap" and len(data) > 2:
            other = rng.randrange(len(data))
            data[at : at + 16], data[other : other + 16] = data[other : other + 16], data[at : at + 16]
        told.append(f"{op}@{at}")
    return bytes(data), told


def gen_raw_mutation(rng: random.Random) -> Case:
    """A valid workbook of any format with its bytes edited, zip headers and compressed data included."""
    books = list(seeds().items())
    name, data = pick(rng, books)
    mutated, told = mutate(rng, data, pick(rng, books)[1])
    return Case(name, mutated, f"mutated/raw: {' '.join(told)} of {name}")


def gen_member_mutation(rng: random.Random) -> Case:
    """A valid .xlsx or .ods re-zipped after editing the decompressed XML of one or two of its members."""
    name, members = zip_seed(rng)
    told = []
    for _ in range(rng.randint(1, 2)):
        index = pick_member(rng, members)
        member, content = members[index]
        if chance(rng, 0.5):
            content, edits = mutate(rng, content)
        else:
            content, edits = mutate_xml(rng, content)
        members[index] = (member, content)
        told.append(f"{member}: {' '.join(edits)}")
    return Case(name, rezip(members), f"mutated/member: {'; '.join(told)} in {name}")


def pick_member(rng: random.Random, members: list[tuple[str, bytes]]) -> int:
    """Mostly the parts a reader parses: sheets, strings, workbook, relationships, content."""
    parsed = [i for i, (n, _) in enumerate(members) if n.endswith((".xml", ".rels")) and "theme" not in n]
    return pick(rng, parsed) if parsed and chance(rng, 0.9) else rng.randrange(len(members))


def mutate_xml(rng: random.Random, xml: bytes) -> tuple[bytes, list[str]]:
    """Edits that keep the XML looking like XML: numbers made huge, tags dropped or doubled, attributes changed."""
    told = []
    for _ in range(rng.randint(1, 4)):
        op = pick(rng, ("number", "drop-tag", "double-tag", "attribute", "close-early"))
        tags = [m.span() for m in re.finditer(rb"<[^<>]{1,200}>", xml)]
        numbers = [m.span() for m in re.finditer(rb"\d+", xml)]
        if op == "number" and numbers:
            start, end = pick(rng, numbers)
            huge = pick(rng, (b"0", b"1048576", b"99999999999", b"-1", b"16384", b"4294967296", b"1e308"))
            xml = xml[:start] + huge + xml[end:]
        elif op == "drop-tag" and tags:
            start, end = pick(rng, tags)
            xml = xml[:start] + xml[end:]
        elif op == "double-tag" and tags:
            start, end = pick(rng, tags)
            copies = max(2, at_most(rng.randint(2, 200), end - start, 16 << 10))  # at most 16 KB more
            xml = xml[:start] + xml[start:end] * copies + xml[end:]
        elif op == "attribute":
            values = [m.span(1) for m in re.finditer(rb'="([^"]*)"', xml)]
            if values:
                start, end = pick(rng, values)
                xml = xml[:start] + pick(rng, (b"", b"XFD1048576", b"A99999999999", b"-1", b"x" * 5000, b"&#0;",
                                               b"../../x", b"99999999999")) + xml[end:]
        elif op == "close-early" and tags:
            start, _ = pick(rng, tags)
            xml = xml[:start]
        told.append(op)
    return xml, told


def gen_swapped_extension(rng: random.Random) -> Case:
    """A valid or hostile file under another supported extension, another case, or none at all."""
    inner = pick(rng, (lambda r: Case(*pick(r, list(seeds().items())), "seed"), gen_sheet_xml, gen_ods, gen_xls,
                       gen_raw_mutation))(rng)
    ext = pick(rng, (".xlsx", ".xlsm", ".xls", ".ods", ".XLSX", ".Xls", ".ODS", "", ".xlsx.xls", ".csv", ".et",
                     ".xlsb"))
    return Case(Path(inner.name).stem + ext, inner.data, f"swapped/{inner.name} as {ext or '(none)'}: {inner.how}")


# ---------------------------------------------------------------------------------------------------------------
# Families, for the tests and the bench

FAMILIES: dict[str, tuple[tuple[int, Callable[[random.Random], Case]], ...]] = {
    "zip": ((3, gen_junk_around), (4, gen_lying_headers), (3, gen_broken_directory), (3, gen_duplicate_members),
            (2, gen_huge_declared), (2, gen_deflate_bomb), (2, gen_stored_random), (3, gen_missing_parts),
            (3, gen_bad_rels), (2, gen_zip64), (2, gen_odd_compression), (2, gen_odd_names)),
    "sheet-xml": ((1, gen_sheet_xml),),
    "ods": ((1, gen_ods),),
    "xls": ((1, gen_xls),),
    "not-workbook": ((1, gen_not_workbook),),
    "mutated": ((3, gen_raw_mutation), (3, gen_member_mutation), (1, gen_swapped_extension)),
}
FAMILY_WEIGHTS = {"zip": 20, "sheet-xml": 25, "ods": 15, "xls": 12, "not-workbook": 3, "mutated": 25}


def generate(rng: random.Random, family: str | None = None) -> Case:
    """One hostile file: from `family`, or from any family by weight."""
    if family is None:
        family = weighted(rng, [(w, f) for f, w in FAMILY_WEIGHTS.items()])
    return weighted(rng, FAMILIES[family])(rng)


def weighted(rng: random.Random, options):
    """One of (weight, option) pairs. Not `rng.choices`: under hypothesis's random it makes most examples invalid."""
    draw = rng.randrange(sum(w for w, _ in options))
    for weight, option in options:
        if draw < weight:
            return option
        draw -= weight
    raise AssertionError("unreachable")


def batch(seed: int | str, count: int, start: int = 0) -> Iterator[tuple[int, Case]]:
    """Cases `start` .. `start + count - 1` of run `seed`; case i is the same whatever the count."""
    for i in range(start, start + count):
        yield i, generate(random.Random(f"{seed}:{i}"))


def cases(*families: str):
    """A hypothesis strategy of Cases from the given families (all when none), driven by hypothesis's random."""
    from hypothesis import strategies as st

    chosen = families or tuple(FAMILIES)
    return st.builds(lambda family, rng: generate(rng, family), st.sampled_from(chosen),
                     st.randoms(use_true_random=False, note_method_calls=False))


# ---------------------------------------------------------------------------------------------------------------
# Minimal reproducers of failures the fuzzer found (see tests/test_fuzz.py, test_regression_*)

def negative_date_serial() -> bytes:
    """A date-formatted cell holding -1e12: python-calamine panics ("TimeDelta::milliseconds out of bounds") in
    `to_python`, and a PanicException is a BaseException, which `except Exception` does not catch."""
    plan = Plan()
    plan.rows.append(b'<row r="4"><c r="A4" s="1"><v>-1e12</v></c></row>')
    return plan.build()


def short_boundsheet_xls() -> bytes:
    """An .xls whose BOUNDSHEET record is cut to 4 bytes: python-calamine panics opening it
    ("index out of bounds: the len is 4 but the index is 4")."""
    items = records(biff_stream(seeds()["minimal.xls"]))
    index = next(i for i, (kind, _) in enumerate(items) if kind == 0x0085)
    items[index] = (0x0085, items[index][1][:4])
    return ole_wrap(unrecords(items))


def spaced_cell_reference(ref: str = "Z450000", form: str = 'r = "{}"') -> bytes:
    """A cell whose reference is written `r = "Z450000"` (or after a newline): legal XML that the quick scan for
    unusual references (` r="`) does not see, so the grid limits are never applied."""
    plan = Plan()
    plan.rows.append(b'<row r="9"><c ' + form.format(ref).encode() + b' t="inlineStr"><is><t>x</t></is></c></row>')
    return plan.build()


def char_ref_repeat_ods(rows: int = 1_048_577, columns: int = 1) -> bytes:
    """An .ods row repeated `rows` times, the count written as character references (`&#49;&#48;...`): the
    repeat scan looks for digits, the XML parser reads the number."""
    plan = OdsPlan()
    count = "".join(f"&#{ord(digit)};" for digit in str(rows)).encode()
    cell = ods_text("x").replace(b"<table:table-cell", f'<table:table-cell table:number-columns-repeated="{columns}"'
                                 .encode(), 1)
    plan.rows.append(b'<table:table-row table:number-rows-repeated="' + count + b'">' + cell + b"</table:table-row>")
    return plan.build()


def ods_space_run(count: int = 1_000_000_000) -> bytes:
    """A 1.5 KB .ods whose paragraph holds `<text:s text:c="1000000000"/>`: the reader builds a string of a
    billion spaces (about 35 s and gigabytes in the child), unscreened."""
    plan = OdsPlan()
    plan.rows.append(ods_row([ods_text("2024-04-01"), f'<table:table-cell office:value-type="string"><text:p>a'
                              f'<text:s text:c="{count}"/>b</text:p></table:table-cell>'.encode(), ods_float(1)]))
    return plan.build()


def repeated_bad_rows_ods(rows: int = 400_000) -> bytes:
    """A 1.6 KB .ods, within every limit, whose one repeated row is a wrong date: `rows` row errors, which cost
    about 20 s to build."""
    plan = OdsPlan()
    plan.rows.append(ods_row([ods_float(7)], f' table:number-rows-repeated="{rows}"'.encode()))
    return plan.build()

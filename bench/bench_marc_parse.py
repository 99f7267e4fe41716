"""How fast `shuxiang.catalog.marc.read` parses and maps CNMARC, beside pymarc's bare reader.

Writes N synthetic Chinese CNMARC records (GBK or UTF-8, leader/09 blank as suppliers
write them) to a temporary file, one at a time, then times pymarc's MARCReader over the
file (records only, no mapping) and `marc.read` (records mapped to BibData), and prints
records/s, their ratio and the peak RSS after each step. No Django.

.venv/bin/python bench/bench_marc_parse.py --records 100000 --encoding gbk
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shuxiang.catalog import marc  # noqa: E402  (after the path is set)

HAN = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能"
    "下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加"
    "量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与"
    "关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者"
)
ROLES = ["著", "编", "主编", "译", "绘", "编著"]
PUBLISHERS = ["人民文学出版社", "少年儿童出版社", "中华书局", "人民教育出版社", "接力出版社"]
PLACES = ["北京", "上海", "南宁", "长沙", "杭州"]
CLASSES = ["I287.5", "I247.5", "K209", "G624.203", "Q95-49", "I561.84", "H194.1"]


def words(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(HAN) for _ in range(rng.randint(low, high)))


def iso2709(fields: list[tuple[str, str | list[tuple[str, str]]]], encoding: str) -> bytes:
    """One record: control fields as text, data fields as [(code, value)] after "  "."""
    directory, data, offset = b"", b"", 0
    for tag, value in fields:
        if isinstance(value, str):
            body = value.encode(encoding)
        else:
            body = b"  " + b"".join(b"\x1f" + c.encode() + v.encode(encoding) for c, v in value)
        body += b"\x1e"
        directory += b"%s%04d%05d" % (tag.encode(), len(body), offset)
        data += body
        offset += len(body)
    directory += b"\x1e"
    base = 24 + len(directory)
    leader = b"%05dnam0 22%05d   450 " % (base + len(data) + 1, base)
    return leader + directory + data + b"\x1d"


def record(rng: random.Random, number: int, encoding: str) -> bytes:
    author = words(rng, 2, 3)
    role = rng.choice(ROLES)
    class_number = rng.choice(CLASSES)
    year = rng.randint(1990, 2025)
    fields: list[tuple[str, str | list[tuple[str, str]]]] = [
        ("001", f"0120{year}{number:06d}"),
        ("005", f"{year}0223105436.6"),
        ("010", [("a", f"978-7-{rng.randint(100, 999)}-{rng.randint(10000, 99999)}-X"),
                 ("d", f"CNY{rng.randint(10, 99)}.{rng.randint(0, 99):02d}")]),
        ("100", [("a", f"{year}0725d{year}    em y0chiy0110    ea")]),
        ("101", [("a", "chi")]),
        ("102", [("a", "CN"), ("b", "110000")]),
        ("105", [("a", "y   z   000yy")]),
        ("106", [("a", "r")]),
        ("200", [("a", words(rng, 3, 12)), ("9", "pin yin"), ("e", words(rng, 0, 6)),
                 ("f", f"{author}{role}"), ("g", f"{words(rng, 2, 3)}绘")]),
        ("205", [("a", f"{rng.randint(1, 5)}版")]),
        ("210", [("a", rng.choice(PLACES)), ("c", rng.choice(PUBLISHERS)),
                 ("d", f"{year}.{rng.randint(1, 12):02d}")]),
        ("215", [("a", f"{rng.randint(50, 600)}页"), ("c", "图"), ("d", "21cm")]),
        ("225", [("a", words(rng, 4, 8) + "丛书")]),
        ("330", [("a", words(rng, 40, 120))]),
        ("606", [("a", words(rng, 2, 4)), ("x", words(rng, 2, 4)), ("j", "通俗读物")]),
        ("690", [("a", class_number), ("v", "5")]),
        ("701", [("a", author), ("9", "zhang san"), ("4", role)]),
        ("702", [("a", words(rng, 2, 3)), ("4", "绘")]),
        ("801", [("a", "CN"), ("b", "91MARC"), ("c", f"{year}0106")]),
    ]  # fmt: skip
    for copy in range(rng.randint(1, 3)):
        fields.append(("905", [("a", "XX"), ("b", f"{number:07d}{copy}"), ("d", class_number),
                               ("e", str(rng.randint(1, 300)))]))  # fmt: skip
    return iso2709(fields, encoding)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--encoding", choices=["gbk", "utf-8"], default="gbk")
    args = parser.parse_args()
    import pymarc

    rng = random.Random(2709)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bench.iso"
        with path.open("wb") as out:
            for number in range(args.records):
                out.write(record(rng, number, args.encoding))
        size = path.stat().st_size
        print(f"{args.records:,} {args.encoding} CNMARC records, {size / 1e6:.1f} MB")
        print(f"peak RSS after writing: {peak_rss_mb():.0f} MB")

        started = time.perf_counter()
        good = bad = 0
        with path.open("rb") as stream:
            for result in marc.read(stream):
                good += result.error is None
                bad += result.error is not None
        ours = args.records / (time.perf_counter() - started)
        print(f"marc.read (parse + map): {ours:,.0f} records/s ({good:,} good, {bad} bad)")
        print(f"peak RSS after marc.read: {peak_rss_mb():.0f} MB")

        options = {"force_utf8": True} if args.encoding == "utf-8" else {"file_encoding": "gb18030"}
        started = time.perf_counter()
        count = 0
        with path.open("rb") as stream:
            for item in pymarc.MARCReader(stream, **options):
                count += item is not None
        theirs = args.records / (time.perf_counter() - started)
        print(f"pymarc MARCReader (parse only): {theirs:,.0f} records/s ({count:,} records)")
        print(f"peak RSS after pymarc: {peak_rss_mb():.0f} MB")
        print(f"ratio marc.read / pymarc: {ours / theirs:.1f}x")


if __name__ == "__main__":
    main()

"""Chinese catalogue search with one design and two backends.

Each record keeps a `search_text`: every CJK character as its own token, the pinyin
of the title and the authors (syllables, joined, and initials), ISBN-13 and ISBN-10,
and the class number. A query becomes phrases of single characters for Chinese runs
("红楼梦" -> "红 楼 梦") and prefix terms for latin words ("xyj" -> xyj*), so 2-character
words, pinyin and pinyin initials are all found at index speed:

- SQLite: an FTS5 table over `search_text`, kept in step by triggers (migration 0002);
- PostgreSQL: a GIN index over to_tsvector('simple', search_text).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.db import connection

from shuxiang.lib.isbn import to_isbn10
from shuxiang.lib.pinyin import syllables

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN_WORD = re.compile(r"[0-9a-z]+")


def _fold(text: str) -> str:
    """Full-width latin and digits to half-width, lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def _cjk_tokens(text: str) -> str:
    return " ".join(" ".join(run) for run in CJK_RUN.findall(text))


def _pinyin_tokens(text: str, *, words: bool = False) -> str:
    """Syllables, all of them joined, and the initials; with `words`, also every run of two
    and three syllables joined, so that "konglong" finds 大恐龙 and "xiyou" 大话西游."""
    found = syllables(text)
    if not found:
        return ""
    tokens = [*found, "".join(found), "".join(s[0] for s in found)]
    if words:
        for size in (2, 3):
            tokens += ["".join(found[i : i + size]) for i in range(1, len(found) - size + 1)]
    return " ".join(tokens)


def build_search_text(
    *,
    title: str,
    other_title: str = "",
    series: str = "",
    authors: Iterable[str] = (),
    publisher: str = "",
    subjects: Iterable[str] = (),
    isbns: Iterable[str] = (),
    class_number: str = "",
) -> str:
    """The text a record is indexed by (see the module docstring)."""
    authors = list(authors)
    words = " ".join([title, other_title, series, publisher, *authors, *subjects])
    parts = [
        _cjk_tokens(_fold(words)),
        " ".join(LATIN_WORD.findall(_fold(words))),
        _pinyin_tokens(title, words=True),
        " ".join(_pinyin_tokens(a) for a in authors),
        " ".join(f"{i} {to_isbn10(i) or ''}".lower() for i in isbns),
        class_number.lower().replace(".", ""),
    ]
    return " ".join(p for p in " ".join(parts).split() if p)


def _terms(query: str) -> tuple[list[str], list[str]]:
    """(phrases of CJK characters, latin prefix words) of a user's query."""
    folded = _fold(query)
    phrases = [" ".join(run) for run in CJK_RUN.findall(folded)]
    words = LATIN_WORD.findall(CJK_RUN.sub(" ", folded).replace(".", ""))
    return phrases, words


def _fts5_query(phrases: list[str], words: list[str]) -> str:
    return " ".join([f'"{p}"' for p in phrases] + [f'"{w}"*' for w in words])


def _tsquery(phrases: list[str], words: list[str]) -> str:
    parts = [" <-> ".join(p.split()) for p in phrases] + [f"{w}:*" for w in words]
    return " & ".join(f"({p})" for p in parts)


def record_ids(query: str, *, limit: int = 1000) -> list[int]:
    """Ids of the records matching `query`, best first; [] for a query with no terms."""
    phrases, words = _terms(query)
    if not phrases and not words:
        return []
    # A record whose title is the query itself comes first, whatever else matched.
    title = query.strip()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT catalog_record_fts.rowid FROM catalog_record_fts "
                "JOIN catalog_record ON catalog_record.id = catalog_record_fts.rowid "
                "WHERE catalog_record_fts MATCH %s "
                "ORDER BY catalog_record.title = %s DESC, bm25(catalog_record_fts) LIMIT %s",
                [_fts5_query(phrases, words), title, limit],
            )
        else:
            cursor.execute(
                "SELECT id FROM catalog_record "
                "WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', %s) "
                "ORDER BY title = %s DESC, ts_rank(to_tsvector('simple', search_text), "
                "to_tsquery('simple', %s)) DESC, id LIMIT %s",
                [_tsquery(phrases, words), title, _tsquery(phrases, words), limit],
            )
        return [row[0] for row in cursor.fetchall()]


def rebuild_index() -> None:
    """Rebuild the SQLite index from the records (PostgreSQL's index needs no rebuild)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO catalog_record_fts(catalog_record_fts) VALUES('rebuild')")

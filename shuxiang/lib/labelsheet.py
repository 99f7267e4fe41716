"""Things printed on A4 sheets of labels or cards, measured in millimetres.

Pure: a sheet layout (a grid of labels), the placement of labels on sheets with a
start position to reuse a half-used sheet, and Code128 barcodes as inline SVG. Spine
labels, barcode labels and library cards all use it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from barcode import Code128
from barcode.writer import SVGWriter

A4_WIDTH, A4_HEIGHT = 210.0, 297.0
T = TypeVar("T")


class LabelError(ValueError):
    """The layout does not fit on A4 or is not a grid; the message says why."""


@dataclass(frozen=True)
class Layout:
    key: str
    name: str
    columns: int
    rows: int
    width: float  # of one label, mm
    height: float
    top: float  # margin to the first row, mm
    left: float
    column_gap: float = 0.0
    row_gap: float = 0.0

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def check(self) -> Layout:
        if not (1 <= self.columns <= 20 and 1 <= self.rows <= 40):
            raise LabelError("每页列数应为 1–20，行数应为 1–40")
        if min(self.width, self.height) <= 5:
            raise LabelError("标签的宽和高都应大于 5 毫米")
        if min(self.top, self.left, self.column_gap, self.row_gap) < 0:
            raise LabelError("边距和间距不能为负数")
        right = self.left + self.columns * self.width + (self.columns - 1) * self.column_gap
        bottom = self.top + self.rows * self.height + (self.rows - 1) * self.row_gap
        if right > A4_WIDTH + 0.01:
            raise LabelError(f"标签横向共 {right:.1f} 毫米，超出 A4 纸宽 210 毫米")
        if bottom > A4_HEIGHT + 0.01:
            raise LabelError(f"标签纵向共 {bottom:.1f} 毫米，超出 A4 纸高 297 毫米")
        return self

    def position(self, slot: int) -> tuple[float, float]:
        """(left, top) in mm of slot 0..per_sheet-1, filled row by row."""
        row, column = divmod(slot, self.columns)
        return (
            round(self.left + column * (self.width + self.column_gap), 2),
            round(self.top + row * (self.height + self.row_gap), 2),
        )


def custom_layout(
    *,
    columns: int,
    rows: int,
    width: float,
    height: float,
    top: float,
    left: float,
    column_gap: float = 0.0,
    row_gap: float = 0.0,
) -> Layout:
    return Layout(
        "custom", "自定义", columns, rows, width, height, top, left, column_gap, row_gap
    ).check()


def sheets(
    labels: Sequence[T],
    layout: Layout,
    *,
    start: int = 1,
) -> list[list[tuple[float, float, T]]]:
    """The labels placed on sheets: [[(left_mm, top_mm, label), ...], ...].

    `start` is the 1-based slot of the first label on the first sheet, so the used
    labels of a half-used sheet are skipped.
    """
    if not 1 <= start <= layout.per_sheet:
        raise LabelError(f"起始位置应在 1 到 {layout.per_sheet} 之间")
    pages: list[list[tuple[float, float, T]]] = []
    slot = start - 1
    page: list[tuple[float, float, T]] = []
    for label in labels:
        if slot == layout.per_sheet:
            pages.append(page)
            page, slot = [], 0
        left, top = layout.position(slot)
        page.append((left, top, label))
        slot += 1
    if page:
        pages.append(page)
    return pages


_SVG_HEADER = re.compile(r"^.*?(<svg)", re.S)


def barcode_svg(code: str, *, height_mm: float = 9.0, module_mm: float = 0.25) -> str:
    """Code128 of `code` as an inline <svg> (no XML prologue), sized in mm."""
    buffer = io.BytesIO()
    Code128(code, writer=SVGWriter()).write(
        buffer,
        options={
            "module_width": module_mm,
            "module_height": height_mm,
            "quiet_zone": 2.0,
            "write_text": False,
            "background": "white",
            "foreground": "black",
        },
    )
    return _SVG_HEADER.sub(r"\1", buffer.getvalue().decode("utf-8"), count=1)

"""The registers a school library keeps (登记帐): reads for screens, print and Excel.

- 个别登记帐 (individual register): a line per volume in accession-number order;
- 总括登记帐 (summary register): a line per accession batch with running totals and the
  volumes by the five main categories of CLC (五大部类);
- 分类帐 (classified register): holdings and amounts per CLC basic class.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr

from shuxiang.catalog import clc
from shuxiang.catalog.models import AccessionBatch, Item, ItemStatus
from shuxiang.schools.models import School

# The five main categories (五大部类) by the first letter of the class number.
CATEGORIES = [
    ("A", "马列主义、毛泽东思想、邓小平理论"),
    ("B", "哲学、宗教"),
    ("C-K", "社会科学"),
    ("N-X", "自然科学"),
    ("Z", "综合性图书"),
]


def category_of(class_number: str) -> str:
    letter = class_number[:1].upper()
    if letter == "A":
        return "A"
    if letter == "B":
        return "B"
    if "C" <= letter <= "K":
        return "C-K"
    if "N" <= letter <= "X":
        return "N-X"
    if letter == "Z":
        return "Z"
    return ""


def individual(
    school: School,
    *,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    batch: int | None = None,
) -> QuerySet[Item]:
    """个别登记帐 lines: every volume ever registered, withdrawn ones with their date."""
    items = Item.objects.filter(school=school).select_related("record", "batch")
    if since:
        items = items.filter(received_on__gte=since)
    if until:
        items = items.filter(received_on__lte=until)
    if batch:
        items = items.filter(batch__number=batch)
    return items.order_by("accession_number")


def individual_rows(items: QuerySet[Item]) -> Iterator[list]:
    for item in items.iterator(chunk_size=2000):
        record = item.record
        yield [
            item.accession_number,
            item.received_on,
            record.title,
            record.first_author,
            record.publisher,
            item.call_number or record.class_number,
            item.price,
            item.get_source_display(),
            item.batch.number if item.batch else "",
            item.withdrawn_on or "",
        ]


@dataclass
class SummaryLine:
    batch: AccessionBatch
    by_category: dict[str, int]
    total_volumes: int
    total_amount: Decimal


@dataclass
class Summary:
    lines: list[SummaryLine] = field(default_factory=list)
    volumes: int = 0
    amount: Decimal = Decimal("0.00")
    withdrawn_volumes: int = 0
    withdrawn_amount: Decimal = Decimal("0.00")

    @property
    def holding_volumes(self) -> int:
        return self.volumes - self.withdrawn_volumes

    @property
    def holding_amount(self) -> Decimal:
        return self.amount - self.withdrawn_amount


def summary(school: School, *, year: int | None = None) -> Summary:
    """总括登记帐: batches in order with running totals; withdrawals as the 注销 part."""
    batches = AccessionBatch.objects.filter(school=school).order_by("number")
    if year:
        batches = batches.filter(received_on__year=year)
    per_batch: dict[int, dict[str, int]] = {}
    rows = (
        Item.objects.filter(batch__in=batches)
        .annotate(letter=Substr("record__class_number", 1, 1))
        .values("batch", "letter")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        category = category_of(row["letter"] or "")
        counts = per_batch.setdefault(row["batch"], {})
        counts[category] = counts.get(category, 0) + row["n"]
    result = Summary()
    for batch in batches:
        result.volumes += batch.volumes
        result.amount += batch.amount
        result.lines.append(
            SummaryLine(batch, per_batch.get(batch.pk, {}), result.volumes, result.amount)
        )
    withdrawn = Item.objects.filter(school=school, status=ItemStatus.WITHDRAWN)
    if year:
        withdrawn = withdrawn.filter(withdrawn_on__year=year)
    figures = withdrawn.aggregate(n=Count("pk"), amount=Sum("price"))
    result.withdrawn_volumes = figures["n"] or 0
    result.withdrawn_amount = figures["amount"] or Decimal("0.00")
    return result


@dataclass
class ClassLine:
    code: str
    name: str
    titles: int
    volumes: int
    amount: Decimal
    share: float  # of all volumes, in per cent


def classified(school: School) -> tuple[list[ClassLine], ClassLine]:
    """分类帐: the collection (withdrawn copies excepted) per CLC basic class, and the total."""
    rows = (
        Item.objects.filter(school=school)
        .in_collection()
        .annotate(letter=Substr("record__class_number", 1, 1))
        .values("letter")
        .annotate(
            volumes=Count("pk"),
            titles=Count("record", distinct=True),
            amount=Sum("price", default=Decimal("0")),
        )
    )
    by_letter = {(row["letter"] or "").upper(): row for row in rows}
    total_volumes = sum(row["volumes"] for row in by_letter.values()) or 1
    lines = []
    names = clc.load()
    for letter in clc.BASIC_CLASSES:
        row = by_letter.pop(letter, None)
        if row is None:
            lines.append(ClassLine(letter, names.get(letter, ""), 0, 0, Decimal("0.00"), 0.0))
            continue
        lines.append(
            ClassLine(
                letter,
                names.get(letter, ""),
                row["titles"],
                row["volumes"],
                row["amount"],
                100 * row["volumes"] / total_volumes,
            )
        )
    unclassified = [row for row in by_letter.values()]
    if unclassified:
        lines.append(
            ClassLine(
                "—",
                "未分类",
                sum(r["titles"] for r in unclassified),
                sum(r["volumes"] for r in unclassified),
                sum((r["amount"] for r in unclassified), Decimal("0")),
                100 * sum(r["volumes"] for r in unclassified) / total_volumes,
            )
        )
    total = ClassLine(
        "",
        "合计",
        sum(line.titles for line in lines),
        sum(line.volumes for line in lines),
        sum((line.amount for line in lines), Decimal("0")),
        100.0,
    )
    return lines, total


def withdrawn_count(school: School) -> int:
    return Item.objects.filter(school=school).filter(Q(status=ItemStatus.WITHDRAWN)).count()

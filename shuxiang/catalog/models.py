"""The catalogue: records shared by all schools, the copies (items) each school holds,
where they stand, and the accession batches that brought them in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuxiang.schools.models import GradeBand, School


class LocationKind(models.TextChoices):
    STACKS = "stacks", _("Stack room")
    TEACHER_ROOM = "teacher_room", _("Teachers' reference room")
    READING_ROOM = "reading_room", _("Reading room")
    CLASS_CORNER = "class_corner", _("Class book corner")
    OPEN_SHELVES = "open_shelves", _("Open gallery")


class Location(models.Model):
    """馆藏地点: a room or shelf area of one school."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="locations")
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=16, choices=LocationKind.choices)
    teachers_only = models.BooleanField(
        _("teachers only"),
        default=False,
        help_text=_("Items here are lent to teachers only (教师资料室)."),
    )
    lendable = models.BooleanField(
        _("lendable"),
        default=True,
        help_text=_("Reading-room copies are read on the spot, not taken home."),
    )
    label_colour = models.CharField(_("label colour"), max_length=7, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="location_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class MaterialType(models.TextChoices):
    BOOK = "book", _("Book")
    PICTURE_BOOK = "picture_book", _("Picture book")
    PINYIN = "pinyin", _("Pinyin reader")
    REFERENCE = "reference", _("Reference book")
    TEACHING = "teaching", _("Teaching reference")
    PERIODICAL = "periodical", _("Periodical")
    NEWSPAPER = "newspaper", _("Newspaper")
    ELECTRONIC = "electronic", _("Electronic resource")


class Record(models.Model):
    """书目: one edition of a work, shared by every school of the install."""

    title = models.CharField(_("title"), max_length=300)
    other_title = models.CharField(_("other title"), max_length=300, blank=True)
    responsibility = models.CharField(_("statement of responsibility"), max_length=300, blank=True)
    # [{"name": "曹雪芹", "role": "著"}, ...] in the order printed on the title page.
    authors = models.JSONField(_("authors"), default=list, blank=True)
    first_author = models.CharField(_("first author"), max_length=100, blank=True)
    publisher = models.CharField(_("publisher"), max_length=120, blank=True)
    place = models.CharField(_("place of publication"), max_length=60, blank=True)
    date = models.CharField(_("date of publication"), max_length=10, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    edition = models.CharField(_("edition"), max_length=60, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True, db_index=True)
    price = models.DecimalField(_("price"), max_digits=9, decimal_places=2, null=True, blank=True)
    pages = models.CharField(_("pages"), max_length=40, blank=True)
    series = models.CharField(_("series"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=3, default="chi")
    summary = models.TextField(_("summary"), blank=True)
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    class_number = models.CharField(_("class number"), max_length=40, blank=True)
    class_sort = models.CharField(max_length=80, blank=True, db_index=True)
    material_type = models.CharField(
        _("material type"), max_length=16, choices=MaterialType.choices, default=MaterialType.BOOK
    )
    grade_band = models.CharField(
        _("grade band"), max_length=8, choices=GradeBand.choices, blank=True
    )
    title_pinyin = models.CharField(_("title pinyin"), max_length=600, blank=True)
    # What the search indexes (single CJK characters, pinyin, ISBNs); see catalog.search.
    search_text = models.TextField(blank=True)
    # Duplicate check (查重) without an ISBN: normalised title | first author | publisher.
    match_key = models.CharField(max_length=200, blank=True, db_index=True)
    control_number = models.CharField(
        _("source control number"), max_length=40, blank=True, db_index=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["class_sort", "title"]
        verbose_name = _("record")
        verbose_name_plural = _("records")

    def __str__(self) -> str:
        return self.title

    @property
    def authors_display(self) -> str:
        return "；".join(f"{a['name']}{a.get('role', '')}" for a in self.authors)


class Isbn(models.Model):
    """Every ISBN of a record as ISBN-13, so a record is found by any form of any of them."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="isbns")
    isbn13 = models.CharField(max_length=13, db_index=True)

    class Meta:
        verbose_name = _("ISBN")
        verbose_name_plural = _("ISBNs")
        constraints = [
            models.UniqueConstraint(fields=["record", "isbn13"], name="isbn_once_per_record"),
        ]

    def __str__(self) -> str:
        return self.isbn13


class ItemStatus(models.TextChoices):
    AVAILABLE = "available", _("On the shelf")
    ON_LOAN = "on_loan", _("On loan")
    ON_HOLD = "on_hold", _("Held for a reader")
    IN_REPAIR = "in_repair", _("Being repaired")
    LOST = "lost", _("Lost")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    PROCESSING = "processing", _("Being processed")


S = ItemStatus
# The one table of allowed status changes; catalog.services.set_item_status checks it.
ITEM_TRANSITIONS: dict[str, frozenset[str]] = {
    S.PROCESSING: frozenset({S.AVAILABLE, S.WITHDRAWN}),
    S.AVAILABLE: frozenset({S.ON_LOAN, S.ON_HOLD, S.IN_REPAIR, S.LOST, S.WITHDRAWN, S.PROCESSING}),
    S.ON_LOAN: frozenset({S.AVAILABLE, S.ON_HOLD, S.IN_REPAIR, S.LOST}),
    S.ON_HOLD: frozenset({S.AVAILABLE, S.ON_LOAN}),
    S.IN_REPAIR: frozenset({S.AVAILABLE, S.LOST, S.WITHDRAWN}),
    S.LOST: frozenset({S.AVAILABLE, S.WITHDRAWN}),
    S.WITHDRAWN: frozenset(),
}


class ItemSource(models.TextChoices):
    PURCHASE = "purchase", _("Purchase")
    DONATION = "donation", _("Donation")
    TRANSFER = "transfer", _("Transfer")


class AccessionBatch(models.Model):
    """总括登记: one delivery of books, a line of the summary register."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveIntegerField(_("batch number"))
    received_on = models.DateField(_("date received"))
    source = models.CharField(_("source"), max_length=10, choices=ItemSource.choices)
    supplier = models.CharField(_("supplier or donor"), max_length=120, blank=True)
    invoice = models.CharField(_("invoice"), max_length=60, blank=True)
    titles = models.PositiveIntegerField(_("titles"), default=0)
    volumes = models.PositiveIntegerField(_("volumes"), default=0)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("accession batch")
        verbose_name_plural = _("accession batches")
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="batch_number_unique"),
        ]

    def __str__(self) -> str:
        return str(_("Batch %(number)s") % {"number": self.number})


class ItemQuerySet(models.QuerySet["Item"]):
    def in_collection(self) -> ItemQuerySet:
        """Items the school still holds: everything but withdrawn copies."""
        return self.exclude(status=ItemStatus.WITHDRAWN)


class Item(models.Model):
    """复本 / 册: one physical copy, owned by one school."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="items")
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="items")
    barcode = models.CharField(_("barcode"), max_length=32)
    accession_number = models.CharField(_("accession number"), max_length=32)
    call_number = models.CharField(_("call number"), max_length=60, blank=True)
    call_sort = models.CharField(max_length=120, blank=True)
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="items", verbose_name=_("location")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.AVAILABLE
    )
    price = models.DecimalField(_("price"), max_digits=9, decimal_places=2, null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=ItemSource.choices, default=ItemSource.PURCHASE
    )
    batch = models.ForeignKey(
        AccessionBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("accession batch"),
    )
    received_on = models.DateField(_("date received"), null=True, blank=True)
    withdrawn_on = models.DateField(_("date withdrawn"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        # No default ordering: a million-row table is looked up by barcode and record far
        # more than it is listed, and a default ORDER BY can turn SQLite's lookups into
        # scans of the school's shelf order. Lists order explicitly.
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(fields=["school", "barcode"], name="item_barcode_unique"),
            models.UniqueConstraint(
                fields=["school", "accession_number"], name="item_accession_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["school", "call_sort"], name="item_school_call_sort"),
            models.Index(fields=["school", "record"], name="item_school_record"),
            models.Index(fields=["school", "status"], name="item_school_status"),
        ]

    def __str__(self) -> str:
        return f"{self.barcode} {self.record}"


class BookNumberRule(models.TextChoices):
    SEQUENCE = "sequence", _("Title sequence number (种次号)")
    AUTHOR = "author", _("Author mark from pinyin (著者号)")


class CatalogSettings(models.Model):
    """How a school numbers its books."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="catalog_settings")
    book_number_rule = models.CharField(
        _("book number rule"),
        max_length=10,
        choices=BookNumberRule.choices,
        default=BookNumberRule.SEQUENCE,
    )
    barcode_prefix = models.CharField(_("barcode prefix"), max_length=8, blank=True)
    barcode_digits = models.PositiveSmallIntegerField(_("barcode digits"), default=7)
    accession_digits = models.PositiveSmallIntegerField(_("accession number digits"), default=7)

    class Meta:
        verbose_name = _("catalogue settings")
        verbose_name_plural = _("catalogue settings")

    def __str__(self) -> str:
        return str(self.school)


class BookNumberCounter(models.Model):
    """种次号库: the last title sequence number used per class number in a school."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    class_number = models.CharField(max_length=40)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "class_number"], name="book_number_counter_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.class_number}/{self.last}"


class SchoolCounter(models.Model):
    """The last barcode and accession number handed out in a school."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="+")
    last_barcode = models.PositiveIntegerField(default=0)
    last_accession = models.PositiveIntegerField(default=0)
    last_batch = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.school)


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """A file being imported in the background, with its progress.

    Records are stored in chunks, each chunk and the progress figures in one
    transaction: an interrupted job has stored whole chunks only and resumes
    after the last one (`processed`).
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="import_jobs")
    kind = models.CharField(max_length=16, default="marc")
    file_name = models.CharField(_("file"), max_length=200)
    path = models.CharField(max_length=500)
    options = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created_records = models.PositiveIntegerField(default=0)
    merged_records = models.PositiveIntegerField(default=0)
    created_items = models.PositiveIntegerField(default=0)
    skipped_items = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    message = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        return min(100, self.processed * 100 // self.total) if self.total else 0

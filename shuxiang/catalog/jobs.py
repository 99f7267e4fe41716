"""Import jobs: an uploaded file imported in the background, with progress and resume.

The web process saves the file and starts `shuxiang run_import_job ID` as a separate
process, so a large file neither blocks a gunicorn worker nor dies with it. The page
polls the job row for progress. A job interrupted half-way is started again with the
same command and goes on after the last chunk it stored.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shuxiang.catalog import importing, marc, services
from shuxiang.catalog.models import AccessionBatch, ImportJob, JobStatus, Location
from shuxiang.lib.uploads import save_upload

ISO_RECORD_END = b"\x1d"


def imports_dir() -> Path:
    folder = Path(settings.SHUXIANG_HOME) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def count_records(path: Path) -> int:
    """Records in a MARC file, fast: record terminators, or <record elements in MARCXML."""
    count = 0
    with path.open("rb") as stream:
        head = stream.read(64).lstrip()
        stream.seek(0)
        xml = head.startswith(b"<")
        for block in iter(lambda: stream.read(1 << 20), b""):
            count += block.count(b"<record") if xml else block.count(ISO_RECORD_END)
    if xml:
        return count
    return count + (1 if path.stat().st_size and not _ends_with_terminator(path) else 0)


def _ends_with_terminator(path: Path) -> bool:
    with path.open("rb") as stream:
        stream.seek(-1, os.SEEK_END)
        return stream.read(1) == ISO_RECORD_END


def marc_entries(stream: BinaryIO, *, flavour: str, encoding: str) -> Iterator[importing.Entry]:
    for result in marc.read(stream, flavour=flavour, encoding=encoding):
        yield result.position, result.bib, result.error


def create_job(*, by: Any, school: Any, upload: Any, options: dict) -> ImportJob:
    path = save_upload(upload, imports_dir())
    return ImportJob.objects.create(
        school=school,
        kind="marc",
        file_name=Path(upload.name).name[:200],
        path=str(path),
        options=options,
        total=count_records(path),
        created_by=by,
    )


def start(job: ImportJob) -> None:
    """Run the job in a separate process (its output goes to a log beside the file)."""
    log = Path(job.path).with_suffix(".log").open("ab")
    subprocess.Popen(  # noqa: S603 - our own command, with a number
        [sys.executable, "-m", "shuxiang.cli", "run_import_job", str(job.pk)],
        stdout=log,
        stderr=log,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        env=os.environ.copy(),
    )


def options_of(job: ImportJob) -> importing.ImportOptions:
    data = job.options
    batch = AccessionBatch.objects.filter(pk=data["batch"]).first() if data.get("batch") else None
    return importing.ImportOptions(
        location=Location.objects.get(pk=data["location"], school=job.school),
        source=data.get("source", "purchase"),
        material_type=data.get("material_type", "book"),
        copies_if_none=int(data.get("copies_if_none", 0)),
        batch=batch,
        received_on=batch.received_on if batch else None,
    )


def import_batch(school: Any, *, by: Any, source: str, file_name: str) -> AccessionBatch:
    """The accession batch the copies of an imported file join (总括登记)."""
    with transaction.atomic():
        return services.open_batch(
            school,
            by=by,
            received_on=timezone.localdate(),
            source=source,
            note=f"MARC 导入：{file_name}"[:200],
        )


def close_batch(batch: AccessionBatch | None) -> None:
    """Count the batch's copies, or drop it when the file added none."""
    if batch is None:
        return
    with transaction.atomic():
        if batch.items.exists():
            services.refresh_batch_totals(batch)
        else:
            batch.delete()


def run(job: ImportJob) -> ImportJob:
    """Import (or with options["dry_run"], preview) the job's file, resuming after
    the records already stored."""
    job.refresh_from_db()  # the progress stored by an earlier run, not a stale copy's
    dry_run = bool(job.options.get("dry_run"))
    if dry_run:  # a preview counts from the start each time
        ImportJob.objects.filter(pk=job.pk).update(
            processed=0,
            created_records=0,
            merged_records=0,
            created_items=0,
            skipped_items=0,
            errors=[],
        )
        job.refresh_from_db()
    if not dry_run and not job.options.get("batch"):
        batch = import_batch(
            job.school,
            by=job.created_by,
            source=job.options.get("source", "purchase"),
            file_name=job.file_name,
        )
        job.options = {**job.options, "batch": batch.pk}
        ImportJob.objects.filter(pk=job.pk).update(options=job.options)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    errors: list = list(job.errors)
    options = options_of(job)

    def inside(outcome: importing.Outcome) -> None:
        errors.extend(outcome.errors[: max(0, importing.MAX_ERRORS - len(errors))])
        ImportJob.objects.filter(pk=job.pk).update(
            processed=F("processed") + outcome.processed,
            created_records=F("created_records") + outcome.created_records,
            merged_records=F("merged_records") + outcome.merged_records,
            created_items=F("created_items") + outcome.created_items,
            skipped_items=F("skipped_items") + outcome.skipped_items,
            errors=errors,
        )

    def after_dry_chunk(total: importing.Outcome) -> None:
        if dry_run:
            ImportJob.objects.filter(pk=job.pk).update(
                processed=total.processed,
                created_records=total.created_records,
                merged_records=total.merged_records,
                created_items=total.created_items,
                skipped_items=total.skipped_items,
                errors=total.errors,
            )

    try:
        with open(job.path, "rb") as stream:
            entries = marc_entries(
                stream,
                flavour=job.options.get("flavour", "auto"),
                encoding=job.options.get("encoding", "auto"),
            )
            importing.import_bibs(
                entries,
                school=job.school,
                options=options,
                by=job.created_by,
                dry_run=dry_run,
                skip=0 if dry_run else job.processed,
                inside=None if dry_run else inside,
                progress=after_dry_chunk,
            )
    except Exception as exc:  # the job page shows what went wrong; the log has the rest
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message=str(exc)[:300])
        raise
    close_batch(options.batch)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    job.refresh_from_db()
    return job


REFUSAL_SAMPLE = 200


def refusal(path: Path, *, flavour: str, encoding: str) -> str:
    """Why the whole file is refused, or "": its first records decode to garbage (the
    encoding is wrong), or none of them can be read as the format given."""
    with path.open("rb") as stream:
        sample = list(islice(marc.read(stream, flavour=flavour, encoding=encoding), REFUSAL_SAMPLE))
    if not sample:
        return "文件中没有 MARC 记录"
    for result in sample:
        if result.error and "编码" in result.error:  # the reader's encoding refusals
            return result.error
    if all(result.error for result in sample):
        return sample[0].error or "无法读取"
    return ""

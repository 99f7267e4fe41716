from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shuxiang.catalog import jobs
from shuxiang.catalog.models import ImportJob


class Command(BaseCommand):
    help = "Run (or resume) a background import job; started by the import page."

    def add_arguments(self, parser) -> None:
        parser.add_argument("job_id", type=int)

    def handle(self, *args: Any, job_id: int, **options: Any) -> None:
        job = ImportJob.objects.filter(pk=job_id).first()
        if job is None:
            raise CommandError(f"No import job {job_id}.")
        job = jobs.run(job)
        self.stdout.write(
            f"{job.file_name}: {job.processed} records, {job.created_records} "
            f"new, {job.merged_records} merged, {job.created_items} copies"
        )

"""The background import really runs in a process of its own: `jobs.start` launches
`shuxiang run_import_job`, which imports the file into the database the server uses."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import os, time
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuxiang.settings")
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from shuxiang.catalog import jobs, marc
    from shuxiang.catalog.bibdata import BibData, Holding
    from shuxiang.catalog.models import ImportJob, Item, Location
    from shuxiang.schools.models import School
    school = School.objects.create(code="p", name="P")
    location = Location.objects.create(school=school, code="stacks", name="藏书室", kind="stacks")
    data = b"".join(marc.write_cnmarc([
        BibData(title=f"书{n}", class_number="I287.45", holdings=[Holding(barcode=f"P{n:04d}")])
        for n in range(1, 1201)]))
    job = jobs.create_job(by=None, school=school, upload=SimpleUploadedFile("p.iso", data),
                          options={"location": location.pk})
    jobs.start(job)
    for _ in range(600):
        job.refresh_from_db()
        if job.status in ("done", "failed"):
            break
        time.sleep(0.1)
    copies = Item.objects.filter(school=school).count()
    print(job.status, job.processed, job.created_records, copies)
""")


def test_start_runs_the_job_in_a_separate_process(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHUXIANG_")}
    env["SHUXIANG_HOME"] = str(tmp_path)  # a SQLite file both processes can open
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["done", "1200", "1200", "1200"]
    log = next(tmp_path.glob("imports/*.log"))
    assert "1200 records" in log.read_text()

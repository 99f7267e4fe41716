"""Import pages: MARC upload with preview then confirm, and receiving a supplier's Excel list."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuxiang.catalog import jobs, marc, services
from shuxiang.catalog.bibdata import BibData, Contributor, Holding
from shuxiang.catalog.models import AccessionBatch, ImportJob, Item, Record


@pytest.fixture
def librarian(client, people):
    client.force_login(people.librarian)
    return client


@pytest.fixture
def caofangzi(people) -> Record:
    """A record already in the catalogue, with no ISBN, held by the other school."""
    data = BibData(
        title="草房子", contributors=[Contributor("曹文轩")], publisher="江苏少年儿童出版社"
    )
    record = services.catalogue_record(by=None, data=data)
    services.add_copies(
        by=None,
        school=people.other_school,
        record=record,
        copies=1,
        details=services.CopyDetails(location=people.other_location),
    )
    return record


@pytest.fixture(autouse=True)
def jobs_run_at_once(monkeypatch, settings, tmp_path):
    """Uploads go to a temporary home and jobs run in the request instead of a process."""
    settings.SHUXIANG_HOME = tmp_path
    monkeypatch.setattr(jobs, "start", lambda job: jobs.run(job))


# ---------------------------------------------------------------- MARC


def cnmarc(*bibs: BibData) -> bytes:
    return b"".join(marc.write_cnmarc(bibs))


def good_and_bad() -> bytes:
    """Three records: 红楼梦 with two copies, one with a bad ISBN, 草房子 (known) with one."""
    return cnmarc(
        BibData(
            title="红楼梦",
            contributors=[Contributor("曹雪芹")],
            isbns=["9787020002207"],
            class_number="I242.4",
            holdings=[
                Holding(barcode="M0001", call_number="I242.4/9", location="stacks"),
                Holding(barcode="M0002", call_number="I242.4/9", location="stacks"),
            ],
        ),
        BibData(title="坏书", isbns=["9787020002208"]),
        BibData(
            title="草房子",
            contributors=[Contributor("曹文轩")],
            publisher="江苏少年儿童出版社",
            class_number="I287.45",
            holdings=[Holding(barcode="M0003")],
        ),
    )


def upload(client, people, data: bytes, name: str = "new.iso", **fields: str):
    form = {
        "file": SimpleUploadedFile(name, data),
        "flavour": "auto",
        "encoding": "auto",
        "location": people.location.pk,
        "source": "purchase",
        "material_type": "book",
        "copies_if_none": "0",
        **fields,
    }
    return client.post("/catalog/import/", form)


def test_marc_upload_previews_counts_and_bad_records_and_stores_nothing(
    librarian, people, caofangzi
):
    records, items = Record.objects.count(), Item.objects.count()

    response = upload(librarian, people, good_and_bad())

    job = ImportJob.objects.get()
    assert response["Location"] == f"/catalog/import/{job.pk}/"
    assert job.options["dry_run"] is True and job.status == "done"
    assert (job.total, job.processed) == (3, 3)
    assert (job.created_records, job.merged_records, job.created_items) == (1, 1, 3)
    [(position, message)] = job.errors
    assert position == 2 and "9787020002208 校验位错误" in message
    assert (Record.objects.count(), Item.objects.count()) == (records, items)

    page = librarian.get(response["Location"])
    html = page.content.decode()
    assert '<td class="num">2</td>' in html and "校验位错误" in html
    assert f'action="/catalog/import/{job.pk}/confirm/"' in html


def test_confirming_a_preview_imports_the_good_records(librarian, people, caofangzi):
    upload(librarian, people, good_and_bad())
    preview = ImportJob.objects.get()

    response = librarian.post(f"/catalog/import/{preview.pk}/confirm/")

    job = ImportJob.objects.exclude(pk=preview.pk).get()
    assert response["Location"] == f"/catalog/import/{job.pk}/"
    assert job.options["dry_run"] is False and job.status == "done"
    assert (job.created_records, job.merged_records, job.created_items) == (1, 1, 3)
    hongloumeng = Record.objects.get(title="红楼梦")
    assert sorted(hongloumeng.items.values_list("barcode", flat=True)) == ["M0001", "M0002"]
    assert Record.objects.filter(title="草房子").get() == caofangzi  # merged, not duplicated
    assert list(caofangzi.items.filter(school=people.school).values_list("barcode")) == [("M0003",)]
    assert not Record.objects.filter(title="坏书").exists()
    assert set(Item.objects.filter(barcode__startswith="M").values_list("school", flat=True)) == {
        people.school.pk
    }


def test_a_preview_still_running_cannot_be_confirmed(librarian, people):
    job = ImportJob.objects.create(
        school=people.school, file_name="x.iso", path="/nonexistent", options={"dry_run": True}
    )

    response = librarian.post(f"/catalog/import/{job.pk}/confirm/")

    assert response["Location"] == f"/catalog/import/{job.pk}/"
    assert ImportJob.objects.count() == 1


def test_job_page_htmx_poll_gets_the_progress_fragment(librarian, people):
    upload(librarian, people, good_and_bad())
    job = ImportJob.objects.get()

    html = librarian.get(f"/catalog/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()

    assert html.startswith('<div id="job"') and "<html" not in html


def gbk_record(title: str) -> bytes:
    """A CNMARC record with its data in GBK, as suppliers send them."""
    body = b"1 \x1fa" + title.encode("gbk") + b"\x1e"
    directory = b"200" + b"%04d%05d" % (len(body), 0) + b"\x1e"
    base = 24 + len(directory)
    leader = f"{base + len(body) + 1:05d}nam0 22{base:05d}   450 ".encode()
    return leader + directory + body + b"\x1d"


def test_a_gbk_file_declared_utf8_is_refused_on_the_form(librarian, people):
    data = gbk_record("红楼梦") + gbk_record("西游记")

    response = upload(librarian, people, data, encoding="utf-8")

    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert "文件声明为 UTF-8，但内容像是 GBK 编码" in errors[0]
    assert "GBK" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_same_gbk_file_detected_reads(librarian, people):
    response = upload(librarian, people, gbk_record("红楼梦"))

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert (job.created_records, job.errors) == (1, [])


def test_job_of_another_school_is_not_found(librarian, people):
    job = ImportJob.objects.create(school=people.other_school, file_name="x.iso", path="/x")

    assert librarian.get(f"/catalog/import/{job.pk}/").status_code == 404
    assert librarian.post(f"/catalog/import/{job.pk}/confirm/").status_code == 404


# ---------------------------------------------------------------- supplier lists

HEADER = ["书名", "ISBN", "定价", "作者", "出版社", "复本数", "分类号"]


def supplier_list(folder: Path, rows: list[list]) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["新华书店馆配清单"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = folder / "list.xlsx"
    workbook.save(path)
    return SimpleUploadedFile("清单.xlsx", path.read_bytes())


def a_list(folder: Path) -> SimpleUploadedFile:
    """Row 3: 三体 × 2; row 4: a bad ISBN; row 5: 草房子, already in the catalogue, × 3."""
    return supplier_list(
        folder,
        [
            ["三体", "978-7-5366-9293-0", "23.00", "刘慈欣著", "重庆出版社", 2, "I247.55"],
            ["错书", "9787536692931", "10", "某人", "某社", 1, "I247"],
            ["草房子", "", 30, "曹文轩著", "江苏少年儿童出版社", 3, "I287.45"],
        ],
    )


def confirm_form(token: str, people) -> dict:
    return {
        "list_token": token,
        "confirm": "1",
        "received_on": "2026-09-10",
        "source": "purchase",
        "supplier": "新华书店",
        "invoice": "No.123",
        "location": people.location.pk,
        "note": "",
    }


def test_supplier_list_preview_shows_rows_and_row_errors(librarian, people, caofangzi, tmp_path):
    records = Record.objects.count()
    batches = AccessionBatch.objects.count()

    response = librarian.post("/catalog/receive/", {"file": a_list(tmp_path)})

    assert response.status_code == 200
    parsed = response.context["parsed"]
    assert [row.row for row in parsed.rows] == [3, 5]
    html = response.content.decode()
    assert "第 4 行，ISBN：9787536692931 校验位错误" in html
    assert "三体" in html and "刘慈欣" in html
    found = dict((row.bib.title, bool(dupes)) for row, dupes in response.context["rows"])
    assert found == {"三体": False, "草房子": True}
    assert 'name="list_token"' in html
    assert Record.objects.count() == records
    assert AccessionBatch.objects.count() == batches


def test_confirming_a_supplier_list_registers_a_batch(librarian, people, caofangzi, tmp_path):
    preview = librarian.post("/catalog/receive/", {"file": a_list(tmp_path)})
    token = preview.context["list_token"]

    response = librarian.post("/catalog/receive/", confirm_form(token, people))

    assert response["Location"] == "/catalog/registers/summary/"
    batch = AccessionBatch.objects.get(school=people.school)
    assert (batch.number, batch.titles, batch.volumes) == (1, 2, 5)
    assert batch.amount == Decimal("136.00")  # 2 × 23.00 + 3 × 30.00
    assert (batch.supplier, batch.invoice) == ("新华书店", "No.123")
    assert batch.received_on == datetime.date(2026, 9, 10)
    santi = Record.objects.get(title="三体")
    assert santi.items.filter(batch=batch).count() == 2
    # 草房子 was in the catalogue: copies are added to it, no second record.
    assert Record.objects.filter(title="草房子").get() == caofangzi
    assert caofangzi.items.filter(school=people.school, batch=batch).count() == 3
    assert not Record.objects.filter(title="错书").exists()


def test_a_registered_list_is_not_registered_twice(librarian, people, caofangzi, tmp_path):
    preview = librarian.post("/catalog/receive/", {"file": a_list(tmp_path)})
    form = confirm_form(preview.context["list_token"], people)
    librarian.post("/catalog/receive/", form)

    again = librarian.post("/catalog/receive/", form)  # the browser sends the form again

    assert again.status_code == 200
    assert AccessionBatch.objects.filter(school=people.school).count() == 1
    assert Record.objects.get(title="三体").items.count() == 2


def test_a_list_token_of_another_session_is_not_accepted(client, people, tmp_path):
    client.force_login(people.librarian)
    token = client.post("/catalog/receive/", {"file": a_list(tmp_path)}).context["list_token"]
    client.logout()  # a new session, which never uploaded that list
    client.force_login(people.admin)

    response = client.post("/catalog/receive/", confirm_form(token, people))

    assert response.status_code == 200
    assert not AccessionBatch.objects.exists()


def test_a_batch_needs_its_location(librarian, people, tmp_path):
    preview = librarian.post("/catalog/receive/", {"file": a_list(tmp_path)})
    form = confirm_form(preview.context["list_token"], people)
    form["location"] = people.other_location.pk

    response = librarian.post("/catalog/receive/", form)

    assert response.status_code == 200
    assert "location" in response.context["receive_form"].errors
    assert not AccessionBatch.objects.exists()


def test_a_file_that_is_not_excel_is_refused_clearly(librarian, people):
    csv = SimpleUploadedFile("清单.xls", "书名,ISBN\n三体,9787536692930\n".encode())

    response = librarian.post("/catalog/receive/", {"file": csv})

    assert response.status_code == 200
    assert "文件不是 Excel（.xlsx）文件" in response.context["upload"].errors["file"][0]
    assert "另存为" in response.content.decode()


def test_a_list_without_a_title_column_is_refused(librarian, people, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["ISBN", "定价"])
    workbook.active.append(["9787536692930", "23"])
    workbook.save(tmp_path / "x.xlsx")
    upload_file = SimpleUploadedFile("x.xlsx", (tmp_path / "x.xlsx").read_bytes())

    response = librarian.post("/catalog/receive/", {"file": upload_file})

    assert "缺少必需的列：书名" in response.context["upload"].errors["file"][0]


def test_receiving_is_for_the_library_staff(client, people):
    client.force_login(people.leader)
    assert client.get("/catalog/receive/").status_code == 403
    assert client.get("/catalog/import/").status_code == 403


def test_existing_records_are_found_by_isbn_when_receiving(librarian, people, tmp_path):
    santi = services.catalogue_record(
        by=None, data=BibData(title="三体（典藏版）", isbns=["9787536692930"])
    )
    preview = librarian.post("/catalog/receive/", {"file": a_list(tmp_path)})

    librarian.post("/catalog/receive/", confirm_form(preview.context["list_token"], people))

    assert santi.items.count() == 2
    assert not Record.objects.filter(title="三体").exists()

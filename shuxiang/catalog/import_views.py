"""Importing MARC files (preview, then import in the background) and supplier lists."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shuxiang.accounts.access import get_for_school, require_roles, school_of
from shuxiang.accounts.models import Role
from shuxiang.catalog import jobs, queries, services, supplier_list
from shuxiang.catalog.forms import SchoolLocationsForm
from shuxiang.catalog.models import ImportJob, ItemSource, JobStatus, Location, MaterialType
from shuxiang.lib.uploads import KeptUploads
from shuxiang.lib.xlsx import XlsxError

EDITORS = {Role.ADMIN, Role.LIBRARIAN, Role.DISTRICT}
MAX_UPLOAD = 200 * 1024 * 1024


class MarcUploadForm(SchoolLocationsForm):
    file = forms.FileField(
        label=gettext_lazy("MARC file"), help_text=gettext_lazy("ISO 2709 (.iso, .mrc) or MARCXML.")
    )
    flavour = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[
            ("auto", gettext_lazy("Detect")),
            ("cnmarc", "CNMARC / UNIMARC"),
            ("marc21", "MARC 21"),
        ],
    )
    encoding = forms.ChoiceField(
        label=gettext_lazy("Encoding"),
        choices=[("auto", gettext_lazy("Detect")), ("utf-8", "UTF-8"), ("gbk", "GBK / GB18030")],
    )
    location = forms.ModelChoiceField(
        label=gettext_lazy("Location for the copies"), queryset=Location.objects.none()
    )
    source = forms.ChoiceField(label=gettext_lazy("Source"), choices=ItemSource.choices)
    material_type = forms.ChoiceField(
        label=gettext_lazy("Material type of new records"), choices=MaterialType.choices
    )
    copies_if_none = forms.IntegerField(
        label=gettext_lazy("Copies for records without holdings"),
        min_value=0,
        max_value=50,
        initial=0,
        help_text=gettext_lazy("0: catalogue the record only."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 200 MB."))
        return upload


@require_roles(EDITORS)
def marc_upload(request: HttpRequest) -> HttpResponse:
    """Upload a MARC file; a preview job reads it all and reports before anything is stored."""
    school = school_of(request)
    form = MarcUploadForm(request.POST or None, request.FILES or None, school=school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        options = {
            "flavour": data["flavour"],
            "encoding": data["encoding"],
            "location": data["location"].pk,
            "source": data["source"],
            "material_type": data["material_type"],
            "copies_if_none": data["copies_if_none"],
            "dry_run": True,
        }
        job = jobs.create_job(by=request.user, school=school, upload=data["file"], options=options)
        reason = jobs.refusal(Path(job.path), flavour=data["flavour"], encoding=data["encoding"])
        if reason:
            job.delete()
            form.add_error("file", _("The file is refused: %(reason)s") % {"reason": reason})
        else:
            jobs.start(job)
            return redirect("catalog:import_job", job_id=job.pk)
    recent = ImportJob.objects.filter(school=school)[:10]
    return render(request, "catalog/import_marc.html", {"form": form, "recent": recent})


@require_roles(EDITORS)
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """A job's progress (polled by htmx while it runs), then its preview or result."""
    job = get_for_school(request, ImportJob.objects.all(), pk=job_id)
    template = "catalog/import_job_progress.html" if request.htmx else "catalog/import_job.html"
    return render(
        request,
        template,
        {
            "job": job,
            "running": job.status in (JobStatus.PENDING, JobStatus.RUNNING),
            "preview": bool(job.options.get("dry_run")),
        },
    )


@require_roles(EDITORS)
@require_POST
def import_confirm(request: HttpRequest, job_id: int) -> HttpResponse:
    """After a preview: import the good records of the same file for real."""
    preview = get_for_school(request, ImportJob.objects.all(), pk=job_id)
    if not preview.options.get("dry_run") or preview.status != JobStatus.DONE:
        messages.error(request, _("Wait for the preview to finish first."))
        return redirect("catalog:import_job", job_id=preview.pk)
    job = ImportJob.objects.create(
        school=preview.school,
        kind=preview.kind,
        file_name=preview.file_name,
        path=preview.path,
        options={**preview.options, "dry_run": False},
        total=preview.total,
        created_by=request.user,
    )
    jobs.start(job)
    return redirect("catalog:import_job", job_id=job.pk)


class SupplierUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Supplier list (Excel)"), required=False)


class ReceiveForm(SchoolLocationsForm):
    received_on = forms.DateField(
        label=gettext_lazy("Date received"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.ChoiceField(label=gettext_lazy("Source"), choices=ItemSource.choices)
    supplier = forms.CharField(
        label=gettext_lazy("Supplier or donor"), max_length=120, required=False
    )
    invoice = forms.CharField(label=gettext_lazy("Invoice"), max_length=60, required=False)
    location = forms.ModelChoiceField(
        label=gettext_lazy("Location"), queryset=Location.objects.none()
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)


SESSION_LISTS = "shuxiang_supplier_lists"


def _supplier_lists(request: HttpRequest) -> KeptUploads:
    return KeptUploads(request.session, SESSION_LISTS, jobs.imports_dir() / "lists")


def _supplier_list_path(request: HttpRequest, upload: SupplierUploadForm) -> Path | None:
    """The uploaded list saved under SHUXIANG_HOME, or the one this session uploaded before."""
    kept = _supplier_lists(request)
    path = kept.find(request.POST.get("list_token", ""))
    if path is None and upload.is_valid() and upload.cleaned_data["file"]:
        path = kept.keep(upload.cleaned_data["file"])
    return path


@require_roles(EDITORS)
def receive(request: HttpRequest) -> HttpResponse:
    """验收入库 from a supplier's Excel list: preview the rows, then register the batch."""
    school = school_of(request)
    upload = SupplierUploadForm(request.POST or None, request.FILES or None)
    receive_form = ReceiveForm(
        request.POST if request.POST.get("confirm") else None,
        school=school,
        initial={"received_on": timezone.localdate()},
    )
    context: dict = {"upload": upload, "receive_form": receive_form}
    path = _supplier_list_path(request, upload) if request.method == "POST" else None
    if path is None:
        return render(request, "catalog/receive.html", context)
    try:
        parsed = supplier_list.read_supplier_list(path)
    except XlsxError as exc:
        upload.add_error("file", str(exc))
        return render(request, "catalog/receive.html", context)
    context.update(
        parsed=parsed,
        list_token=path.name,
        rows=[(row, queries.find_duplicates(row.bib)) for row in parsed.rows],
    )
    if request.POST.get("confirm") and receive_form.is_valid() and parsed.rows:
        try:
            batch = receive_rows(request, parsed, receive_form.cleaned_data)
        except services.CatalogError as exc:
            messages.error(request, exc.message)
        else:
            # The list is registered once: sending the form again must not add a second batch.
            _supplier_lists(request).forget(path)
            messages.success(
                request,
                _("Batch %(n)s registered: %(v)s volumes.")
                % {"n": batch.number, "v": batch.volumes},
            )
            return redirect("catalog:summary_register")
    return render(request, "catalog/receive.html", context)


def receive_rows(request: HttpRequest, parsed, data: dict):
    """Catalogue the new titles of a list (or find them) and register the batch in one go."""
    with transaction.atomic():
        lines = []
        for row in parsed.rows:
            found = queries.find_duplicates(row.bib)
            record = found[0] if found else services.catalogue_record(by=request.user, data=row.bib)
            lines.append(
                services.ReceiptLine(record=record, copies=row.copies, price=row.bib.price)
            )
        return services.receive_batch(
            by=request.user,
            school=school_of(request),
            received_on=data["received_on"],
            source=data["source"],
            supplier=data["supplier"],
            invoice=data["invoice"],
            note=data["note"],
            lines=lines,
            location=data["location"],
        )

"""Library cards (借书证): printing on A4 (CR80, 85.6 x 54 mm) and the numbering rule."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuxiang.accounts.access import require_roles, school_of
from shuxiang.accounts.models import Role
from shuxiang.audit.services import record as audit
from shuxiang.lib import labelsheet
from shuxiang.patrons import services
from shuxiang.patrons.forms import CardSettingsForm
from shuxiang.patrons.models import Patron, PatronStatus, SchoolClass

STAFF = {Role.ADMIN, Role.LIBRARIAN, Role.DISTRICT}
# Ten CR80 cards on an A4 sheet (2 x 5), centred: pre-cut card sheets and plain paper.
CARD_LAYOUT = labelsheet.Layout("cr80", "CR80", 2, 5, 85.6, 54.0, 13.5, 19.4, 0, 0)


@require_roles(STAFF)
def cards(request: HttpRequest) -> HttpResponse:
    """Cards of a class, of chosen readers, or of the readers without a printed card."""
    school = school_of(request)
    readers = (
        Patron.objects.filter(school=school, status=PatronStatus.ACTIVE)
        .select_related("school_class")
        .order_by("school_class", "student_number", "name")
    )
    # Ids from a hand-typed URL may be anything: keep the numbers, never a server error.
    class_id = request.GET.get("class", "")
    ids = [pk for pk in request.GET.getlist("patron") if pk.isdigit()]
    if class_id.isdigit():
        readers = readers.filter(school_class_id=class_id)
    elif ids:
        readers = readers.filter(pk__in=ids)
    else:
        return render(
            request,
            "patrons/cards.html",
            {
                "classes": SchoolClass.objects.current().filter(school=school),
                "settings_form": CardSettingsForm(initial=_settings_initial(school)),
            },
        )
    readers = [r for r in readers if r.card_number]
    try:
        start = int(request.GET.get("start", 1))
        pages = labelsheet.sheets(readers, CARD_LAYOUT, start=start)
    except (ValueError, labelsheet.LabelError) as exc:
        messages.error(request, str(exc))
        return redirect("patrons:cards")
    audit(
        "export.cards",
        actor=request.user,
        obj=school,
        school=school,
        details={"readers": len(readers)},
    )
    return render(
        request,
        "patrons/cards_print.html",
        {
            "pages": [
                [
                    (left, top, reader, labelsheet.barcode_svg(reader.card_number, height_mm=8.0))
                    for left, top, reader in page
                ]
                for page in pages
            ],
            "layout": CARD_LAYOUT,
            "school": school,
            "count": len(readers),
        },
    )


def _settings_initial(school) -> dict:
    settings = services.card_settings(school)
    return {"rule": settings.rule, "prefix": settings.prefix, "digits": settings.digits}


@require_roles(Role.ADMIN, Role.LIBRARIAN, Role.DISTRICT)
@require_POST
def card_settings(request: HttpRequest) -> HttpResponse:
    form = CardSettingsForm(request.POST)
    if form.is_valid():
        services.change_card_settings(school_of(request), by=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Check the card number rule."))
    return redirect("patrons:cards")

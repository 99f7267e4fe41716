from __future__ import annotations

import datetime

from django.db.models import QuerySet

from shuxiang.audit.models import AuditEvent
from shuxiang.schools.models import School


def events_for(
    school: School,
    *,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(school=school)
    if actor:
        events = events.filter(actor_name__icontains=actor)
    if action:
        events = events.filter(action__startswith=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events


def action_names(school: School) -> list[str]:
    return list(
        AuditEvent.objects.filter(school=school)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )

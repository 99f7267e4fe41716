"""The one door into the audit log."""

from __future__ import annotations

import contextvars
from typing import Any

from django.db import models

from shuxiang.audit.models import AuditEvent
from shuxiang.schools.models import School

# Set per request by the audit middleware; None in commands and tests.
request_address: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_address", default=None
)


def record(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    school: School | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event.

    `action` is a dotted verb such as "user.create" or "export.patrons".
    `school` defaults to the object's school, then the actor's. Call it inside
    the service's transaction so the event lands with the change or not at all.
    """
    if school is None:
        school = getattr(obj, "school", None) or getattr(actor, "school", None)
        if school is None and isinstance(obj, School):
            school = obj
    is_user = actor is not None and getattr(actor, "pk", None) is not None
    return AuditEvent.objects.create(
        school=school,
        actor=actor if is_user else None,
        actor_name=(actor.get_username() if is_user else (str(actor) if actor else "system")),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        details=details or {},
        ip_address=request_address.get(),
    )

"""The audit log: one entry for every change, written in the same transaction as the change."""

from __future__ import annotations

from django.contrib.auth.models import User

from scorecard.web.models import AuditEntry


def record(user: User, action: str, target: str, before: object = None, after: object = None) -> None:
    AuditEntry.objects.create(user_id=user.pk, username=user.get_username(), action=action, target=target,
                              before=before, after=after)

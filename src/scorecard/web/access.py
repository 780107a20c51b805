"""Who may see and do what: every view asks here, so the rules live in one place.

An analyst of a force drafts and submits its documents; an approver of a force approves or
returns them; an administrator (a superuser) reads the audit log and sees every force.  Nobody
sees a force's drafts without a role for that force: a West Midlands analyst gets "not found"
for a West Mercia draft, never a hint that it exists.
"""

from __future__ import annotations

from typing import Literal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from scorecard.web.models import Draft, Membership

Role = Literal["analyst", "approver"]
AnyUser = AbstractBaseUser | AnonymousUser


def signed_in(request: HttpRequest) -> User:
    """The request's user, who must be signed in (the views are behind ``login_required``)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("sign in first")
    return user


def forces_of(user: AnyUser) -> set[str]:
    """The forces whose drafts ``user`` may see."""
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user_id=user.pk).values_list("force_id", flat=True))


def has_role(user: AnyUser, force_id: str, role: Role) -> bool:
    return user.is_authenticated and Membership.objects.filter(user_id=user.pk, force_id=force_id, role=role).exists()


def is_admin(user: AnyUser) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_superuser", False))


def visible_draft(user: AnyUser, draft_id: int) -> Draft:
    """The draft, if ``user`` has a role for its force (or administers the site); else 404."""
    try:
        draft = Draft.objects.get(pk=draft_id)
    except Draft.DoesNotExist:
        raise Http404("no such draft") from None
    if not (is_admin(user) or draft.force_id in forces_of(user)):
        raise Http404("no such draft")
    return draft

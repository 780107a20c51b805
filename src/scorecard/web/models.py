"""The site's own state: who may do what for which force, drafts and their commentary versions,
reviews, immutable publications and the audit log.

The figures are not here: they are in the DuckDB store, and a publication keeps the files it
was published with.  A commentary edit adds a version (the latest is the draft's text), so
nothing written is ever overwritten; a publication can only ever gain its "superseded by" link.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

ROLES = (("analyst", "Analyst"), ("approver", "Approver"))
VOICES = (("force", "Force statement"), ("pcc", "Police and Crime Commissioner's statement"))
KINDS = (("statement", "Statement"), ("board_paper", "Board paper"))
STATUSES = (("draft", "Draft"), ("submitted", "Submitted for approval"), ("returned", "Returned to the analyst"),
            ("approved", "Approved and published"))


class Membership(models.Model):
    """A user's role for one force: an analyst drafts, an approver approves or returns."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    force_id = models.CharField(max_length=64)
    role = models.CharField(max_length=16, choices=ROLES)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["user", "force_id", "role"], name="one_role_once")]

    def __str__(self) -> str:
        return f"{self.user} {self.role} for {self.force_id}"


class Draft(models.Model):
    """One document for one force and period, as it is being written."""

    force_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=16, choices=KINDS, default="statement")
    period = models.CharField(max_length=64)  # as the configuration asks for it: "2024-25 Q1"
    config_name = models.CharField(max_length=200)  # a file in the site's document configurations
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=16, choices=STATUSES, default="draft")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["force_id", "kind", "period"], name="one_draft_per_document")]

    def __str__(self) -> str:
        return self.title

    def current_texts(self) -> dict[tuple[str, str], str]:
        """The latest text of each priority and voice."""
        out: dict[tuple[str, str], str] = {}
        for v in self.versions.order_by("created_at", "id"):
            out[(v.priority_id, v.voice)] = v.text
        return {k: t for k, t in out.items() if t.strip()}


class CommentaryVersion(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions")
    priority_id = models.CharField(max_length=64)
    voice = models.CharField(max_length=16, choices=VOICES)
    text = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)


class Review(models.Model):
    """A step in a draft's life: submitted, returned (with why) or approved."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="reviews")
    action = models.CharField(max_length=16)
    comment = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)


class ImmutableError(Exception):
    pass


class Publication(models.Model):
    """A published version: its files never change once written; only ``superseded_by`` is set,
    once, when a newer version of the same document is published."""

    force_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=16, choices=KINDS)
    period = models.CharField(max_length=64)
    period_slug = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    folder = models.CharField(max_length=300)  # under settings.PUBLISHED
    files = models.JSONField(default=dict)  # file name -> sha256
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    superseded_by = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="supersedes")

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["force_id", "kind", "period_slug", "version"], name="one_version")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            before = Publication.objects.get(pk=self.pk)
            changed = [f.name for f in self._meta.concrete_fields
                       if f.name != "superseded" and getattr(before, f.attname) != getattr(self, f.attname)]
            if changed != ["superseded_by"] or before.superseded_by_id is not None:
                raise ImmutableError(f"a publication cannot be changed ({', '.join(changed) or 'nothing'})")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableError("a publication cannot be deleted")


class AuditEntry(models.Model):
    """Who did what, when, with the state before and after: kept for administrators to read."""

    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=64)
    target = models.CharField(max_length=300)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-at", "-id"]

"""The workbench, behind login: draft commentary, check it, submit, return, approve and publish.

Every write is a POST (CSRF-checked by Django), checks the user's role for the draft's force
(``web.access``) and is recorded in the audit log in the same transaction.  A draft moves
draft → submitted → returned → submitted … → approved; approving publishes a version, and a
later edit starts the next version's draft.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from scorecard.catalogue.schema import load_catalogue
from scorecard.errors import ScorecardError
from scorecard.render.html import commentary_html
from scorecard.store import Store
from scorecard.web import audit, publishing, snapshots
from scorecard.web.access import Role, forces_of, has_role, is_admin, signed_in, visible_draft
from scorecard.web.models import VOICES, AuditEntry, CommentaryVersion, Draft, Review

#: Longest commentary text kept for one priority and voice.
MAX_TEXT = 20_000
EDITABLE = ("draft", "returned", "approved")


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    drafts = Draft.objects.all() if is_admin(request.user) else Draft.objects.filter(
        force_id__in=forces_of(request.user))
    return render(request, "web/workbench.html", {"drafts": drafts.order_by("force_id", "kind", "period")})


def _fields(draft: Draft, checked: publishing.Checked) -> list[dict[str, object]]:
    texts = draft.current_texts()
    fields: list[dict[str, object]] = []
    labels = dict(VOICES)
    for p in load_catalogue().priorities:
        for voice in publishing.VOICES_OF[draft.kind]:
            name, label = f"{p.id}.{voice}", labels[voice]
            shown = checked.shown.get(name)
            fields.append({"name": name, "priority": p.title, "voice": label, "text": texts.get((p.id, voice), ""),
                           "preview": commentary_html(shown, 4) if shown else ""})
    return fields


@login_required
@require_safe
def draft_page(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = visible_draft(request.user, draft_id)
    checked = publishing.check(draft, draft.current_texts())
    user = request.user
    return render(request, "web/draft.html", {
        "draft": draft, "fields": _fields(draft, checked), "checked": checked, "reviews": draft.reviews.order_by("-at"),
        "can_edit": has_role(user, draft.force_id, "analyst") and draft.status in EDITABLE,
        "can_submit": has_role(user, draft.force_id, "analyst") and draft.status in ("draft", "returned"),
        "can_review": has_role(user, draft.force_id, "approver") and draft.status == "submitted"})


@login_required
@require_POST
def save(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = visible_draft(request.user, draft_id)
    if not has_role(request.user, draft.force_id, "analyst") or draft.status not in EDITABLE:
        return HttpResponseForbidden("only the force's analyst edits a draft that is not awaiting approval")
    texts = draft.current_texts()
    priorities = {p.id for p in load_catalogue().priorities}
    changed = 0
    with transaction.atomic():
        for key in request.POST:
            priority, _, voice = key.partition(".")
            if priority not in priorities or voice not in publishing.VOICES_OF[draft.kind]:
                continue
            text = request.POST.get(key, "").replace("\r\n", "\n")[:MAX_TEXT]
            if text.strip() == texts.get((priority, voice), "").strip():
                continue
            CommentaryVersion.objects.create(draft=draft, priority_id=priority, voice=voice, text=text,
                                             author=signed_in(request))
            audit.record(signed_in(request), "commentary.edit", f"{draft} / {priority} / {voice}",
                         texts.get((priority, voice)), text)
            changed += 1
        if changed and draft.status == "approved":
            draft.status = "draft"  # the next version's draft
        draft.save()
    messages.success(request, f"Saved {changed} change(s)." if changed else "Nothing had changed.")
    return redirect("draft", draft_id=draft.pk)


@login_required
@require_POST
def preview(request: HttpRequest, draft_id: int) -> JsonResponse:
    """The text as the document will show it, and what ``check`` says of it."""
    draft = visible_draft(request.user, draft_id)
    try:
        body = json.loads(request.body or b"{}")
        key, text = str(body["field"]), str(body["text"])[:MAX_TEXT]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "expected {\"field\": …, \"text\": …}"}, status=400)
    priority, _, voice = key.partition(".")
    texts = {**draft.current_texts(), (priority, voice): text}
    checked = publishing.check(draft, texts)
    shown = checked.shown.get(key)
    html = str(commentary_html(shown, 4)) if shown else ""
    return JsonResponse({"html": html, "flags": list(checked.flags), "error": checked.error})


def _step(request: HttpRequest, draft: Draft, action: str, new_status: str, comment: str = "") -> None:
    before = draft.status
    draft.status = new_status
    draft.save()
    Review.objects.create(draft=draft, action=action, comment=comment, by=signed_in(request))
    audit.record(signed_in(request), f"draft.{action}", str(draft), {"status": before}, {"status": new_status,
                                                                                      "comment": comment})


#: Who may take each step, and from which states (the draft's life, in one place).
STEPS: dict[str, tuple[Role, tuple[str, ...], str]] = {
    "submit": ("analyst", ("draft", "returned"), "only the force's analyst submits a draft"),
    "return": ("approver", ("submitted",), "only the force's approver returns a submitted draft"),
    "approve": ("approver", ("submitted",), "only the force's approver approves a submitted draft"),
}


def _allowed(request: HttpRequest, draft_id: int, step: str) -> tuple[Draft, HttpResponse | None]:
    """The draft, and a refusal unless the user has the step's role for its force and the draft
    is in a state the step starts from."""
    draft = visible_draft(request.user, draft_id)
    role, states, why = STEPS[step]
    if not has_role(request.user, draft.force_id, role) or draft.status not in states:
        return draft, HttpResponseForbidden(why)
    return draft, None


@login_required
@require_POST
def submit(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft, refused = _allowed(request, draft_id, "submit")
    if refused:
        return refused
    checked = publishing.check(draft, draft.current_texts())
    if checked.error:
        messages.error(request, f"Not submitted: {checked.error}")
        return redirect("draft", draft_id=draft.pk)
    with transaction.atomic():
        _step(request, draft, "submit", "submitted")
    messages.success(request, "Submitted for approval.")
    return redirect("draft", draft_id=draft.pk)


@login_required
@require_POST
def return_draft(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft, refused = _allowed(request, draft_id, "return")
    if refused:
        return refused
    comment = request.POST.get("comment", "").strip()[:MAX_TEXT]
    if not comment:
        messages.error(request, "Say why the draft is returned.")
        return redirect("draft", draft_id=draft.pk)
    with transaction.atomic():
        _step(request, draft, "return", "returned", comment)
    messages.success(request, "Returned to the analyst.")
    return redirect("draft", draft_id=draft.pk)


@login_required
@require_POST
def approve(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft, refused = _allowed(request, draft_id, "approve")
    if refused:
        return refused
    try:
        with transaction.atomic():
            pub = publishing.publish(draft, signed_in(request))
            _step(request, draft, "approve", "approved")
            audit.record(signed_in(request), "publication.publish", pub.folder, None, {"files": pub.files})
    except ScorecardError as exc:
        messages.error(request, f"Not published: {exc}")
        return redirect("draft", draft_id=draft.pk)
    messages.success(request, f"Approved and published as version {pub.version}.")
    return redirect("publication", force_id=pub.force_id, kind=pub.kind, slug=pub.period_slug, version=pub.version)


@login_required
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    if not is_admin(request.user):
        return HttpResponseForbidden("the audit log is for administrators")
    entries = AuditEntry.objects.all()[:1000]
    if request.GET.get("format") == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["at", "user", "action", "target", "before", "after"])
        for e in AuditEntry.objects.all().order_by("at", "id"):
            writer.writerow([e.at.isoformat(), e.username, e.action, e.target, json.dumps(e.before),
                             json.dumps(e.after)])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
        return response
    return render(request, "web/audit.html", {"entries": entries})


#: The largest file an administrator may load through the browser (larger ones: the command line).
MAX_UPLOAD = 256 * 1024 * 1024
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@login_required
def loads(request: HttpRequest) -> HttpResponse:
    """An administrator loads a data file into the store, as `scorecard ingest` would; the site
    keeps answering from its snapshot meanwhile (``web.snapshots``)."""
    if not is_admin(request.user):
        return HttpResponseForbidden("loading data is for administrators")
    result: dict[str, object] | None = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or not upload.name:
            messages.error(request, "Choose a file to load.")
        elif upload.size is not None and upload.size > MAX_UPLOAD:
            messages.error(request, f"The file is larger than {MAX_UPLOAD // 1024 // 1024} MiB: load it with "
                                    "`scorecard ingest` on the server.")
        else:
            result = _load(request, upload)
    elif request.method != "GET":
        return HttpResponse(status=405)
    with Store.open(snapshots.current(), read_only=True) as store:
        held = store.loads()[-50:][::-1]
    return render(request, "web/loads.html", {"loads": held, "result": result})


def _load(request: HttpRequest, upload: UploadedFile) -> dict[str, object]:
    folder = Path(settings.HOME) / "uploads" / timezone.now().strftime("%Y%m%dT%H%M%S%f")
    folder.mkdir(parents=True)
    name = _SAFE_NAME.sub("-", Path(str(upload.name)).name).strip(".-") or "upload"
    path = folder / name
    digest = hashlib.sha256()
    with path.open("wb") as f:
        for chunk in upload.chunks():
            digest.update(chunk)
            f.write(chunk)
    scorecard = Path(sys.executable).parent / "scorecard"
    done = subprocess.run([str(scorecard), "ingest", "--store", str(settings.STORE), str(path)],
                          capture_output=True, text=True, timeout=3600)
    outcome = {"file": name, "sha256": digest.hexdigest(), "exit": done.returncode,
               "said": (done.stdout + done.stderr).strip()[-4000:]}
    audit.record(signed_in(request), "data.load", name, None, outcome)
    if done.returncode == 0:
        messages.success(request, f"Loaded {name}. Readers switch to its figures now that it has committed.")
    else:
        messages.error(request, f"{name} was not loaded (nothing in the store changed).")
    return outcome

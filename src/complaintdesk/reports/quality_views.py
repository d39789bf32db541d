"""The quality alert pages: the list of alert groups and one group with its complaints, lot
numbers, containment decisions and corrective action (services in ``reports/quality.py``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from complaintdesk.core.errors import NotFound, PermissionDenied
from complaintdesk.core.i18n import current_language
from complaintdesk.core.pages import run_service
from complaintdesk.core.policies import active_policy
from complaintdesk.policy.schema.policy import UnknownCode
from complaintdesk.quality.models import AlertGroup, Containment
from complaintdesk.reports import quality
from complaintdesk.units.scope import scope_q


def _category_label(code: str) -> str:
    _version, policy = active_policy()
    try:
        return policy.category(code).label.get(current_language())
    except UnknownCode:
        return code


@login_required
@require_GET
def alert_group_list_view(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "open")
    try:
        groups = list(quality.alert_group_list(request.user, state=state))
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    rows = [{"group": g, "category": _category_label(g.category)} for g in groups]
    return render(request, "quality/alert_list.html", {"rows": rows, "state": state})


@login_required
@require_GET
def alert_group_detail_view(request: HttpRequest, group_id: int) -> HttpResponse:
    try:
        group = quality.alert_group_get(request.user, group_id)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    # a unit's page shows its own complaints of the group (head office: all of them)
    complaints = (group.complaints.filter(scope_q(request.user)).select_related("product")
                  .order_by("registered_at", "id"))
    return render(request, "quality/alert_detail.html", {
        "group": group, "category": _category_label(group.category),
        "figures": quality.group_figures(group, request.user),
        "complaints": complaints, "containments": group.containments.select_related("decided_by"),
        "kinds": Containment.Kind.choices, "may_record": quality.may_record_alerts(request.user)
        and group.state == AlertGroup.State.OPEN,
    })


def _back(group_id: int) -> str:
    return reverse("quality-alert", args=[group_id])


@login_required
@require_POST
def alert_containment_view(request: HttpRequest, group_id: int) -> HttpResponse:
    return run_service(request, quality.alert_containment_add, back=_back(group_id),
                       success=_("Containment decision recorded."), group_id=group_id,
                       kind=request.POST.get("kind", ""), note=request.POST.get("note", ""))


@login_required
@require_POST
def alert_corrective_view(request: HttpRequest, group_id: int) -> HttpResponse:
    return run_service(request, quality.alert_corrective_action, back=_back(group_id),
                       success=_("Corrective action recorded."), group_id=group_id,
                       text=request.POST.get("corrective_action", ""))


@login_required
@require_POST
def alert_close_view(request: HttpRequest, group_id: int) -> HttpResponse:
    return run_service(request, quality.alert_group_close, back=_back(group_id),
                       success=_("Alert group closed."), group_id=group_id, note=request.POST.get("note", ""))

"""The home page: the investigations a user belongs to, with their role and counts."""

from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from claims.access.investigations import may_create
from claims.models import ClaimStatus, Investigation, Membership, Role


@require_GET
def investigation_list(request):
    investigations = (
        Investigation.objects.for_user(request.user)
        .annotate(
            source_count=Count("sources", distinct=True),
            claim_count=Count(
                "claims", filter=~Q(claims__status=ClaimStatus.SUGGESTED), distinct=True
            ),
        )
        .order_by("title")
    )
    roles = dict(
        Membership.objects.filter(user=request.user).values_list("investigation_id", "role")
    )
    rows = [
        (investigation, Role(roles[investigation.pk]).label) for investigation in investigations
    ]
    context = {"rows": rows, "can_create": may_create(request.user)}
    return render(request, "claims/investigation_list.html", context)

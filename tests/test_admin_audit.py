"""Changes made in Django's admin enter the history, as changes made in the workbench do.

Each test posts the admin's own forms, filled in from the page the admin served, so the
records come from the same save path a superuser's click takes.
"""

from django import forms
from django.urls import reverse

from claims.models import AuditEvent, ClaimStatus, Comment, Quantity
from claims.review import history


def admin_form_data(response):
    """POST data that submits the admin change page in `response` unchanged."""
    data = {}
    page_forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        page_forms.extend(inline.formset.forms)
    for form in page_forms:
        for name, field in form.fields.items():
            bound = form[name]
            value = bound.value()
            if isinstance(field.widget, forms.MultiWidget):
                for index, part in enumerate(field.widget.decompress(value)):
                    data[f"{bound.html_name}_{index}"] = "" if part is None else part
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, (list, tuple)):
                data[bound.html_name] = [str(item) for item in value]
            else:
                data[bound.html_name] = "" if value is None else value
    return data


def change_url(obj):
    return reverse(f"admin:claims_{obj._meta.model_name}_change", args=[obj.pk])


def test_a_field_changed_in_the_admin_is_in_the_claims_history(admin_client, claim):
    # (The status is not among them: it moves through the workflow only.)
    url = change_url(claim)
    data = admin_form_data(admin_client.get(url))
    data["attribution"] = "witness"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    event = claim.audit_events.get(action="admin.change")
    assert (event.before, event.after) == ({"attribution": "unknown"}, {"attribution": "witness"})
    assert event.actor.username == "admin"
    entry = history.describe(event)
    assert entry.verb == "changed in the admin"
    assert [(c.field, c.before, c.after) for c in entry.changes] == [
        ("Attribution", "Second-hand / unknown", "Witness's own words")
    ]


def test_the_investigation_page_counts_an_admin_change_at_once(admin_client, client, claim, bob):
    client.force_login(bob)
    page = reverse("claims:investigation-detail", args=[claim.investigation.slug])
    assert dict(client.get(page).context["by_status"]).get(ClaimStatus.OPEN) == 1

    url = reverse("admin:claims_claim_delete", args=[claim.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302

    # The counts are reused until the next audit event; the admin's change is one.
    assert dict(client.get(page).context["by_status"]).get(ClaimStatus.OPEN) is None


def test_saving_an_unchanged_form_records_nothing(admin_client, claim):
    url = change_url(claim)
    before = AuditEvent.objects.count()
    assert admin_client.post(url, admin_form_data(admin_client.get(url))).status_code == 302
    assert AuditEvent.objects.count() == before


def test_deleting_in_the_admin_keeps_what_was_deleted(admin_client, claim, bob):
    comment = Comment.objects.create(claim=claim, author=bob, body="Ask the hospital again.")
    url = reverse("admin:claims_comment_delete", args=[comment.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302

    event = claim.audit_events.get(action="admin.delete")
    assert event.object_type == "comment"
    assert event.before["body"] == "Ask the hospital again."
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_a_claim_deleted_in_the_admin_stays_in_the_investigations_history(admin_client, claim):
    investigation, quote = claim.investigation, claim.quote
    url = reverse("admin:claims_claim_delete", args=[claim.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302

    event = investigation.audit_events.get(action="admin.delete", object_type="claim")
    assert event.claim is None
    assert event.before["quote"] == quote


def test_the_bulk_delete_action_records_each_row(admin_client, claim, bob):
    comments = [Comment.objects.create(claim=claim, author=bob, body=f"Note {n}") for n in range(3)]
    response = admin_client.post(
        reverse("admin:claims_comment_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [c.pk for c in comments],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    deleted = claim.audit_events.filter(action="admin.delete", object_type="comment")
    assert sorted(e.before["body"] for e in deleted) == ["Note 0", "Note 1", "Note 2"]


def test_an_inline_quantity_fixed_in_the_admin_is_recorded(admin_client, claim):
    quantity = claim.quantities.first()
    assert quantity is not None, "the fixture claim holds a number"
    old_unit = quantity.unit
    url = change_url(claim)
    data = admin_form_data(admin_client.get(url))
    id_key = next(k for k, v in data.items() if k.endswith("-id") and str(v) == str(quantity.pk))
    prefix = id_key.removesuffix("-id")
    data[f"{prefix}-unit"] = "houses"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    event = claim.audit_events.get(action="admin.change", object_type="quantity")
    assert (event.before, event.after) == ({"unit": old_unit}, {"unit": "houses"})
    assert Quantity.objects.get(pk=quantity.pk).unit == "houses"

"""Django admin for staff: the domain's records, with the fields its rules protect read-only."""

from pathlib import PurePath

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from claims.models import (
    AuditEvent,
    Claim,
    ClaimEvidence,
    CollectionLogEntry,
    Comment,
    Evidence,
    Investigation,
    Membership,
    Notification,
    Publisher,
    Quantity,
    ReportFile,
    Snapshot,
    Source,
    Tag,
    Verdict,
)
from claims.review import audit, reviews


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never written here: records the domain alone writes (append-only logs, and
    rows whose rules live in a module, not in a form), even for superusers."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits enter the history like changes made through the workbench.

    A superuser correcting a row here is still someone changing investigation data: the
    claim page's history and the activity feed must show it. (Kept pages and counts follow
    the change whether or not it is recorded: see claims/listing/data_version.py.) Each
    record is written in the admin's own transaction, so a change and its record land together.
    """

    def save_model(self, request, obj, form, change):
        def save():
            super(AuditedAdmin, self).save_model(request, obj, form, change)

        if not change:
            save()
            self._record(request, "admin.add", obj, {}, audit.column_values(obj))
        else:
            # Many-to-many fields (tags, mentions) are saved later, by save_related: named only.
            columns = {field.name for field in obj._meta.concrete_fields}
            relations = [name for name in form.changed_data if name not in columns]
            self._save_change(request, obj, form.changed_data, save, relations)
        self.after_save(request, obj)

    def after_save(self, request, obj):
        """Hook run in the admin's transaction after a row was added or changed."""

    def delete_model(self, request, obj):
        self._record_deletion(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._record_deletion(request, obj)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        # Inline rows (a claim's quantities, an investigation's members) are changes too.
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            self._record_deletion(request, obj)
            obj.delete()
        changed = {obj.pk: fields for obj, fields in formset.changed_objects}
        for obj in instances:
            if obj.pk in changed:
                self._save_change(request, obj, changed[obj.pk], obj.save)
            else:
                obj.save()
                self._record(request, "admin.add", obj, {}, audit.column_values(obj))
        formset.save_m2m()

    def _save_change(self, request, obj, names, save, relations=()):
        """Run `save()` and record the columns among `names` whose stored value changed.

        The stored row is read first, and fields a form flags as changed but whose value is
        the same (a JSON list posted back as text, say) are left out; nothing changed,
        nothing recorded.
        """
        stored = type(obj)._default_manager.get(pk=obj.pk)
        before = audit.column_values(stored, names)
        save()
        after = audit.column_values(obj, names)
        differ = [name for name in after if before.get(name) != after[name]]
        before = {name: before[name] for name in differ}
        after = {name: after[name] for name in differ}
        after.update({name: "(changed)" for name in relations})
        if after:
            self._record(request, "admin.change", obj, before, after)

    def _record_deletion(self, request, obj):
        investigation, claim = audit.scope_of(obj)
        if investigation is None or obj == investigation:
            return  # an investigation's own history goes with it
        # A deleted claim cannot be the event's claim; the record keeps its text instead.
        claim = None if obj == claim else claim
        self._record(
            request, "admin.delete", obj, audit.column_values(obj), {}, scope=(investigation, claim)
        )

    @staticmethod
    def _record(request, action, obj, before, after, scope=None):
        investigation, claim = scope or audit.scope_of(obj)
        if investigation is None:
            return
        audit.record(
            request.user,
            action,
            obj,
            investigation=investigation,
            claim=claim,
            before=before,
            after=after,
        )


def _download_link(url_name, obj, stored):
    """A link to a stored file through its members-only download view. The admin's own file
    widget would link MEDIA_URL, and media is never served from the app's origin (uploads and
    fetched pages may hold script; see claims/views/downloads.py). Files are not uploaded or
    replaced here: an original must match its recorded SHA-256."""
    if not stored:
        return "—"
    url = reverse(url_name, args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, PurePath(stored.name).name)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Investigation)
class InvestigationAdmin(AuditedAdmin):
    list_display = ("title", "slug", "created_at")
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ["title"]}
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "investigation", "role", "created_at")
    list_filter = ("role", "investigation")
    search_fields = ("user__username", "investigation__title")


@admin.register(Tag)
class TagAdmin(AuditedAdmin):
    list_display = ("name", "investigation")
    list_filter = ("investigation",)
    search_fields = ("name",)


@admin.register(Source)
class SourceAdmin(AuditedAdmin):
    list_display = ("title", "kind", "author", "investigation", "published_on", "created_at")
    list_filter = ("kind", "investigation", "language")
    search_fields = ("title", "author", "publisher")
    exclude = ("original_file",)
    readonly_fields = ("text_sha256", "original", "original_sha256", "created_at")

    @admin.display(description="original file")
    def original(self, obj):
        return _download_link("claims:source-original", obj, obj.original_file)

    def get_readonly_fields(self, request, obj=None):
        # The text of a saved source never changes (claims are anchored to it).
        return [*self.readonly_fields, "text"] if obj else self.readonly_fields


class QuantityInline(admin.TabularInline):
    model = Quantity
    extra = 0


def _void_in_admin(request, claims, what):
    """A change made here to what a sign-off approved voids it, as in the workbench."""
    for claim in claims:
        reviews.void_if_changed(claim, actor=request.user, reason=f"{what} in the admin.")


@admin.register(Claim)
class ClaimAdmin(AuditedAdmin):
    list_display = ("__str__", "status", "attribution", "assignee", "source", "updated_at")
    list_filter = ("status", "attribution", "priority", "investigation")
    list_select_related = ("source", "assignee")
    search_fields = ("quote", "statement", "speaker")
    raw_id_fields = ("source", "assignee", "created_by")
    # The status moves only through the workflow (reviews.py for verdict steps): an admin
    # field would verify a claim without a verdict or a second reviewer.
    readonly_fields = (
        "status",
        "quote",
        "prefix",
        "suffix",
        "version",
        "created_at",
        "updated_at",
    )
    inlines = (QuantityInline,)

    def after_save(self, request, obj):
        _void_in_admin(request, [obj], "The claim was changed")


@admin.register(Evidence)
class EvidenceAdmin(AuditedAdmin):
    list_display = ("title", "publisher", "reliability", "url", "investigation")
    list_filter = ("reliability", "investigation")
    search_fields = ("title", "url", "publisher")

    def after_save(self, request, obj):
        claims = Claim.objects.filter(citations__evidence=obj).select_related("investigation")
        _void_in_admin(request, claims, f"The evidence “{obj.title}” was changed")

    def has_delete_permission(self, request, obj=None):
        # Deleting a page would take its citations with it; citations are retracted instead.
        if obj is not None and obj.citations.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ClaimEvidence)
class ClaimEvidenceAdmin(AuditedAdmin):
    list_display = ("evidence", "claim", "stance", "added_by", "created_at", "retracted_at")
    list_filter = ("stance",)
    raw_id_fields = ("claim", "evidence")
    # A retraction is final and is made on the claim page, with its reason.
    readonly_fields = ("retracted_at", "retracted_by", "retraction_reason", "version")

    def get_readonly_fields(self, request, obj=None):
        # A citation never moves to another claim or page.
        return [*self.readonly_fields, "claim", "evidence"] if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # never deleted: retracted, with a reason, on the claim page

    def after_save(self, request, obj):
        _void_in_admin(request, [obj.claim], f"The citation of “{obj.evidence.title}” was changed")


@admin.register(Snapshot)
class SnapshotAdmin(AuditedAdmin):
    list_display = ("evidence", "status", "http_status", "fetched_at", "sha256")
    list_filter = ("status",)
    raw_id_fields = ("evidence",)
    exclude = ("body",)
    readonly_fields = ("archived_copy",)

    @admin.display(description="archived copy")
    def archived_copy(self, obj):
        return _download_link("claims:snapshot-download", obj, obj.body)


@admin.register(ReportFile)
class ReportFileAdmin(admin.ModelAdmin):
    list_display = ("investigation", "format_name", "status", "requested_by", "created_at")
    list_filter = ("status", "format_name")
    raw_id_fields = ("investigation", "requested_by")
    exclude = ("file",)
    readonly_fields = ("prepared_file",)

    @admin.display(description="file")
    def prepared_file(self, obj):
        return _download_link("claims:report-file-download", obj, obj.file)


@admin.register(CollectionLogEntry)
class CollectionLogEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "evidence", "action", "outcome", "operator_name", "sha256")
    list_filter = ("action", "outcome")
    raw_id_fields = ("evidence", "snapshot", "operator")


@admin.register(Publisher)
class PublisherAdmin(AuditedAdmin):
    list_display = ("domain", "name", "reliability", "investigation", "updated_at")
    list_filter = ("reliability", "investigation")
    search_fields = ("domain", "name")


@admin.register(Verdict)
class VerdictAdmin(ReadOnlyAdmin):
    """Read-only: verdicts are proposed, signed off, sent back and voided through reviews.py
    alone (the four-eyes rule and the signed content live there, not in a form)."""

    list_display = ("claim", "rating", "status", "proposed_by", "signed_off_by", "proposed_at")
    list_filter = ("status", "rating")
    raw_id_fields = ("claim",)


@admin.register(Comment)
class CommentAdmin(AuditedAdmin):
    list_display = ("__str__", "author", "claim", "created_at")
    raw_id_fields = ("claim",)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "object_repr", "investigation")
    list_filter = ("action", "investigation")
    search_fields = ("object_repr", "action")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The email outbox, for answering "why did I get no email?": what is owed to whom,
    whether and when it went out, or why it was dropped."""

    list_display = ("created_at", "recipient", "kind", "digest", "sent_at", "dropped")
    list_filter = ("kind", "digest", ("sent_at", admin.EmptyFieldListFilter))
    search_fields = ("recipient__username", "recipient__email", "summary")
    raw_id_fields = ("recipient", "investigation", "claim")

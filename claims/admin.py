from django.contrib import admin

from claims.models import (
    AuditEvent,
    Claim,
    ClaimEvidence,
    CollectionLogEntry,
    Comment,
    Evidence,
    Investigation,
    Membership,
    Publisher,
    Quantity,
    ReportFile,
    Snapshot,
    Source,
    Tag,
    Verdict,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Investigation)
class InvestigationAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "created_at"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "investigation", "role", "created_at"]
    list_filter = ["role", "investigation"]
    search_fields = ["user__username", "investigation__title"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "investigation"]
    list_filter = ["investigation"]
    search_fields = ["name"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "author", "investigation", "published_on", "created_at"]
    list_filter = ["kind", "investigation", "language"]
    search_fields = ["title", "author", "publisher"]
    readonly_fields = ["text_sha256", "original_sha256", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # The text of a saved source never changes (claims are anchored to it).
        return [*self.readonly_fields, "text"] if obj else self.readonly_fields


class QuantityInline(admin.TabularInline):
    model = Quantity
    extra = 0


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "attribution", "assignee", "source", "updated_at"]
    list_filter = ["status", "attribution", "priority", "investigation"]
    list_select_related = ["source", "assignee"]
    search_fields = ["quote", "statement", "speaker"]
    raw_id_fields = ["source", "assignee", "created_by"]
    readonly_fields = ["quote", "prefix", "suffix", "version", "created_at", "updated_at"]
    inlines = [QuantityInline]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "reliability", "url", "investigation"]
    list_filter = ["reliability", "investigation"]
    search_fields = ["title", "url", "publisher"]


@admin.register(ClaimEvidence)
class ClaimEvidenceAdmin(admin.ModelAdmin):
    list_display = ["evidence", "claim", "stance", "added_by", "created_at"]
    list_filter = ["stance"]
    raw_id_fields = ["claim", "evidence"]


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["evidence", "status", "http_status", "fetched_at", "sha256"]
    list_filter = ["status"]
    raw_id_fields = ["evidence"]


@admin.register(ReportFile)
class ReportFileAdmin(admin.ModelAdmin):
    list_display = ["investigation", "format_name", "status", "requested_by", "created_at"]
    list_filter = ["status", "format_name"]
    raw_id_fields = ["investigation", "requested_by"]


@admin.register(CollectionLogEntry)
class CollectionLogEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "evidence", "action", "outcome", "operator_name", "sha256"]
    list_filter = ["action", "outcome"]
    raw_id_fields = ["evidence", "snapshot", "operator"]

    # The collection log is append-only, like the audit history.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):
    list_display = ["domain", "name", "reliability", "investigation", "updated_at"]
    list_filter = ["reliability", "investigation"]
    search_fields = ["domain", "name"]


@admin.register(Verdict)
class VerdictAdmin(admin.ModelAdmin):
    list_display = ["claim", "rating", "status", "proposed_by", "signed_off_by", "proposed_at"]
    list_filter = ["status", "rating"]
    raw_id_fields = ["claim"]
    readonly_fields = ["rating", "rationale", "proposed_by", "signed_off_by"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "claim", "created_at"]
    raw_id_fields = ["claim"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_repr", "investigation"]
    list_filter = ["action", "investigation"]
    search_fields = ["object_repr", "action"]

    # History is append-only, even for superusers.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

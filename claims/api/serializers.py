"""What the API returns, and the request bodies it documents.

Responses are read from the models. Request bodies are validated by the same Django forms
the pages use (claims/forms.py), so every rule stays in one place; the *In serializers here
only describe those bodies in the OpenAPI schema.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims import limits
from claims.models import (
    Attribution,
    Claim,
    ClaimEvidence,
    Comment,
    Evidence,
    Investigation,
    Membership,
    Quantity,
    Reliability,
    Source,
    Stance,
    Verdict,
    VerdictRating,
)


class Username(serializers.CharField):
    """A user foreign key shown as the username (null when the account is gone)."""

    def to_representation(self, value):
        return value.get_username() if value is not None else None


def _username(source=None):
    """A read-only username field, of the user in `source` when it is not the field's name."""
    options = {"source": source} if source else {}
    return Username(read_only=True, allow_null=True, **options)


class InvestigationOut(serializers.ModelSerializer):
    role = serializers.SerializerMethodField(help_text="Your role in the investigation.")

    class Meta:
        model = Investigation
        fields = ("slug", "title", "description", "created_at", "role")

    def get_role(self, investigation) -> str:
        return self.context["roles"][investigation.pk]


class MemberOut(serializers.ModelSerializer):
    username = _username("user")

    class Meta:
        model = Membership
        fields = ("username", "role", "created_at")


class SourceOut(serializers.ModelSerializer):
    added_by = _username()

    class Meta:
        model = Source
        fields = (
            "id",
            "title",
            "kind",
            "author",
            "publisher",
            "origin_url",
            "published_on",
            "language",
            "text_sha256",
            "original_sha256",
            "added_by",
            "created_at",
            "extraction_status",
        )


class SourceDetailOut(SourceOut):
    class Meta(SourceOut.Meta):
        fields = (*SourceOut.Meta.fields, "text")


class SourceTextIn(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    text = serializers.CharField(help_text="The full text; it cannot be changed afterwards.")
    kind = serializers.ChoiceField(choices=Source.Kind.choices, required=False)
    author = serializers.CharField(max_length=200, required=False)
    publisher = serializers.CharField(max_length=200, required=False)
    origin_url = serializers.URLField(max_length=2000, required=False)
    published_on = serializers.DateField(required=False)
    language = serializers.CharField(max_length=16, required=False)
    run_extraction = serializers.BooleanField(
        default=True, help_text="Propose claims from the text (default true)."
    )


class SourceFileIn(serializers.Serializer):
    file = serializers.FileField(
        help_text="A .txt, .md, .html, .pdf or .docx file, or a scan or photo (.png, .jpg, "
        ".tif) whose text the worker recognises."
    )
    title = serializers.CharField(max_length=300, required=False)
    kind = serializers.ChoiceField(choices=Source.Kind.choices, required=False)
    language = serializers.CharField(
        max_length=16, required=False, help_text="en, ru, kk or other; left out, it is detected."
    )
    run_extraction = serializers.BooleanField(default=True)


class ClaimOut(serializers.ModelSerializer):
    source = serializers.PrimaryKeyRelatedField(read_only=True)
    assignee = _username()
    quote = serializers.CharField(read_only=True, help_text="source.text[start:end], exactly.")

    class Meta:
        model = Claim
        fields = (
            "id",
            "source",
            "start",
            "end",
            "quote",
            "statement",
            "speaker",
            "attribution",
            "status",
            "priority",
            "assignee",
            "created_at",
            "updated_at",
            "version",
        )


class ClaimIn(serializers.Serializer):
    source = serializers.IntegerField(help_text="Id of a source of this investigation.")
    quote = serializers.CharField(
        required=False, help_text="The exact words; or give start and end instead."
    )
    occurrence = serializers.IntegerField(
        required=False, min_value=1, help_text="Which occurrence of the quote, if it repeats."
    )
    start = serializers.IntegerField(required=False, min_value=0)
    end = serializers.IntegerField(required=False, min_value=0)
    statement = serializers.CharField(required=False, max_length=limits.STATEMENT_MAX_CHARS)
    speaker = serializers.CharField(required=False, max_length=200)
    attribution = serializers.ChoiceField(choices=Attribution.choices, required=False)


class QuantityOut(serializers.ModelSerializer):
    class Meta:
        model = Quantity
        fields = (
            "id",
            "start",
            "end",
            "text",
            "value",
            "low",
            "high",
            "unit",
            "approximate",
            "bound",
            "measure",
            "measure_reason",
            "stated_on",
            "place",
        )


class EvidenceOut(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ("id", "url", "title", "publisher", "published_on", "reliability", "created_at")


class CitationOut(serializers.ModelSerializer):
    evidence = EvidenceOut(read_only=True)
    added_by = _username()

    class Meta:
        model = ClaimEvidence
        fields = (
            "id",
            "evidence",
            "stance",
            "excerpt",
            "note",
            "added_by",
            "created_at",
            "retracted_at",
            "retraction_reason",
        )


class CitationIn(serializers.Serializer):
    url = serializers.URLField(required=False, max_length=2000)
    title = serializers.CharField(max_length=300)
    publisher = serializers.CharField(required=False, max_length=200)
    published_on = serializers.DateField(required=False)
    stance = serializers.ChoiceField(choices=Stance.choices)
    reliability = serializers.ChoiceField(choices=Reliability.choices)
    excerpt = serializers.CharField(required=False, max_length=limits.EXCERPT_MAX_CHARS)
    note = serializers.CharField(required=False, max_length=limits.NOTE_MAX_CHARS)


class VerdictOut(serializers.ModelSerializer):
    claim = serializers.PrimaryKeyRelatedField(read_only=True)
    proposed_by = _username()
    signed_off_by = _username()
    content_sha256 = serializers.SerializerMethodField(
        help_text="For a verdict awaiting sign-off: the SHA-256 of what a sign-off approves "
        "now. Send it back with the sign-off; a change in between is refused."
    )

    class Meta:
        model = Verdict
        fields = (
            "id",
            "claim",
            "rating",
            "rationale",
            "status",
            "proposed_by",
            "proposed_at",
            "signed_off_by",
            "signed_off_at",
            "review_comment",
            "signed_sha256",
            "version",
            "content_sha256",
        )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_content_sha256(self, verdict):
        return self.context.get("content_sha256", {}).get(verdict.pk)


class VerdictIn(serializers.Serializer):
    rating = serializers.ChoiceField(choices=VerdictRating.choices)
    rationale = serializers.CharField(max_length=limits.RATIONALE_MAX_CHARS)
    replaces = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="Id of the current verdict you saw (0: none), so a proposal never "
        "replaces one unseen.",
    )


class SignOffIn(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    content_sha256 = serializers.RegexField(r"^[0-9a-f]{64}$")


class SendBackIn(serializers.Serializer):
    version = serializers.IntegerField()
    comment = serializers.CharField(max_length=limits.COMMENT_MAX_CHARS)


class CommentOut(serializers.ModelSerializer):
    author = _username()

    class Meta:
        model = Comment
        fields = ("id", "author", "body", "created_at")


class CommentIn(serializers.Serializer):
    body = serializers.CharField(max_length=limits.COMMENT_MAX_CHARS)


class ErrorOut(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Field name (or __all__) to its messages.",
    )


_PAGES = {}


def paginated(item):
    """A cursor page of `item` rows, as the API's list endpoints answer (one class per item,
    so the schema names each once)."""
    if item not in _PAGES:
        name = f"{item.__name__.removesuffix('Out')}Page"
        fields = {
            "next": serializers.URLField(allow_null=True, help_text="The next page, if any."),
            "previous": serializers.URLField(allow_null=True),
            "results": item(many=True),
        }
        _PAGES[item] = type(name, (serializers.Serializer,), fields)
    return _PAGES[item]

"""Tables of the verification workbench and the rules each row must keep.

Rules that one row can check on its own live here (a quote matches its offsets, a source text
never changes, a proposer never signs off their own verdict); rules about sequences of actions
live in the domain modules (`reviews.py`, `workflow.py`).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from claims import jobs, limits
from claims.review import audit_chain
from claims.sources.anchoring import AnchorError, anchor_span, sha256_text
from claims.weblinks import ONLY_WEB_LINKS, is_web_link

USER = settings.AUTH_USER_MODEL


def check_web_links(**urls):
    """Raise ValidationError for any of `urls` (field name=value) that is not http or https.

    For a model's clean(): the errors go under each field's name (see claims/weblinks.py).
    """
    errors = {name: ONLY_WEB_LINKS for name, url in urls.items() if url and not is_web_link(url)}
    if errors:
        raise ValidationError(errors)


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    REVIEWER = "reviewer", "Reviewer"
    EDITOR = "editor", "Editor"
    OWNER = "owner", "Owner"


class InvestigationQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


# Investigation columns only audit.record() writes (see Investigation.save).
AUDIT_HEAD_FIELDS = ("audit_seq", "audit_head_sha256")


class Investigation(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    # The head of the audit chain (see audit_chain.py): the newest event's seq and SHA-256,
    # moved by audit.record() in the transaction that adds the event. Kept here as well as on
    # the event so that deleting the newest events shows: the chain alone would just be
    # shorter.
    audit_seq = models.PositiveBigIntegerField(default=0, editable=False)
    audit_head_sha256 = models.CharField(max_length=64, default=audit_chain.GENESIS, editable=False)
    # Set while the investigation is archived: read-only for every member and every door
    # (claims/access/roles.py says which actions stay open), until an owner restores it.
    archived_at = models.DateTimeField(null=True, blank=True)
    # Every page and API call of it refuses members who have not passed a second factor
    # (claims/access/permissions.py).
    require_second_factor = models.BooleanField(
        "members need a second factor", default=False, db_default=False
    )

    objects = InvestigationQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # An instance loaded before the latest audit event holds an older head: saving it
        # whole (the admin, a form) would move the head back and make the history look cut
        # short. Only audit.record() writes those columns, with an UPDATE of its own.
        is_update = not self._state.adding and not kwargs.get("force_insert")
        if is_update and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in AUDIT_HEAD_FIELDS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("claims:investigation-detail", args=[self.slug])

    @property
    def is_archived(self):
        return self.archived_at is not None


class InvestigationArchived(PermissionDenied):
    """A write was tried in an archived investigation. A PermissionDenied, so that a page
    answers 403 with the message whichever layer refused it."""

    def __init__(self, message="This investigation is archived: it can be read but not changed."):
        super().__init__(message)


class Membership(models.Model):
    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)
    # Mentions up to this moment have been read: they leave the member's queue.
    mentions_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["investigation", "user"], name="one_membership_per_user"
            ),
        )

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} of {self.investigation}"


class Invite(models.Model):
    """An invitation by email to join an investigation with a role.

    The link carries this row's id signed with a timestamp (access/invites.py); the row makes
    it single-use (`accepted_at`) and lets an owner withdraw it (`revoked_at`).
    """

    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="invites"
    )
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)
    invited_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = (models.Index(fields=["investigation", "-created_at"], name="invite_newest"),)

    def __str__(self):
        return f"{self.email} as {self.get_role_display()} of {self.investigation}"

    @property
    def is_open(self):
        return self.accepted_at is None and self.revoked_at is None


class Tag(models.Model):
    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ["name"]
        constraints = (
            models.UniqueConstraint(fields=["investigation", "name"], name="unique_tag_name"),
        )

    def __str__(self):
        return self.name


class SourceTextImmutable(ValidationError):
    """Raised when code tries to change the text of a saved source."""


class ExtractionStatus(models.TextChoices):
    NOT_RUN = "", "Not run"
    PENDING = "pending", "Waiting for the worker"
    RUNNING = "running", "Reading the text"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    # The worker stopped mid-way (see jobs.py); running it again is safe.
    INTERRUPTED = "interrupted", "Interrupted"


class Source(models.Model):
    class Kind(models.TextChoices):
        TESTIMONY = "testimony", "Testimony"
        ARTICLE = "article", "Article"
        STATEMENT = "statement", "Statement"
        WEB_PAGE = "web_page", "Web page"
        DOCUMENT = "document", "Document"

    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="sources"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.TESTIMONY)
    title = models.CharField(max_length=300)
    author = models.CharField("author or witness", max_length=200, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    origin_url = models.URLField("origin URL", max_length=2000, blank=True)
    published_on = models.DateField(null=True, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=16, default="en", blank=True)
    text = models.TextField()
    text_sha256 = models.CharField("SHA-256 of the text", max_length=64, editable=False)
    original_file = models.FileField(upload_to="sources/%Y/%m/", blank=True)
    original_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    added_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    # Claim extraction of long texts runs in the task worker; the reader shows its state.
    # Database defaults too: bulk loaders (generate_synthetic) insert raw rows.
    extraction_status = models.CharField(
        max_length=12,
        choices=ExtractionStatus.choices,
        default=ExtractionStatus.NOT_RUN,
        db_default=ExtractionStatus.NOT_RUN,
        blank=True,
    )
    extraction_error = models.TextField(blank=True, default="", db_default="")
    # When the extraction was last queued and when a worker took it: a job left pending or
    # running too long has lost its worker (see jobs.py).
    extraction_queued_at = models.DateTimeField(null=True, blank=True)
    extraction_started_at = models.DateTimeField(null=True, blank=True)
    # A scan or photo (sources/recognition.py): {"state": "pending"} from the upload until the
    # worker has read it (with "pages_done" and "pages_total" meanwhile), then what the reading
    # found: engine, where each page starts, the doubtful words. Empty for every other source.
    recognition = models.JSONField(default=dict, blank=True, db_default={})
    # A translation the team supplies names its original (same investigation; translations.py).
    translation_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="translations"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = (models.Index(fields=["investigation", "created_at"]),)

    def __str__(self):
        return self.title

    # The text hash as loaded from the database; None for a source not saved yet.
    _loaded_sha256: str | None = None

    def save(self, *args, **kwargs):
        """Save, refusing to change the text of a source that already exists.

        A corrected text must be a new source: claims are anchored to offsets of this text and
        reports cite its hash, so editing it in place would silently move every anchor.
        """
        self.text_sha256 = sha256_text(self.text)
        loaded = self._loaded_sha256
        if self.pk is not None and loaded is not None and loaded != self.text_sha256:
            raise SourceTextImmutable(
                "The text of a saved source cannot change; add the corrected text as a new source."
            )
        super().save(*args, **kwargs)
        self._loaded_sha256 = self.text_sha256

    def get_absolute_url(self):
        return reverse("claims:source-detail", args=[self.pk])

    def clean(self):
        check_web_links(origin_url=self.origin_url)

    @property
    def is_extracting(self):
        """True while an extraction is queued or running and its worker may still finish it."""
        return (
            self.extraction_status in (ExtractionStatus.PENDING, ExtractionStatus.RUNNING)
            and not self.extraction_is_stale
        )

    @property
    def needs_recognition(self):
        """True for a scan whose text the worker has not read yet."""
        return bool(self.recognition) and self.recognition.get("state") != "done"

    @property
    def page_starts(self):
        """Where each page of a recognised scan starts in the text; empty for other sources."""
        return self.recognition.get("pages", []) if self.recognition else []

    # The extraction as a background job (jobs.py).
    EXTRACTION_JOB = jobs.JobKind(
        name="source extraction",
        task_path="claims.sources.marking.extract_source",
        status_field="extraction_status",
        pending=ExtractionStatus.PENDING,
        running=ExtractionStatus.RUNNING,
        queued_at_field="extraction_queued_at",
        started_at_field="extraction_started_at",
        deferred=("text",),
    )

    @property
    def extraction_is_stale(self):
        return jobs.is_stale(self.EXTRACTION_JOB, self)

    @property
    def extraction_was_interrupted(self):
        """True when the extraction's worker stopped before it finished: recorded as such,
        or still pending or running long after any worker would have finished it."""
        return self.extraction_status == ExtractionStatus.INTERRUPTED or self.extraction_is_stale

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        # Remember the hash we loaded so save() can tell whether the text was changed.
        instance._loaded_sha256 = instance.__dict__.get("text_sha256")
        return instance


class Attribution(models.TextChoices):
    """Who asserts a claim, at the level of the span."""

    WITNESS = "witness", "Witness's own words"
    REPORTER = "reporter", "Reporter's narration"
    GOVERNMENT = "government", "Official account"
    ORGANIZATION = "organization", "Organisation"
    MEDIA = "media", "Another outlet"
    UNKNOWN = "unknown", "Second-hand / unknown"


class ClaimStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    OPEN = "open", "Open"
    IN_REVIEW = "in_review", "In review"
    VERDICT_PROPOSED = "verdict_proposed", "Verdict proposed"
    VERIFIED = "verified", "Verified"
    DISPUTED = "disputed", "Disputed"
    DISMISSED = "dismissed", "Dismissed"
    REOPENED = "reopened", "Reopened"
    # A signed-off verdict whose statement or evidence changed afterwards: the sign-off is
    # void and the verdict needs a fresh one from a second reviewer (reviews.py).
    SIGN_OFF_VOID = "signoff_void", "Changed since sign-off"


class Priority(models.IntegerChoices):
    LOW = 0, "Low"
    NORMAL = 1, "Normal"
    HIGH = 2, "High"
    URGENT = 3, "Urgent"


class Claim(models.Model):
    # The investigation is also reachable through the source; we keep it on the row so that
    # claim lists filter and sort on one indexed table instead of joining through sources.
    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="claims", editable=False
    )
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="claims")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    statement = models.TextField("statement as checked", blank=True)
    speaker = models.CharField(max_length=200, blank=True)
    attribution = models.CharField(
        max_length=16, choices=Attribution.choices, default=Attribution.UNKNOWN
    )
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.OPEN)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    assignee = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_claims"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="claims")
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="created_claims"
    )
    # In a translation, the claim of the original these words translate (translations.py).
    original = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="translations"
    )
    # Filled when the extraction engine proposed the claim: why it thought so.
    extraction_score = models.FloatField(null=True, blank=True)
    extraction_reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking of the wording (statement, speaker, attribution): an edit names the
    # version it started from (editing.py). Status, assignee and priority changes are guarded
    # by the value they replace instead (workflow.py), so they never make an edit form stale.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["source_id", "start", "pk"]
        constraints = (
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="claim_span_not_empty"),
        )
        indexes = (
            models.Index(fields=["investigation", "status"]),
            models.Index(fields=["investigation", "-updated_at"]),
            models.Index(fields=["source", "start"]),
            # A member's open assignments in one investigation (the top bar's count on every
            # page), and across all of them (the queue page) by its leading column.
            models.Index(fields=["assignee", "investigation", "status"], name="claim_assignments"),
            # The claim list's order: a page of 50 is read in index order, never sorted.
            models.Index(
                fields=["investigation", "source", "start", "id"], name="claim_list_order"
            ),
            # The claim list's speaker filter walks it from name to name (search.speakers).
            models.Index(fields=["investigation", "speaker"], name="claim_speaker"),
        )

    def __str__(self):
        return self.statement or self.quote[:80]

    def save(self, *args, **kwargs):
        # Enforced on every save, not only in forms: an anchor that drifts from its quote
        # would make the report cite words the source does not contain at that place.
        self.check_anchor()
        if not self.prefix and not self.suffix:
            anchor = anchor_span(self.source.text, self.start, self.end)
            self.prefix, self.suffix = anchor.prefix, anchor.suffix
        self.investigation_id = self.source.investigation_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("claims:claim-detail", args=[self.pk])

    def reload(self):
        """Read the row again after a write, with its assignee, in one query.

        Unlike a bare refresh_from_db(), the loaded source and investigation are kept: a claim
        never moves to another of either, and fetching the source again would read its text,
        which can be megabytes, for nothing.
        """
        kept = {
            name: getattr(self, name)
            for name in ("source", "investigation")
            if getattr(Claim, name).field.is_cached(self)
        }
        self.refresh_from_db(from_queryset=Claim.objects.select_related("assignee"))
        for name, value in kept.items():
            setattr(self, name, value)

    @property
    def display_statement(self):
        return self.statement or self.quote

    def clean(self):
        super().clean()
        limits.check_lengths(statement=(self.statement, limits.STATEMENT_MAX_CHARS))
        self.check_anchor()

    def check_anchor(self):
        """Raise ValidationError unless the quote is exactly the source text at the offsets."""
        text = self.source.text
        try:
            anchor = anchor_span(text, self.start, self.end)
        except AnchorError as error:
            raise ValidationError({"quote": str(error)}) from error
        if anchor.quote != self.quote:
            raise ValidationError(
                {"quote": "The quote does not match the source text at its offsets."}
            )


class Quantity(models.Model):
    class Bound(models.TextChoices):
        EXACT = "exact", "Exact"
        APPROXIMATE = "approximate", "Approximate"
        LOWER = "lower", "At least"
        UPPER = "upper", "At most"

    class Measure(models.TextChoices):
        """What the number counts (extraction/measures.py); numbers are compared per measure."""

        CROWD = "crowd", "Crowd size"
        DETAINED = "detained", "Detained"
        KILLED = "killed", "Killed"
        INJURED = "injured", "Injured"
        MISSING = "missing", "Missing"
        SHARE = "share", "Share of a group"
        MONEY = "money", "Money"
        DURATION = "duration", "Duration"
        DISTANCE = "distance", "Distance"
        OTHER = "other", "Other"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="quantities")
    # The claim's investigation, kept on the row as Claim keeps it: the claim page looks up the
    # newest figures of a measure in one investigation, and without the column PostgreSQL walked
    # every investigation's numbers newest first to find them (140 ms for an investigation
    # older than 100,000 others' numbers). Always the claim's (save() sets it; bulk writers
    # pass it; tests/test_quantity_investigation.py checks every writer).
    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="+", editable=False
    )
    # Offsets into the source text (not into the quote), like the claim's own.
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.CharField(max_length=200)
    value = models.FloatField()
    low = models.FloatField(null=True, blank=True)
    high = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=50, blank=True)
    approximate = models.BooleanField(default=False)
    bound = models.CharField(max_length=12, choices=Bound.choices, default=Bound.EXACT)
    kind = models.CharField(max_length=20, blank=True)
    # db_default: bulk writers that name their columns (synthetic data, imports) get "other",
    # the honest answer for a number nobody has classified.
    measure = models.CharField(
        max_length=12, choices=Measure.choices, default=Measure.OTHER, db_default=Measure.OTHER
    )
    measure_reason = models.CharField(max_length=200, blank=True, default="", db_default="")
    # True once a reviewer chose the measure: re-extraction keeps it for the same span.
    measure_set_by_reviewer = models.BooleanField(default=False, db_default=False)
    # When and where the text says the figure holds (extraction/occasions.py): empty when it
    # does not say, and the source's date stands in. db_default for the bulk writers, as above.
    stated_on = models.DateField(null=True, blank=True)
    place = models.CharField(max_length=100, blank=True, default="", db_default="")

    class Meta:
        verbose_name_plural = "quantities"
        ordering = ["start", "pk"]
        indexes = (
            # Figures are compared per known measure; "other" (most numbers) is never compared,
            # so it stays out of both indexes.
            models.Index(
                fields=["measure"], condition=~Q(measure="other"), name="quantity_known_measure"
            ),
            # ...and the newest of them in one investigation: an index walk, however old the
            # investigation and however many numbers the others hold.
            models.Index(
                fields=["investigation", "measure", "-id"],
                condition=~Q(measure="other"),
                name="quantity_figures_newest",
            ),
        )
        constraints = (
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="quantity_span_not_empty"),
        )

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.investigation_id = self.claim.investigation_id
        self.clean()
        super().save(*args, **kwargs)

    def clean(self):
        claim = self.claim
        if not (claim.start <= self.start and self.end <= claim.end):
            raise ValidationError("A quantity must lie inside its claim's quote.")
        if claim.source.text[self.start : self.end] != self.text:
            raise ValidationError("The quantity's text does not match the source at its offsets.")

    @property
    def display_value(self):
        return quantity_display(self.value, self.low, self.high, self.bound)


_BOUND_PREFIXES = {"approximate": "≈ ", "lower": "≥ ", "upper": "≤ "}


def quantity_display(value, low, high, bound):
    """Human reading of a figure: '≈ 20,000', '≥ 20,000', '100–300'.

    A function of plain values so that exports reading rows with values_list() say it the
    same way as the model.
    """
    if low is not None and high is not None and low != high:
        return f"{_format_number(low)}–{_format_number(high)}"
    return f"{_BOUND_PREFIXES.get(bound, '')}{_format_number(value)}"


def _format_number(value):
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


class Reliability(models.TextChoices):
    UNRATED = "unrated", "Not rated"
    RELIABLE = "reliable", "Reliable"
    MOSTLY_RELIABLE = "mostly_reliable", "Mostly reliable"
    MIXED = "mixed", "Mixed record"
    UNRELIABLE = "unreliable", "Unreliable"


class Evidence(models.Model):
    """A document (usually a web page) cited as evidence in an investigation.

    One page is one Evidence row however many claims cite it; the stance and excerpt belong to
    each claim's citation (ClaimEvidence), because one page may support one claim and refute
    another.
    """

    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="evidence"
    )
    url = models.URLField("URL", max_length=2000, blank=True)
    normalized_url = models.CharField(max_length=2000, blank=True, editable=False)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    reliability = models.CharField(
        "source reliability",
        max_length=20,
        choices=Reliability.choices,
        default=Reliability.UNRATED,
    )
    added_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    # Copies of what the snapshots table says, kept by Snapshot.save() (and by bulk inserts
    # through refresh_snapshot_pointers): the claim page reads both with the citations in
    # one join instead of loading every snapshot of every evidence item.
    latest_snapshot = models.ForeignKey(
        "Snapshot",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The newest snapshot, whatever its status.",
    )
    archived_snapshot = models.ForeignKey(
        "Snapshot",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The newest snapshot that holds a copy of the page.",
    )

    # Set when the evidence is another source's claim cited as testimony (links.py): the
    # claim it quotes, in the same investigation. Title, publisher and the citation's
    # excerpt are copied from it, so the citation reads the same if the claim changes later.
    testimony = models.ForeignKey(
        "Claim",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="cited_as_testimony",
    )

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["created_at", "pk"]
        indexes = (models.Index(fields=["investigation", "normalized_url"]),)
        constraints = (
            # One page is one evidence item, captured once, however many claims cite it at
            # the same moment (evidence.cite_evidence retries on this). Evidence without a
            # link (a book, an interview) may repeat.
            models.UniqueConstraint(
                fields=["investigation", "normalized_url"],
                condition=~Q(normalized_url=""),
                name="one_evidence_per_link",
            ),
        )

    def __str__(self):
        return self.title

    def clean(self):
        check_web_links(url=self.url)

    @property
    def domain(self):
        """The host of the page without "www.", for matching publisher ratings."""
        host = urlsplit(self.normalized_url or self.url).hostname or ""
        return host.removeprefix("www.")


class EvidenceFileImmutable(ValidationError):
    """Raised when code tries to change a stored evidence file."""


class EvidenceFile(models.Model):
    """An uploaded file cited as evidence: a photo, a PDF, a recording, a video.

    Its bytes decided its type (claims/evidence/files.py), and its SHA-256 identifies it: the
    same bytes uploaded again in an investigation are the same evidence item, cited again.
    Stored under MEDIA_ROOT and served only through permission-checked views. Never changed
    once stored, like a finished snapshot; pictures keep a re-encoded copy without metadata
    (shown to browsers and published in bundles) and a thumbnail beside the original.
    """

    class Kind(models.TextChoices):
        IMAGE = "image", "Picture"
        PDF = "pdf", "PDF document"
        AUDIO = "audio", "Audio recording"
        VIDEO = "video", "Video"

    evidence = models.OneToOneField(Evidence, on_delete=models.CASCADE, related_name="file")
    # Copied from the evidence for the constraint below (one item per file and investigation).
    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="+")
    sha256 = models.CharField("SHA-256", max_length=64)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField("size in bytes")
    original_name = models.CharField(max_length=255, blank=True)
    file = models.FileField(upload_to="evidence/%Y/%m/", max_length=200)
    # Pictures only: the published copy (upright, re-encoded, no metadata) and its SHA-256,
    # a thumbnail, the size upright, what the picture says of itself, and its dHash.
    published_copy = models.FileField(upload_to="evidence/%Y/%m/", max_length=200, blank=True)
    published_sha256 = models.CharField(max_length=64, blank=True)
    published_content_type = models.CharField(max_length=100, blank=True)
    thumbnail = models.FileField(upload_to="evidence/%Y/%m/", max_length=200, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    dhash = models.CharField("difference hash", max_length=16, blank=True)
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = (
            # Two uploads of the same bytes at once: the second insert fails on this and
            # files.attach_file cites the first one's item instead.
            models.UniqueConstraint(
                fields=["investigation", "sha256"], name="one_evidence_per_file"
            ),
        )

    def __str__(self):
        return f"{self.get_kind_display()} {self.sha256[:12]}"

    def save(self, *args, **kwargs):
        """Save a new file; refuse any change to a stored one (upload again instead)."""
        if self.pk is not None and EvidenceFile.objects.filter(pk=self.pk).exists():
            raise EvidenceFileImmutable("A stored evidence file cannot change.")
        super().save(*args, **kwargs)

    @property
    def is_image(self):
        return self.kind == self.Kind.IMAGE

    @property
    def extension(self):
        name = self.file.name or ""
        return name.rpartition(".")[2] if "." in name else "bin"


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"
    CONTEXT = "context", "Adds context"


class ClaimEvidence(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="citations")
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="citations")
    stance = models.CharField(max_length=12, choices=Stance.choices)
    excerpt = models.TextField(blank=True)
    note = models.TextField(blank=True)
    added_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    # A retracted citation is never deleted: it leaves the evidence a verdict rests on and
    # stays in the history, struck through, with who took it back and why.
    retracted_at = models.DateTimeField(null=True, blank=True)
    retracted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retraction_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = "evidence citation"
        ordering = ["created_at", "pk"]
        constraints = (
            # Once while cited: a retracted citation stays beside a new one of the same page.
            models.UniqueConstraint(
                fields=["claim", "evidence"],
                condition=Q(retracted_at__isnull=True),
                name="cite_evidence_once_while_cited",
            ),
        )

    def __str__(self):
        return f"{self.get_stance_display()}: {self.evidence}"

    def clean(self):
        limits.check_lengths(
            excerpt=(self.excerpt, limits.EXCERPT_MAX_CHARS),
            note=(self.note, limits.NOTE_MAX_CHARS),
        )


class Snapshot(models.Model):
    """What an evidence URL returned when it was archived; never modified after capture."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Capturing"
        DONE = "done", "Archived"
        FAILED = "failed", "Failed"

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="snapshots")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    method = models.CharField(max_length=200, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    body = models.FileField(upload_to="snapshots/%Y/%m/", blank=True)
    extracted_text = models.TextField(blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a worker took the capture (pending -> running); a running capture much older than
    # any fetch can take has lost its worker (see is_stale).
    started_at = models.DateTimeField(null=True, blank=True)

    FINISHED_STATUSES = (Status.DONE, Status.FAILED)
    INTERRUPTED = "Capture interrupted; try again."

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_status_display()} snapshot of {self.evidence}"

    def save(self, *args, **kwargs):
        """Save, refusing any change to a finished snapshot.

        A finished capture is a record of what the page said at that time: re-checks and
        retries add new rows (see CollectionLogEntry) instead of touching this one. The
        stored status is read again here, so a stale instance cannot slip past.
        """
        finished = Snapshot.objects.filter(pk=self.pk, status__in=self.FINISHED_STATUSES)
        if self.pk is not None and finished.exists():
            raise SnapshotImmutable("A finished snapshot cannot change; capture again instead.")
        adding = self._state.adding
        super().save(*args, **kwargs)
        refresh_snapshot_pointers([self.evidence_id])
        if Snapshot.evidence.is_cached(self):
            # Keep the caller's evidence instance in step with the row just updated: a new
            # snapshot is the newest one, and one just archived is the newest copy.
            if adding:
                self.evidence.latest_snapshot = self
            if self.status == self.Status.DONE:
                self.evidence.archived_snapshot = self

    def clean(self):
        check_web_links(final_url=self.final_url)

    # The capture as a background job (jobs.py). A retried capture is a new row, so the
    # row's creation is when it was queued.
    JOB = jobs.JobKind(
        name="capture",
        task_path="claims.evidence.capture.capture_snapshot",
        status_field="status",
        pending=Status.PENDING,
        running=Status.RUNNING,
        queued_at_field="created_at",
        started_at_field="started_at",
        select_related=("evidence", "requested_by"),
    )

    @property
    def is_stale(self):
        """True for a capture still pending or running long after any worker would have
        finished it, with no task left in the queue to do so (jobs.py): its worker died
        (killed, out of memory, machine restarted). It then counts as failed, so the page
        stops waiting and offers a retry."""
        return jobs.is_stale(self.JOB, self)

    @property
    def is_in_progress(self):
        return self.status in (self.Status.PENDING, self.Status.RUNNING) and not self.is_stale

    @property
    def has_failed(self):
        return self.status == self.Status.FAILED or self.is_stale

    @property
    def failure_reason(self):
        if self.status == self.Status.FAILED:
            return self.error
        return self.INTERRUPTED if self.is_stale else ""

    @property
    def was_interrupted(self):
        return self.failure_reason == self.INTERRUPTED

    @property
    def text_sha256(self):
        return self.metadata.get("text_sha256", "")


def refresh_snapshot_pointers(evidence_ids):
    """Set Evidence.latest_snapshot and .archived_snapshot of the given evidence ids from
    their snapshots, in one UPDATE. Snapshot.save() calls it; bulk inserts must too."""
    snapshots = Snapshot.objects.filter(evidence=OuterRef("pk")).order_by("-created_at", "-pk")
    Evidence.objects.filter(pk__in=evidence_ids).update(
        latest_snapshot=Subquery(snapshots.values("pk")[:1]),
        archived_snapshot=Subquery(snapshots.filter(status=Snapshot.Status.DONE).values("pk")[:1]),
    )


class SnapshotImmutable(ValidationError):
    """Raised when code tries to change a finished snapshot."""


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses bulk updates and deletes: the rows of an append-only model are never rewritten."""

    def update(self, **kwargs):
        raise TypeError(self.model.append_only_error)  # type: ignore[attr-defined]

    def delete(self):
        raise TypeError(self.model.append_only_error)  # type: ignore[attr-defined]


class AppendOnlyModel(models.Model):
    """A record that is inserted once and never changed or deleted through the ORM.

    Rows still go when their investigation is deleted: cascades are issued by the collector as
    raw deletes, which neither these methods nor the queryset see.
    """

    append_only_error = "This record is append-only."

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError(self.append_only_error)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(self.append_only_error)


class CollectionLogEntry(AppendOnlyModel):
    """One line of an evidence item's collection log (Berkeley Protocol): who collected or
    re-checked what, when (UTC), how, and the SHA-256 of what was kept. Append-only."""

    class Action(models.TextChoices):
        CAPTURE = "capture", "Capture"
        RECHECK = "recheck", "Re-check"
        UPLOAD = "upload", "Upload"

    class Outcome(models.TextChoices):
        ARCHIVED = "archived", "Archived"
        FAILED = "failed", "Capture failed"
        UNCHANGED = "unchanged", "Unchanged"
        CHANGED = "changed", "Changed since capture"
        GONE = "gone", "Gone"
        UNREACHABLE = "unreachable", "Could not be checked"
        STORED = "stored", "Stored"

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="collection_log")
    snapshot = models.ForeignKey(
        Snapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="log_entries"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    at = models.DateTimeField("time (UTC)")
    # Blank for an uploaded file: it came from a person, not from an address.
    url = models.URLField("URL requested", max_length=2000, blank=True)
    final_url = models.URLField("URL answered", max_length=2000, blank=True)
    address = models.CharField("IP address connected to", max_length=45, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    method = models.CharField(max_length=300)
    operator = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    # Kept as text too: the log must still name the operator if the account is removed.
    operator_name = models.CharField(max_length=150)
    sha256 = models.CharField("SHA-256 of the body", max_length=64, blank=True)
    text_sha256 = models.CharField("SHA-256 of the extracted text", max_length=64, blank=True)
    detail = models.TextField(blank=True)

    append_only_error = "The collection log is append-only."

    class Meta:
        verbose_name = "collection log entry"
        verbose_name_plural = "collection log"
        ordering = ["at", "pk"]
        indexes = (models.Index(fields=["evidence", "at"]),)

    def __str__(self):
        return f"{self.get_action_display()} of {self.url}: {self.get_outcome_display()}"


class Publisher(models.Model):
    """The team's reliability rating for a domain within one investigation."""

    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="publishers"
    )
    domain = models.CharField(
        max_length=253, help_text="example.org also covers its subdomains (news.example.org)."
    )
    name = models.CharField(max_length=200, blank=True)
    reliability = models.CharField(
        max_length=20, choices=Reliability.choices, default=Reliability.UNRATED
    )
    note = models.TextField(blank=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["domain"]
        constraints = (
            models.UniqueConstraint(
                fields=["investigation", "domain"], name="one_rating_per_domain"
            ),
        )

    def __str__(self):
        return self.name or self.domain

    def clean(self):
        limits.check_lengths(note=(self.note, limits.NOTE_MAX_CHARS))


class VerdictRating(models.TextChoices):
    TRUE = "true", "True"
    MOSTLY_TRUE = "mostly_true", "Mostly true"
    MIXED = "mixed", "Mixed"
    MOSTLY_FALSE = "mostly_false", "Mostly false"
    FALSE = "false", "False"
    MISLEADING = "misleading", "Misleading"
    UNVERIFIABLE = "unverifiable", "Unverifiable"


class Verdict(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Awaiting sign-off"
        SIGNED_OFF = "signed_off", "Signed off"
        RETURNED = "returned", "Sent back"
        SUPERSEDED = "superseded", "Superseded"
        # Was signed off; what it rested on changed afterwards (see `void_reason`).
        VOIDED = "voided", "Sign-off voided"

    CURRENT_STATUSES = (Status.PROPOSED, Status.SIGNED_OFF)

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="verdicts")
    rating = models.CharField(max_length=16, choices=VerdictRating.choices)
    rationale = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    signed_off_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # What a sign-off approved (signoff.py): the content as it stood and its SHA-256.
    signed_content = models.JSONField(default=dict, blank=True)
    signed_sha256 = models.CharField("SHA-256 of what was signed off", max_length=64, blank=True)
    # A verdict put up again for sign-off after its earlier sign-off was voided.
    resubmission_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="resubmissions"
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    void_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = (
            # Four eyes, enforced by the database itself.
            models.CheckConstraint(
                condition=Q(signed_off_by__isnull=True) | ~Q(signed_off_by=F("proposed_by")),
                name="verdict_signed_off_by_someone_else",
            ),
            models.CheckConstraint(condition=~Q(rationale=""), name="verdict_rationale_required"),
            models.CheckConstraint(
                condition=Q(status="signed_off", signed_off_by__isnull=False)
                | ~Q(status="signed_off"),
                name="signed_off_verdict_names_reviewer",
            ),
            # At most one verdict per claim is current; older ones stay as history.
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(status__in=["proposed", "signed_off"]),
                name="one_current_verdict_per_claim",
            ),
        )

    def __str__(self):
        return f"{self.get_rating_display()} ({self.get_status_display()})"

    @property
    def is_signed_off(self):
        return self.status == self.Status.SIGNED_OFF

    def clean(self):
        if not self.rationale.strip():
            raise ValidationError({"rationale": "Explain the verdict: a rationale is required."})
        limits.check_lengths(
            rationale=(self.rationale, limits.RATIONALE_MAX_CHARS),
            review_comment=(self.review_comment, limits.COMMENT_MAX_CHARS),
        )
        if self.signed_off_by_id is not None and self.signed_off_by_id == self.proposed_by_id:
            raise ValidationError(
                "A verdict must be signed off by someone other than its proposer."
            )


class Comment(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    mentions: models.ManyToManyField = models.ManyToManyField(
        USER, blank=True, related_name="mentioned_in"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:60]

    def clean(self):
        limits.check_lengths(body=(self.body, limits.COMMENT_MAX_CHARS))


class AuditEvent(AppendOnlyModel):
    """One recorded change. Rows are only ever inserted, by audit.record(), which chains them
    per investigation: `seq`, `prev_sha256` and `sha256` as audit_chain.py defines them."""

    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="audit_events"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    # The actor's username when the event was written ("" for the system): this, not the
    # account, is what the chain covers, so renaming or deleting an account breaks nothing.
    actor_username = models.CharField(max_length=150, blank=True, editable=False)
    action = models.CharField(max_length=50)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    # Set before the insert (not auto_now_add, which would overwrite it): the hash covers it.
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    seq = models.PositiveBigIntegerField(editable=False)
    prev_sha256 = models.CharField(max_length=64, editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)

    append_only_error = "Audit events are append-only."

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = (
            models.Index(fields=["investigation", "-created_at"]),
            models.Index(fields=["claim", "-created_at"]),
        )
        constraints = (
            # Two writers that both read the same head cannot both append after it.
            models.UniqueConstraint(fields=["investigation", "seq"], name="audit_seq_once"),
        )

    def __str__(self):
        return f"{self.actor} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self.sha256:
            raise TypeError("Audit events are written by audit.record(), which chains them.")
        super().save(*args, **kwargs)


class LoginThrottle(models.Model):
    """Recent failed log-ins for one account or one client address (see throttling.py).

    Kept in the database rather than a cache so every server process sees the same count.
    The key is a hash: usernames typed at a log-in form are sometimes passwords.
    """

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = (models.Index(fields=["last_failure_at"]),)

    def __str__(self):
        return f"{self.failures} failures, the last at {self.last_failure_at:%Y-%m-%d %H:%M}"


class ReportFile(models.Model):
    """A report in a format too slow to build inside a request (PDF, bundle), made by the
    task worker for a large investigation and kept in media storage until downloaded."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Preparing"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"
        # The worker stopped mid-way (see jobs.py); it can be queued again.
        INTERRUPTED = "interrupted", "Interrupted"

    FINISHED_STATUSES = (Status.DONE, Status.FAILED, Status.INTERRUPTED)

    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="report_files"
    )
    requested_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    format_name = models.CharField(max_length=20)
    # The ReportOptions fields the file is built with, and the report page query they came
    # from (to link back to the same preview).
    options = models.JSONField(default=dict)
    query = models.CharField(max_length=2000, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When it was last queued (a retry queues it again) and when a worker took it.
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.format_name} of {self.investigation} ({self.get_status_display()})"

    @property
    def is_in_progress(self):
        """True while queued or being built by a worker that may still finish it."""
        return self.status in (self.Status.PENDING, self.Status.RUNNING) and not self.is_stale

    # Building the file as a background job (jobs.py).
    JOB = jobs.JobKind(
        name="report file",
        task_path="claims.reporting.report_files.build_report_file_task",
        status_field="status",
        pending=Status.PENDING,
        running=Status.RUNNING,
        queued_at_field="queued_at",
        started_at_field="started_at",
    )

    @property
    def is_stale(self):
        return jobs.is_stale(self.JOB, self)

    @property
    def was_interrupted(self):
        return self.status == self.Status.INTERRUPTED or self.is_stale

    @property
    def can_be_retried(self):
        return self.status == self.Status.FAILED or self.was_interrupted


@receiver(post_delete, sender=ReportFile)
def _remove_report_file_from_storage(sender, instance, using, **kwargs):
    _remove_from_storage_on_commit(instance.file, using)


@receiver(post_delete, sender=Source)
def _remove_original_from_storage(sender, instance, using, **kwargs):
    _remove_from_storage_on_commit(instance.original_file, using)


@receiver(post_delete, sender=Snapshot)
def _remove_snapshot_body_from_storage(sender, instance, using, **kwargs):
    _remove_from_storage_on_commit(instance.body, using)


@receiver(post_delete, sender=EvidenceFile)
def _remove_evidence_file_from_storage(sender, instance, using, **kwargs):
    for stored in (instance.file, instance.published_copy, instance.thumbnail):
        _remove_from_storage_on_commit(stored, using)


@receiver(post_delete, sender=Investigation)
def _forget_kept_pages(sender, instance, using, **kwargs):
    """Kept pages of a deleted investigation could no longer be served (the data version
    moved), but as files (factcheck/file_cache.py) they would stay on disk until culled: what
    was deleted leaves the cache once the deletion commits, whichever door deleted it (the
    owner's page, a shell, a command)."""
    transaction.on_commit(cache.clear, using=using, robust=True)


def _remove_from_storage_on_commit(stored, using):
    """A stored file (prepared report, uploaded original, archived page) leaves media storage
    with its row, however the row goes: pruning, the admin, or its investigation being deleted
    (the collector sends post_delete for every cascaded row). Only once the deletion commits,
    so a rolled-back delete keeps a row that still points at its file. robust: a file that
    cannot be removed is logged, not turned into an error after the deletion has committed."""
    if stored:
        transaction.on_commit(lambda: stored.delete(save=False), using=using, robust=True)


class ClaimLink(models.Model):
    """Two claims that may say the same thing, or opposite things: found by the matcher
    (corroboration/similar.py), then confirmed or rejected by a reviewer (links.py).

    One row per unordered pair, the lower claim id first. The pair may span two
    investigations; every read filters to the claims the reader may see. A decided link is
    never touched by the matcher again: a rejection stays rejected.
    """

    class Relation(models.TextChoices):
        SAME = "same", "Same claim"
        CONTRADICTS = "contradicts", "Contradicts"

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        CONFIRMED_SAME = "confirmed_same", "Confirmed: same claim"
        CONFIRMED_CONTRADICTS = "confirmed_contradicts", "Confirmed: contradicts"
        REJECTED = "rejected", "Rejected"

    CONFIRMED = (Status.CONFIRMED_SAME, Status.CONFIRMED_CONTRADICTS)

    claim_a = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_as_a")
    claim_b = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_as_b")
    # True when both claims belong to one investigation: only such links count as
    # corroboration and may be cited as evidence.
    same_investigation = models.BooleanField(default=True)
    relation = models.CharField(max_length=12, choices=Relation.choices)
    score = models.FloatField()
    reason = models.CharField(max_length=300)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.SUGGESTED)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-score", "pk"]
        constraints = (
            models.UniqueConstraint(fields=["claim_a", "claim_b"], name="one_link_per_pair"),
            models.CheckConstraint(
                condition=Q(claim_a__lt=F("claim_b")), name="link_lower_claim_first"
            ),
        )
        indexes = (
            models.Index(fields=["claim_b"], name="link_claim_b"),
            # Independent corroboration reads the confirmed links only; few rows.
            models.Index(
                fields=["claim_a", "claim_b"],
                condition=Q(status="confirmed_same"),
                name="link_confirmed_same",
            ),
        )

    def __str__(self):
        return f"{self.get_status_display()} ({self.score:.2f}): {self.reason}"[:200]

    def other(self, claim_id):
        """The id of the claim at the other end from `claim_id`."""
        return self.claim_b_id if claim_id == self.claim_a_id else self.claim_a_id


class ClaimToken(models.Model):
    """One normalised word (or number) of a claim, for finding candidate matches by shared
    words through an index instead of scoring every claim (corroboration/links.py)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=40)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["claim", "token"], name="one_token_per_claim"),
        )
        indexes = (
            # Newest claims first for each word: the candidate search reads a bounded slice.
            models.Index(fields=["token", "-claim"], name="claim_token_lookup"),
        )

    def __str__(self):
        return self.token


class ApiToken(models.Model):
    """A personal token for the REST API (claims/access/tokens.py makes and checks them).

    Only a SHA-256 of the secret is kept: the token is shown once, when it is made. The
    visible `prefix` (the start of the token) finds the row in one indexed lookup and tells
    the owner which of their tokens a leaked string is.
    """

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    is_read_only = models.BooleanField("read-only", default=False)
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_sha256 = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Moved at most once a minute (tokens.LAST_USED_STEP): a write per request would make
    # every read of the API a write.
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Made in a session that had passed a second factor: only such a token opens an
    # investigation that requires one, and only while its owner keeps a second factor.
    with_second_factor = models.BooleanField(default=False, db_default=False, editable=False)

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self):
        return self.revoked_at is not None


class NotificationKind(models.TextChoices):
    MENTION = "mention", "Someone mentions you in a comment"
    ASSIGNMENT = "assignment", "A claim is assigned to you"
    SIGN_OFF = "sign_off", "A verdict waits for your sign-off"
    SENT_BACK = "sent_back", "Your verdict is sent back"


class NotificationMode(models.TextChoices):
    IMMEDIATE = "immediate", "Email at once"
    DIGEST = "digest", "In a daily digest"
    OFF = "off", "Off"


class NotificationSetting(models.Model):
    """How one person wants one kind of notification; without a row, at once by email."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notification_settings")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    mode = models.CharField(max_length=12, choices=NotificationMode.choices)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["user", "kind"], name="one_setting_per_kind"),
        )

    def __str__(self):
        return f"{self.user} · {self.kind}: {self.mode}"


class Notification(models.Model):
    """One email owed to one person about one audited event (review/notifications.py).

    Written in the event's own transaction, sent by the task worker: at once, or with the
    person's daily digest. A sender claims the row (`claimed_at`, `claim_token`) before the
    mail leaves, so two workers never send it twice, and sets `sent_at` after; a claim left
    by a sender that died expires, so the mail is sent later rather than lost.
    """

    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    digest = models.BooleanField(default=False)
    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="notifications"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    # What happened, in one line of plain text, written when the event happens.
    summary = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Why it was not sent: the person left the investigation, or turned this kind off since.
    dropped = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = (models.Index(fields=["recipient", "digest", "sent_at"]),)

    def __str__(self):
        return f"{self.kind} for {self.recipient}: {self.summary[:60]}"


class FiguresGeneration(models.Model):
    """How often an investigation's figures changed: moved by database triggers on every
    write that can change what the numbers page compares (corroboration/generation.py).

    Made and kept by generation.install(), not by migrations, as the data version's counter
    is: migrating back to an older state must not drop a table the triggers write to. No
    foreign key: the triggers write a row while the investigation's claims are being deleted,
    before the investigation itself goes (a trigger on its delete removes the row).
    """

    investigation_id = models.BigIntegerField(primary_key=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        managed = False
        db_table = "claims_figuresgeneration"

    def __str__(self):
        return f"investigation {self.investigation_id}: generation {self.n}"


class FigureSummary(models.Model):
    """The numbers page's answer for one investigation, kept under the figures generation it
    was computed at (corroboration/summaries.py): per measure its count, verdict, the figures
    the verdict cites, the extremes standings need and the first page of figures, as ids."""

    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="figure_summaries"
    )
    with_suggestions = models.BooleanField()
    generation = models.BigIntegerField()
    per_page = models.PositiveIntegerField()
    measures = models.JSONField(default=list)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["investigation", "with_suggestions"], name="figure_summary_unique"
            ),
        )

    def __str__(self):
        return f"figures of investigation {self.investigation_id} at {self.generation}"

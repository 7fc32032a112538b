"""Forms: every input is validated here, htmx or not; views read cleaned_data only."""

from typing import cast

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, PasswordResetForm
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify

from claims import limits
from claims.access import second_factor, throttling, tokens
from claims.evidence import archiving
from claims.evidence.publishers import clean_domain
from claims.extraction.language import LANGUAGE_CHOICES
from claims.listing.search import SORTS
from claims.models import (
    Attribution,
    ClaimStatus,
    Investigation,
    NotificationKind,
    NotificationMode,
    Priority,
    Quantity,
    Reliability,
    Role,
    Source,
    Stance,
    VerdictRating,
)
from claims.parameters import whole_number
from claims.reporting.reports import ReportOptions
from claims.review.workflow import TRANSITIONS
from claims.sources import documents
from claims.sources.anchoring import (
    AnchorError,
    anchor_span,
    find_quote,
    trim_span,
    widen_to_graphemes,
)
from claims.weblinks import validate_web_link


def clean_link(url, *, wrong_scheme):
    """`url` if the fetcher could request it, else ValidationError: `wrong_scheme` for other
    schemes, the fetcher's reason for a malformed link (a port out of range, a backslash).
    Whether its address may be fetched is decided when it is fetched."""
    if not url:
        return url
    validate_web_link(url, wrong_scheme)
    try:
        archiving.check_syntax(url)
    except archiving.CaptureRefused as error:
        raise forms.ValidationError(str(error)) from error
    return url


def _limited_text(limit, *, rows, error_messages=None, **kwargs):
    """A Textarea field of at most `limit` characters, with the limit in its message."""
    return forms.CharField(
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={**limits.form_error_messages(limit), **(error_messages or {})},
        **kwargs,
    )


class WholeNumberField(forms.Field):
    """A whole number read as parameters.whole_number reads one: anything else is None.

    For ids and versions sent beside a form, where a bad value means "none given" rather
    than an error to show.
    """

    def to_python(self, value):
        return whole_number(value)


class NextForm(forms.Form):
    """Where a POST sends the user back to (`next`, kept only if it stays on this site), and
    whether it came from a row of the claim list (`from=list`)."""

    next = forms.CharField(required=False, strip=False)

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a keyword, so the field cannot be declared on the class.
        self.fields["from"] = forms.CharField(required=False, strip=False)
        self.request = request

    def clean_next(self):
        target = self.cleaned_data["next"]
        allowed = url_has_allowed_host_and_scheme(
            target, {self.request.get_host()}, self.request.is_secure()
        )
        return target if allowed else ""

    def next_or(self, fallback):
        """The safe `next`, or `fallback` when none (or an unsafe one) was sent."""
        self.is_valid()
        return self.cleaned_data.get("next") or fallback

    @property
    def from_list(self):
        self.is_valid()
        return self.cleaned_data.get("from") == "list"


class PageForm(forms.Form):
    """Which page of a paged list the query asks for, under `key` ("page" unless told).

    The value goes to the paginator as sent: it already answers page 1 for what it cannot
    read. Nothing is ever an error here.
    """

    def __init__(self, *args, key="page", **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key
        self.fields[key] = forms.CharField(required=False, strip=False, empty_value=None)

    @property
    def number(self):
        self.is_valid()
        return self.cleaned_data.get(self.key)


class NumbersForm(forms.Form):
    """The numbers page's query: also count suggested claims; one measure, a page at a time.

    Never an error: anything but a ticked box reads as "no", an unknown measure as all of
    them, and the page number goes to the overview, which clamps it.
    """

    suggested = forms.BooleanField(required=False, label="Include suggested claims")
    measure = forms.CharField(required=False)
    page = forms.CharField(required=False)

    def _value(self, name):
        self.is_valid()
        return self.cleaned_data.get(name)

    @property
    def include_suggestions(self):
        return bool(self._value("suggested"))

    @property
    def measure_kind(self):
        """A known measure other than "other", or None."""
        value = self._value("measure")
        known = set(Quantity.Measure.values) - {Quantity.Measure.OTHER}
        return value if value in known else None

    @property
    def page_number(self):
        value = self._value("page") or ""
        return int(value) if value.isdigit() and len(value) < 9 else 1


class ClaimListQueryForm(PageForm):
    """The claim list's page and the source it is narrowed to (before the filter form is
    built: an older source chosen from its own page must be offered among the choices)."""

    source = WholeNumberField(required=False)

    @property
    def source_id(self):
        self.is_valid()
        return self.cleaned_data.get("source")


class PanelForm(forms.Form):
    """The panel of the claim page an htmx refresh asks for (`?panel=`); "" for the page."""

    panel = forms.CharField(required=False, strip=False)

    @property
    def name(self):
        self.is_valid()
        return self.cleaned_data.get("panel", "")


class MentionsReadForm(forms.Form):
    """Which investigation's mentions to mark read; none (or an unreadable id) means all."""

    investigation = WholeNumberField(required=False)


class MemberForm(forms.Form):
    """Give a user a role in an investigation, change it, or ("remove") end their membership.

    `cleaned_data` gives `user` and `role` (None for "remove"); who may change whom is
    decided by access.memberships.set_role.
    """

    REMOVE = "remove"

    username = forms.CharField(required=False)
    role = forms.CharField(required=False, strip=False)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        username, role = cleaned["username"], cleaned["role"]
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(f"There is no user called “{username}”.")
        if role not in Role.values and role != self.REMOVE:
            raise forms.ValidationError("Choose a role.")
        cleaned["user"] = user
        cleaned["role"] = None if role == self.REMOVE else role
        return cleaned

    def first_error(self):
        return next((message for errors in self.errors.values() for message in errors), "")


class InvestigationForm(forms.ModelForm):
    """A new investigation: title, the address it lives at (from the title when left empty),
    and what it is about."""

    class Meta:
        model = Investigation
        fields = ("title", "slug", "description")
        labels = {"slug": "Address"}
        help_texts = {
            "slug": "Letters, digits and hyphens, as in /i/flood-2026/. Left empty, it is made "
            "from the title. It cannot be changed later.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        slug = cleaned.get("slug") or slugify(cleaned.get("title", ""))[:80].strip("-")
        if not slug:
            self.add_error("slug", "Choose an address of letters, digits and hyphens.")
        elif Investigation.objects.filter(slug=slug).exists():
            self.add_error("slug", f"The address “{slug}” is taken; choose another.")
        cleaned["slug"] = slug
        return cleaned

    def validate_unique(self):
        # The slug made from the title is checked in clean(), with a message that names it.
        pass


class InvestigationEditForm(forms.ModelForm):
    class Meta:
        model = Investigation
        fields = ("title", "description")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ArchiveForm(forms.Form):
    """Archive (read-only) or restore an investigation."""

    archived = forms.TypedChoiceField(
        choices=[("1", "Archive"), ("0", "Restore")], coerce=lambda value: value == "1"
    )


class SecondFactorRequirementForm(forms.Form):
    """Whether members of an investigation need a second factor."""

    required = forms.TypedChoiceField(
        choices=[("1", "Require"), ("0", "Do not require")], coerce=lambda value: value == "1"
    )


class DeleteInvestigationForm(forms.Form):
    confirmation = forms.CharField(
        label="Type the investigation's address to confirm", max_length=80, strip=True
    )

    def __init__(self, *args, investigation, **kwargs):
        super().__init__(*args, **kwargs)
        self.investigation = investigation

    def clean_confirmation(self):
        value = self.cleaned_data["confirmation"]
        if value != self.investigation.slug:
            raise forms.ValidationError(
                f"Type “{self.investigation.slug}” exactly to confirm the deletion."
            )
        return value


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)


class SignUpForm(BaseUserCreationForm):
    """An account made from an invitation: a username and a password checked by the
    installation's password validators (the email is the invitation's)."""

    class Meta(BaseUserCreationForm.Meta):
        model = get_user_model()
        fields = ("username",)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken; choose another.")
        return username


class NotificationSettingsForm(forms.Form):
    """How a person wants each kind of notification: at once, in a daily digest, or not."""

    def __init__(self, *args, modes, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=NotificationMode.choices, initial=modes[kind]
            )


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's password reset request, counted like a failed log-in per address and per
    email, so the form cannot be used to flood an inbox or probe addresses quickly."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if not email:
            return cleaned
        address = throttling.client_address(self.request.META) if self.request else ""
        # Every request counts, as no password is checked to take it back.
        wait = throttling.begin_attempt(f"password-reset:{email}", address)
        if wait:
            message = throttling.locked_message(wait, what="reset requests")
            raise forms.ValidationError(message, code="throttled")
        return cleaned


_DETECT = ("", "Detect from the text")


class SourceForm(forms.ModelForm):
    language = forms.ChoiceField(
        choices=(_DETECT, *LANGUAGE_CHOICES),
        required=False,
        help_text="Picks the extraction rules. Left to detection, it can be corrected later.",
    )

    class Meta:
        model = Source
        fields = (
            "title",
            "kind",
            "author",
            "publisher",
            "origin_url",
            "published_on",
            "language",
            "text",
        )
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}),
            "text": forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}),
        }
        help_texts = {
            "author": "The witness or author, as the source names them.",
            "text": "Paste the full text. It cannot be edited afterwards: claims are anchored "
            "to its exact characters and its SHA-256 is recorded.",
        }
        error_messages = {"text": {"required": "The text is empty."}}

    def clean_text(self):
        # Line endings are normalised (browsers send CRLF, and offsets must not depend on which
        # browser pasted the text). A NUL never reaches here: Django's field refuses it, rightly,
        # as nobody types one and a paste holding one is binary. Other controls are invisible
        # leftovers (Word's manual line break is U+000B), which nobody could find to delete:
        # they are cleaned as in imported documents.
        text = documents.clean_controls(documents.normalize_newlines(self.cleaned_data["text"]))
        if not text.strip():
            raise forms.ValidationError("The text is empty.")
        if len(text) > settings.SOURCE_TEXT_MAX_CHARS:
            raise forms.ValidationError(
                f"The text is longer than {settings.SOURCE_TEXT_MAX_CHARS:,} characters."
            )
        return text

    @classmethod
    def too_large_to_send(cls):
        """An empty form saying why the text it was sent could not even be read: the post
        was over DATA_UPLOAD_MAX_MEMORY_SIZE (see claims.middleware)."""
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        form = cls(data={})
        form.is_valid()
        form.errors.clear()  # nothing was read, so "required" would be wrong
        # A form's UTF-8 bytes are about one per English character and two per Cyrillic one.
        form.add_error(
            "text",
            f"The text is larger than the {_megabytes(limit)} MB a form can send (about "
            f"{_about(limit)} characters of English or {_about(limit // 2)} of Cyrillic). "
            f"Split it into parts, or save it as a .txt file and import that.",
        )
        return form


def _megabytes(size):
    megabytes = size / 1024**2
    return f"{megabytes:.0f}" if megabytes >= 10 else f"{megabytes:.2g}"


def _about(count):
    return f"{count / 1_000_000:.1f} million" if count >= 1_000_000 else f"{count:,}"


class TranslationOfForm(forms.Form):
    """Which source of the same investigation this one translates; empty for none."""

    original = forms.ModelChoiceField(
        queryset=Source.objects.none(),
        required=False,
        empty_label="Not a translation",
        label="This source is a translation of",
    )

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["original"])
        field.queryset = (
            Source.objects.filter(investigation_id=source.investigation_id)
            .exclude(pk=source.pk)
            .only("pk", "title")
            .order_by("title", "pk")
        )


class MarkClaimForm(forms.Form):
    """Mark words of a source as a claim: by offsets (the reader's selection) or by quote."""

    quote = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Copy the exact words from the text.",
    )
    occurrence = forms.IntegerField(
        required=False, min_value=1, help_text="If the words occur more than once: which one."
    )
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    statement = _limited_text(
        limits.STATEMENT_MAX_CHARS,
        rows=2,
        required=False,
        help_text="What exactly will be checked, in neutral words (optional).",
    )
    speaker = forms.CharField(required=False, max_length=200)
    attribution = forms.ChoiceField(
        choices=Attribution.choices, initial=Attribution.UNKNOWN, required=False
    )

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source

    def clean(self):
        cleaned = super().clean()
        cleaned["attribution"] = cleaned.get("attribution") or Attribution.UNKNOWN
        start, end = cleaned.get("start"), cleaned.get("end")
        text = self.source.text
        try:
            if start is not None and end is not None:
                start, end = trim_span(text, start, end)
                selected = anchor_span(text, start, end).quote
                anchor = anchor_span(text, *widen_to_graphemes(text, start, end))
                quote = cleaned.get("quote", "").strip()
                # The browser sends the words it saw; a mismatch means the page and the
                # stored text disagree, and the offsets must not be trusted. A selection that
                # cut a character in two is widened to the whole character either way.
                if quote and quote not in (selected.strip(), anchor.quote.strip()):
                    self.add_error("quote", "The selected words do not match the source text.")
                    return cleaned
            elif cleaned.get("quote", "").strip():
                anchor = find_quote(text, cleaned["quote"], cleaned.get("occurrence"))
            else:
                self.add_error("quote", "Select words in the text or paste them here.")
                return cleaned
        except AnchorError as error:
            self.add_error("quote", str(error))
            return cleaned
        cleaned["anchor"] = anchor
        return cleaned


class RespanForm(MarkClaimForm):
    """Move a claim to other words of its source; `version` is the claim's version the page
    showed (None when not sent: the version loaded now is expected)."""

    version = WholeNumberField(required=False)


def _initial_from(obj, names, args, kwargs):
    """Fill `kwargs["initial"]` from `obj`'s attributes `names`: an edit form about a row,
    unbound and with no initial values of its own, starts from the row as it is."""
    if obj is not None and not args and "initial" not in kwargs:
        kwargs["initial"] = {name: getattr(obj, name) for name in names}


class ClaimEditForm(forms.Form):
    drawn_by_value = ("attribution",)  # drawn once per value (factcheck/jinja2.py field())
    statement = _limited_text(limits.STATEMENT_MAX_CHARS, rows=3, required=False)
    speaker = forms.CharField(required=False, max_length=200)
    attribution = forms.ChoiceField(choices=Attribution.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, claim=None, **kwargs):
        _initial_from(claim, self.base_fields, args, kwargs)
        super().__init__(*args, **kwargs)


class EvidenceForm(forms.Form):
    same_when_blank = True  # blank, drawn once per process (factcheck/jinja2.py field())
    url = forms.URLField(
        label="URL",
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="The page that supports, refutes or gives context to the claim.",
    )
    title = forms.CharField(max_length=300)
    publisher = forms.CharField(required=False, max_length=200)
    published_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    stance = forms.ChoiceField(choices=Stance.choices)
    reliability = forms.ChoiceField(
        choices=Reliability.choices, initial=Reliability.UNRATED, label="Source reliability"
    )
    excerpt = _limited_text(
        limits.EXCERPT_MAX_CHARS,
        rows=3,
        required=False,
        help_text="The passage of the page that bears on the claim.",
    )
    note = _limited_text(limits.NOTE_MAX_CHARS, rows=2, required=False)

    def clean_url(self):
        return clean_link(
            self.cleaned_data["url"], wrong_scheme="Only http and https links can be cited."
        )


class VerdictForm(forms.Form):
    drawn_by_value = ("rating",)  # drawn once per value (factcheck/jinja2.py field())
    # No preselected rating: a verdict must be chosen, never defaulted into.
    rating = forms.ChoiceField(choices=[("", "Choose a rating…"), *VerdictRating.choices])
    rationale = _limited_text(
        limits.RATIONALE_MAX_CHARS,
        rows=4,
        help_text="What the evidence shows and why it leads to this rating.",
        error_messages={"required": "Explain the verdict: a rationale is required."},
    )
    # The current verdict the proposer saw (0: none), so a proposal never replaces one unseen.
    replaces = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class SignOffForm(forms.Form):
    """What the signer's page showed: the verdict's version and the SHA-256 of the content a
    sign-off approves (reviews.current_sha256), so a change since is refused, not signed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    content_sha256 = forms.RegexField(regex=r"\A[0-9a-f]{64}\Z", widget=forms.HiddenInput)

    def __init__(self, *args, verdict=None, content_sha256="", **kwargs):
        if verdict is not None and not args:
            kwargs.setdefault(
                "initial", {"version": verdict.version, "content_sha256": content_sha256}
            )
        # Hidden fields only; no ids to clash with the send-back form's beside it.
        kwargs.setdefault("auto_id", False)
        super().__init__(*args, **kwargs)


class RetractForm(forms.Form):
    reason = forms.CharField(
        label="Why it is retracted",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with the citation, which stays on the page struck through.",
        error_messages={"required": "Say why the citation is retracted."},
    )

    def __init__(self, *args, citation, **kwargs):
        # One form per citation on the claim page: distinct field ids.
        kwargs.setdefault("prefix", f"retract-{citation.pk}")
        super().__init__(*args, **kwargs)


class SendBackForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = _limited_text(
        limits.COMMENT_MAX_CHARS,
        rows=2,
        label="Why it goes back",
        help_text="What must change before sign-off.",
    )


class CommentForm(forms.Form):
    same_when_blank = True  # blank, drawn once per process (factcheck/jinja2.py field())
    body = _limited_text(
        limits.COMMENT_MAX_CHARS,
        rows=3,
        label="Comment",
        help_text="Mention a member with @ and their username; it goes to their queue.",
    )


class TransitionForm(forms.Form):
    transition = forms.CharField(max_length=40)
    reason = _limited_text(limits.REASON_MAX_CHARS, rows=2, required=False)
    # The status the user saw: a move from another status is a conflict, not a surprise.
    from_status = forms.ChoiceField(choices=ClaimStatus.choices, widget=forms.HiddenInput)
    # "source" when the move was made from the source reader, which it then answers with.
    next = forms.CharField(required=False, strip=False)


class CitationForm(forms.Form):
    stance = forms.ChoiceField(choices=Stance.choices)
    excerpt = _limited_text(
        limits.EXCERPT_MAX_CHARS,
        rows=3,
        required=False,
        help_text="The passage of the page that bears on the claim.",
    )
    note = _limited_text(limits.NOTE_MAX_CHARS, rows=2, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, citation=None, **kwargs):
        _initial_from(citation, self.base_fields, args, kwargs)
        # Several citations are edited on one page: their fields need distinct ids.
        kwargs.setdefault("prefix", f"citation-{citation.pk}" if citation else None)
        super().__init__(*args, **kwargs)


class OnClaimPageForm(forms.Form):
    """A form posted from one claim's page, naming that claim in a hidden field."""

    # The claim whose page the form was on: the section answered is that claim's.
    claim = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def claim_or(self, default):
        """The claim id posted, or `default` when it is missing or not a whole number: the
        answer to a bad post still needs a page to render on."""
        try:
            return self.fields["claim"].clean(self["claim"].data)
        except forms.ValidationError:
            return default


class LinkDecisionForm(OnClaimPageForm):
    """A reviewer's decision on a similar-claim link, naming the version they saw."""

    decision = forms.ChoiceField(
        choices=[("same", "Same claim"), ("contradicts", "Contradicts"), ("reject", "Reject")]
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class TestimonyForm(OnClaimPageForm):
    """Cite the other claim of a confirmed link as evidence, with a stance."""

    stance = forms.ChoiceField(choices=Stance.choices)


class MeasureForm(forms.Form):
    measure = forms.ChoiceField(choices=Quantity.Measure.choices)


class QuantityForm(forms.Form):
    value = forms.FloatField()
    low = forms.FloatField(required=False)
    high = forms.FloatField(required=False)
    unit = forms.CharField(required=False, max_length=50)
    bound = forms.ChoiceField(choices=Quantity.Bound.choices)

    def clean(self):
        cleaned = super().clean()
        low, high, value = cleaned.get("low"), cleaned.get("high"), cleaned.get("value")
        if low is not None and high is not None and low > high:
            self.add_error("high", "The upper end must not be below the lower end.")
        elif value is not None and (
            (low is not None and value < low) or (high is not None and value > high)
        ):
            self.add_error("value", "The value must lie within the range.")


class CaptureForm(forms.Form):
    """Paste a link: it is cited with a stance and archived in the background."""

    same_when_blank = True  # blank, drawn once per process (factcheck/jinja2.py field())

    prefix = "capture"

    url = forms.URLField(
        label="Link to archive",
        max_length=2000,
        assume_scheme="https",
        help_text="The page is fetched, hashed and kept as it is now.",
    )
    stance = forms.ChoiceField(label="How it bears on the claim", choices=Stance.choices)

    def clean_url(self):
        return clean_link(
            self.cleaned_data["url"], wrong_scheme="Only http and https links can be archived."
        )


class FileEvidenceForm(forms.Form):
    """Attach a file (a photo, a PDF, a recording, a video) as evidence with a stance.

    Only presence and the text fields are checked here; the file's type, size and soundness
    are the domain's to judge (evidence/files.py), so every door refuses the same files.
    """

    same_when_blank = True  # blank, drawn once per process (factcheck/jinja2.py field())

    prefix = "upload"

    file = forms.FileField(
        label="File",
        allow_empty_file=True,
        help_text=(
            "A photo or screenshot (PNG, JPEG, WebP, HEIC), a PDF, a recording (MP3, WAV, OGG, "
            "M4A) or a video (MP4, MOV, WebM). Its bytes decide its type; it is hashed and kept "
            "as uploaded."
        ),
        widget=forms.FileInput(
            attrs={
                "accept": "image/png,image/jpeg,image/webp,image/heic,.heic,application/pdf,"
                "audio/*,video/mp4,video/quicktime,video/webm"
            }
        ),
    )
    stance = forms.ChoiceField(label="How the file bears on the claim", choices=Stance.choices)
    title = forms.CharField(
        label="Caption",
        required=False,
        max_length=300,
        help_text="How the file is listed; leave empty to use its name.",
    )
    note = _limited_text(
        limits.NOTE_MAX_CHARS,
        rows=2,
        required=False,
        label="Description",
        help_text="What it shows, where it came from.",
    )


class PublisherForm(forms.Form):
    domain = forms.CharField(
        max_length=253, help_text="For example example.org; it also covers news.example.org."
    )
    name = forms.CharField(required=False, max_length=200)
    reliability = forms.ChoiceField(choices=Reliability.choices)
    note = _limited_text(
        limits.NOTE_MAX_CHARS, rows=2, required=False, help_text="Why the team rates it so."
    )

    def clean_domain(self):
        domain = clean_domain(self.cleaned_data["domain"])
        if "." not in domain:
            raise forms.ValidationError("Enter a domain such as example.org.")
        return domain


class SourceImportForm(forms.Form):
    """Import a source from a file or from a link; exactly one of the two."""

    file = forms.FileField(
        required=False,
        help_text=(
            "A .txt, .md, .html, .pdf or .docx file, or a scan or photo (.png, .jpg, .tif): "
            "its text is recognised in English and Russian."
        ),
    )
    url = forms.URLField(
        label="Or a link",
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="The page is fetched through the same guarded capture as evidence.",
    )
    title = forms.CharField(
        required=False, max_length=300, help_text="Leave empty to use the document's own title."
    )
    kind = forms.ChoiceField(choices=Source.Kind.choices, initial=Source.Kind.DOCUMENT)
    language = forms.ChoiceField(
        choices=(_DETECT, *LANGUAGE_CHOICES),
        required=False,
        help_text="Picks the extraction rules.",
    )
    run_extraction = forms.BooleanField(
        label="Propose claims from the text", required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is None:
            return None
        if documents.kind_for(filename=upload.name) is None:
            raise forms.ValidationError(documents.UNSUPPORTED_FILE)
        if upload.size > settings.SOURCE_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {settings.SOURCE_UPLOAD_MAX_BYTES:,} bytes."
            )
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload

    def clean_url(self):
        return clean_link(
            self.cleaned_data["url"], wrong_scheme="Only http and https links can be imported."
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned.get("file") and cleaned.get("url"):
            self.add_error("url", "Give a file or a link, not both.")
        elif not cleaned.get("file") and not cleaned.get("url"):
            self.add_error("file", "Choose a file or give a link.")
        return cleaned


def _member_choices(members, empty):
    return [empty, *((str(user.pk), user.get_username()) for user in members)]


class AssignForm(forms.Form):
    """Assign to a member; "me" and "" (nobody) work for any role the view lets in."""

    assignee = forms.ChoiceField(required=False, label="Assignee")
    # The assignee's id the user saw ("" for nobody): someone else's assignment wins, visibly.
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(user.pk): user for user in members}
        self.fields["assignee"].choices = [
            *_member_choices(members, ("", "Nobody")),
            ("me", "Me"),
        ]

    def clean(self):
        cleaned = super().clean()
        cleaned["assignee_user"] = self.members.get(cleaned.get("assignee", ""))
        seen = cleaned.get("seen", "")
        cleaned["seen_user"] = self.members.get(seen) if seen else None
        # A form without `seen` checks nothing; an empty one expects nobody to have it.
        cleaned["seen_sent"] = self.add_prefix("seen") in self.data
        return cleaned


class PriorityForm(forms.Form):
    drawn_by_value = ("priority",)  # drawn once per value (factcheck/jinja2.py field())
    priority = forms.TypedChoiceField(choices=Priority.choices, coerce=int)
    seen = forms.TypedChoiceField(choices=Priority.choices, coerce=int, widget=forms.HiddenInput)


class TagForm(forms.Form):
    add = forms.CharField(
        required=False,
        max_length=50,
        label="Add a tag",
        widget=forms.TextInput(attrs={"list": "tag-names", "autocomplete": "off"}),
    )
    remove = forms.CharField(required=False, max_length=50, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("add", "").strip() and not cleaned.get("remove", "").strip():
            self.add_error("add", "Type a tag to add.")
        return cleaned


BULK_TRANSITIONS = [(name, move.label) for name, move in TRANSITIONS.items() if not move.internal]


class BulkForm(forms.Form):
    """A change to many claims; `confirmed` is set by the confirmation step only."""

    claims = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": "Select at least one claim with its checkbox.",
        },
    )
    action = forms.ChoiceField(choices=[("assign", "Assign"), ("tag", "Tag"), ("move", "Move")])
    assignee = forms.ChoiceField(required=False, label="Assign to")
    tag = forms.CharField(required=False, max_length=50, label="Tag")
    transition = forms.ChoiceField(
        required=False,
        label="Move to",
        choices=[("", "Choose…"), *BULK_TRANSITIONS],
    )
    reason = forms.CharField(
        required=False,
        max_length=limits.REASON_MAX_CHARS,
        error_messages=limits.form_error_messages(limits.REASON_MAX_CHARS),
        label="Reason (if the move needs one)",
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, members, claims=None, **kwargs):
        """`claims`: the claims that may be chosen (a queryset); only those posted are read."""
        # Its own ids: the claim list's filter form has fields of the same names.
        super().__init__(*args, label_suffix="", auto_id="bulk_%s", **kwargs)
        self.members = {str(user.pk): user for user in members}
        self.fields["assignee"].choices = [*_member_choices(members, ("", "Nobody")), ("me", "Me")]
        self.fields["claims"].choices = [(pk, pk) for pk in self._posted_claim_ids(claims)]

    def _posted_claim_ids(self, claims):
        if not self.is_bound or claims is None:
            return []
        field = self.fields["claims"]
        posted = field.widget.value_from_datadict(self.data, self.files, self.add_prefix("claims"))
        wanted = [pk for pk in map(whole_number, posted or []) if pk is not None]
        return list(claims.filter(pk__in=wanted).values_list("pk", flat=True))

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == "tag" and not cleaned.get("tag", "").strip():
            self.add_error("tag", "Type the tag to add.")
        if action == "move":
            name = cleaned.get("transition")
            if not name:
                self.add_error("transition", "Choose where to move the claims.")
            elif TRANSITIONS[name].needs_reason and not cleaned.get("reason", "").strip():
                self.add_error("reason", f"“{TRANSITIONS[name].label}” needs a reason.")
        cleaned["assignee_user"] = self.members.get(cleaned.get("assignee", ""))
        return cleaned


class ClaimFilterForm(forms.Form):
    """The claim list's filters; invalid values are ignored rather than refused."""

    ANY = ("", "Any")
    YES_NO = (ANY, ("yes", "Yes"), ("no", "No"))

    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Quote, statement, speaker, evidence, comments"}
        ),
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Being worked"), ("all", "All statuses"), *ClaimStatus.choices],
    )
    verdict = forms.ChoiceField(
        required=False,
        choices=[
            ANY,
            ("none", "No verdict"),
            ("awaiting", "Awaiting sign-off"),
            *VerdictRating.choices,
        ],
    )
    assignee = forms.ChoiceField(required=False)
    speaker = forms.ChoiceField(required=False)
    source = forms.ChoiceField(required=False)
    tag = forms.ChoiceField(required=False)
    has_evidence = forms.ChoiceField(required=False, choices=YES_NO, label="Has evidence")
    has_numbers = forms.ChoiceField(required=False, choices=YES_NO, label="Has numbers")
    corroborated = forms.ChoiceField(
        required=False,
        choices=YES_NO,
        label="Independently corroborated",
        help_text="Confirmed the same claim by a source with another author and publisher.",
    )
    sort = forms.ChoiceField(
        required=False,
        # The default order has the empty value, so an unsorted list keeps a short URL.
        choices=[("" if key == "position" else key, label) for key, (label, _) in SORTS.items()],
        label="Sort by",
    )

    def __init__(self, *args, members, sources, speakers, tags, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["assignee"].choices = [
            self.ANY,
            ("me", "Me"),
            ("none", "Nobody"),
            *((str(user.pk), user.get_username()) for user in members),
        ]
        self.fields["source"].choices = [self.ANY, *((str(pk), title) for pk, title in sources)]
        self.fields["speaker"].choices = [self.ANY, *((name, name) for name in speakers)]
        self.fields["tag"].choices = [self.ANY, *((str(tag.pk), tag.name) for tag in tags)]

    def values(self):
        """The valid filters as a dict (invalid ones dropped); empty when unbound."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class ReportOptionsForm(forms.Form):
    """What goes into a report. Read from the query string, so every option is in the URL.

    Every switch is off by default (the fullest report), so a link that names only some of
    them means exactly what it says.
    """

    verified_only = forms.BooleanField(
        required=False, label="Verified claims only", help_text="Claims with a signed-off verdict."
    )
    without_excerpts = forms.BooleanField(required=False, label="Leave out evidence excerpts")
    redact_reviewers = forms.BooleanField(
        required=False,
        label="Redact reviewer names",
        help_text="Reviewers appear as Reviewer 1, Reviewer 2…",
    )
    pseudonymize = forms.BooleanField(
        required=False,
        label="Pseudonymize witnesses",
        help_text="Every spelling of a testimony's author becomes Witness A, B…",
    )
    audit_appendix = forms.BooleanField(
        required=False,
        label="Audit appendix",
        help_text="HTML and PDF: who did what to each claim, and when.",
    )
    include_file_metadata = forms.BooleanField(
        required=False,
        label="Include file metadata",
        help_text="Publish photos' GPS, camera serial numbers and owners, and bundle the "
        "original files. Without it the bundle carries pictures re-encoded without metadata.",
    )
    title = forms.CharField(required=False, max_length=200, label="Title")
    introduction = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    publisher = forms.CharField(
        required=False, max_length=200, label="Published by", help_text="Your newsroom or team."
    )
    publication_url = forms.URLField(
        required=False,
        max_length=2000,
        assume_scheme="https",
        label="Published at (URL)",
        help_text="Where the report will be published; ClaimReview links each review to "
        "it. Left empty, the reviews carry no link.",
    )

    def clean_publication_url(self):
        url = self.cleaned_data["publication_url"]
        validate_web_link(url, "Use an http or https address.")
        return url

    def report_options(self):
        """The ReportOptions for valid input (call after is_valid())."""
        data = self.cleaned_data
        return ReportOptions(
            verified_only=data["verified_only"],
            include_excerpts=not data["without_excerpts"],
            redact_reviewers=data["redact_reviewers"],
            pseudonymize=data["pseudonymize"],
            audit_appendix=data["audit_appendix"],
            include_file_metadata=data["include_file_metadata"],
            title=data["title"].strip(),
            introduction=data["introduction"].strip(),
            publisher=data["publisher"].strip(),
            publication_url=data["publication_url"],
        )


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's log-in form, refusing attempts while the account or address is locked.

    A locked attempt is refused before the password is checked, so a guess made during a
    lock tells nothing, right or wrong.
    """

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if not username or not self.cleaned_data.get("password"):
            # The fields say what is missing; no password is checked, so nothing is counted,
            # and above all this is no success that would clear the account's count.
            return super().clean()
        address = throttling.client_address(self.request.META) if self.request else ""
        wait = throttling.begin_attempt(username, address)
        if wait:
            raise forms.ValidationError(throttling.locked_message(wait), code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            wait = throttling.record_failure(username, address)
            if wait >= 60:
                raise forms.ValidationError(
                    throttling.locked_message(wait), code="throttled"
                ) from None
            raise
        throttling.record_success(username, address)
        return cleaned


class SecondFactorForm(forms.Form):
    """A code from the phone app, or a recovery code: at log-in, throttled like the password
    (per account and per address, counted apart from password failures)."""

    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="The 6 digits your phone app shows now, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        self.device = None

    def clean(self):
        code = self.cleaned_data.get("code") or ""
        if not code:
            return self.cleaned_data
        key = f"second-factor:{self.user.get_username()}"
        address = throttling.client_address(self.request.META)
        wait = throttling.begin_attempt(key, address)
        if wait:
            raise forms.ValidationError(throttling.locked_message(wait), code="throttled")
        self.device = second_factor.verify(self.user, code)
        if self.device is None:
            wait = throttling.record_failure(key, address)
            if wait >= 60:
                raise forms.ValidationError(throttling.locked_message(wait), code="throttled")
            raise forms.ValidationError("That code is not right, or was used already.")
        throttling.record_success(key, address)
        return self.cleaned_data


class SecondFactorSetupForm(forms.Form):
    """The first code from a phone app just set up, which confirms it."""

    code = forms.CharField(
        label="Code from the app",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class SecondFactorOffForm(forms.Form):
    """The password or a current code, asked again in the request that turns the second factor
    off (second_factor.turn_off checks it)."""

    proof = forms.CharField(
        label="Your password, or a code from your phone app",
        max_length=128,
        strip=False,  # a password may begin or end with a space
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=tokens.NAME_MAX_CHARS,
        help_text="What the token is for, e.g. “import script on the newsroom server”.",
    )
    is_read_only = forms.BooleanField(
        required=False,
        label="Read-only",
        help_text="It may read everything you may read, and change nothing.",
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the token a name, to recognise it later.")
        return name


class ApiTokenRevokeForm(forms.Form):
    token = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class SourceLanguageForm(forms.Form):
    """An editor's correction of a source's language (which picks the extraction rules)."""

    language = forms.ChoiceField(choices=LANGUAGE_CHOICES)

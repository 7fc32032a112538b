"""Forms: every input is validated here, htmx or not; views read cleaned_data only."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from claims import throttling
from claims.anchoring import AnchorError, anchor_span, find_quote, trim_span
from claims.models import Attribution, Quantity, Reliability, Source, Stance, VerdictRating


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = [
            "title",
            "kind",
            "author",
            "publisher",
            "origin_url",
            "published_on",
            "language",
            "text",
        ]
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
        # Normalise line endings only: browsers send CRLF, and offsets must not depend on
        # which browser pasted the text.
        text = self.cleaned_data["text"].replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise forms.ValidationError("The text is empty.")
        if len(text) > settings.SOURCE_TEXT_MAX_CHARS:
            raise forms.ValidationError(
                f"The text is longer than {settings.SOURCE_TEXT_MAX_CHARS:,} characters."
            )
        if "\x00" in text:
            raise forms.ValidationError("The text contains NUL characters; paste plain text.")
        return text


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
    statement = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
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
                anchor = anchor_span(text, start, end)
                quote = cleaned.get("quote", "").strip()
                # The browser sends the words it saw; a mismatch means the page and the
                # stored text disagree, and the offsets must not be trusted.
                if quote and quote != anchor.quote.strip():
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


class ClaimEditForm(forms.Form):
    statement = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    speaker = forms.CharField(required=False, max_length=200)
    attribution = forms.ChoiceField(choices=Attribution.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class EvidenceForm(forms.Form):
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
    excerpt = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The passage of the page that bears on the claim.",
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_url(self):
        url = self.cleaned_data["url"]
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Only http and https links can be cited.")
        return url


class VerdictForm(forms.Form):
    # No preselected rating: a verdict must be chosen, never defaulted into.
    rating = forms.ChoiceField(choices=[("", "Choose a rating…"), *VerdictRating.choices])
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the evidence shows and why it leads to this rating.",
        error_messages={"required": "Explain the verdict: a rationale is required."},
    )


class SignOffForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class SendBackForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), help_text="What must change before sign-off."
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment", widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000
    )


class TransitionForm(forms.Form):
    transition = forms.CharField(max_length=40)
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


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
        return cleaned


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's log-in form, refusing attempts while the account or address is locked.

    A locked attempt is refused before the password is checked, so a guess made during a
    lock tells nothing, right or wrong.
    """

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = throttling.client_address(self.request.META) if self.request else ""
        wait = throttling.seconds_locked(username, address)
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
        throttling.record_success(username)
        return cleaned

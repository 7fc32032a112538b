import pytest
from django.core.exceptions import ValidationError

from claims.evidence import archiving
from claims.evidence.citations import normalize_url
from claims.forms import EvidenceForm
from claims.models import check_web_links
from claims.weblinks import is_web_link, validate_web_link


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://example.org/", True),
        ("HTTPS://example.org/a", True),
        ("ftp://example.org/", False),
        ("javascript:alert(1)", False),
        ("example.org", False),
        ("", False),
    ],
)
def test_is_web_link(url, expected):
    assert is_web_link(url) is expected


def test_one_rule_for_forms_models_and_the_fetcher():
    # The same link is refused by every path that takes one, each in its own words.
    with pytest.raises(ValidationError, match="Only http and https links are allowed"):
        check_web_links(url="ftp://example.org/")
    with pytest.raises(ValidationError, match="no links"):
        validate_web_link("ftp://example.org/", "no links")
    validate_web_link("")  # empty: left to the field's required flag
    form = EvidenceForm(data={"url": "ftp://example.org/", "title": "t", "stance": "context"})
    assert not form.is_valid()
    assert form.errors["url"] == ["Only http and https links can be cited."]
    with pytest.raises(archiving.CaptureRefused, match="only http and https"):
        archiving.check_syntax("ftp://example.org/")


def test_default_ports_are_dropped_for_web_schemes_only():
    assert normalize_url("https://example.org:443/a") == "https://example.org/a"
    assert normalize_url("http://example.org:80/a") == "http://example.org/a"
    assert normalize_url("http://example.org:443/a") == "http://example.org:443/a"

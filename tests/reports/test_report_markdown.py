"""The Markdown report: what users wrote reads as they wrote it, and never becomes markup.

Each case renders with markdown-it-py (CommonMark with GitHub's tables, strikethrough and bare
links) and compares the text a reader sees with the text that went in.
"""

import html
import re

import pytest
from markdown_it import MarkdownIt

from claims.reporting import reports
from claims.reporting.formats.markdown import escape, render_markdown
from tests.reports.conftest import HOSTILE_RATIONALE, HOSTILE_STATEMENT

MARKDOWN = MarkdownIt("gfm-like")
ANCHOR = re.compile(r'<a href="([^"]*)">([^<]*)</a>')
TAG = re.compile(r"<[^>]+>")


def render(text):
    return MARKDOWN.render(text)


def seen(rendered):
    """The text a reader sees in rendered HTML."""
    return html.unescape(TAG.sub("", rendered)).strip()


def assert_links_show_their_target(rendered):
    # A bare address may become a link, as every GitHub-flavoured renderer makes it; then it
    # shows exactly where it goes. Nothing a user wrote may hide a target behind other words.
    for href, text in ANCHOR.findall(rendered):
        target = html.unescape(href)
        assert target.startswith(("http://", "https://", "mailto:")), target
        assert html.unescape(text) in (target, target.removeprefix("mailto:")) or (
            target == "http://" + html.unescape(text)
        ), (href, text)


@pytest.mark.parametrize(
    "text",
    [
        "https://example.org/a_b?x=1&y=2",
        "On 2026-12-03 the count was 1,200 (up 5.5%).",
        "Turnout: 61 percent. Really? Yes! 3 + 4 = 7, a-b, c|d, {x}, ^y, @name, #tag",
        "snake_case and __init__ and C# and F#",
        "[x](https://evil.example)",
        "![x](https://evil.example/i.png)",
        "<https://evil.example>",
        "<b onmouseover=alert(1)>hi</b> &amp; &#65; & plain",
        "`code` *em* _em_ ~~del~~ ~one~ | table |",
        "a \\ backslash, and one at the end \\",
        "$5 and $10",
        "~20,000 people",
        "www.evil.example and mail me@evil.example",
        HOSTILE_STATEMENT,
        HOSTILE_RATIONALE,
    ],
)
@pytest.mark.parametrize("before", ["", "- Speaker: ", "### Claim 1: ", "> …"])
def test_user_text_reads_as_written_wherever_it_stands(text, before):
    rendered = render(before + escape(text))
    assert seen(rendered).startswith(seen(render(before)))
    assert seen(rendered).endswith(" ".join(text.split()))
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    assert tags <= {"p", "ul", "li", "h3", "blockquote", "a"}, rendered
    assert_links_show_their_target(rendered)


@pytest.mark.parametrize(
    "text",
    ["# heading", "- item", "+ item", "* item", "> quote", "1. first", "2) second", "---", "==="],
)
def test_text_at_the_start_of_a_line_starts_no_block(text):
    rendered = render(escape(text) + "\n")
    assert rendered == f"<p>{html.escape(text, quote=False)}</p>\n"


def test_heading_text_keeps_its_closing_hashes():
    assert seen(render("### Claim 1: " + escape("Vote for #1 #"))) == "Claim 1: Vote for #1 #"


def test_plain_text_is_left_as_it_is():
    # Addresses, dates, numbers and sentences need no backslashes anywhere in a line.
    for text in ("https://example.org", "2026-12-03", "3.2 metres, 61% (2021)!", "a - b: c."):
        assert escape(text) == text


@pytest.fixture
def report(report_world):
    return reports.build_report(report_world["investigation"])


def test_the_report_renders_user_text_as_text(report):
    rendered = render(render_markdown(report))
    assert "<script" not in rendered
    assert "<img" not in rendered
    assert "<b>" not in rendered
    assert 'href="javascript' not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert_links_show_their_target(rendered)


def test_each_quote_reads_as_it_stands_in_its_source(report):
    # The quote is in bold inside its context; the context around it keeps the source's own
    # spacing, so a comma after the quote follows it directly.
    document = render_markdown(report)
    quotes = re.findall(r"<blockquote>\s*<p>(.*?)</p>", render(document), re.S)
    claims = report.claims
    assert len(quotes) == len(claims)
    for rendered, claim in zip(quotes, claims, strict=True):
        text = claim.context_before + claim.quote + claim.context_after
        assert seen(rendered) == "…" + " ".join(text.split()) + "…"
        (strong,) = re.findall(r"<strong>(.*?)</strong>", rendered)
        assert seen(strong) == " ".join(claim.quote.split())


def test_urls_are_links_to_themselves(report):
    document = render_markdown(report)
    assert "- Origin: <https://example.org/dispute>\n" in document
    assert "https\\:" not in document

"""The sign-off digest: what a second reviewer approved, hashed so any change shows."""

from claims.review import signoff


def _content(**changes):
    citations = changes.pop(
        "citations",
        [
            {"stance": "supports", "url": "https://a.example/1", "title": "A", "excerpt": "9,900"},
            {"stance": "context", "url": "https://b.example/2", "title": "B", "note": "wire"},
        ],
    )
    values = {
        "statement": "About 10,000 were arrested.",
        "rating": "mostly_true",
        "rationale": "The ministry counted 9,900.",
        **changes,
    }
    return signoff.signed_content(citations=citations, **values)


def test_citation_order_does_not_change_the_digest():
    forward = _content()
    backward = _content(citations=list(reversed(forward["citations"])))
    assert signoff.content_sha256(forward) == signoff.content_sha256(backward)


def test_every_signed_field_changes_the_digest():
    base = signoff.content_sha256(_content())
    assert signoff.content_sha256(_content(statement="About 9,000 were arrested.")) != base
    assert signoff.content_sha256(_content(rating="true")) != base
    assert signoff.content_sha256(_content(rationale="Counted twice.")) != base
    for name, value in [
        ("stance", "refutes"),
        ("excerpt", "9,901"),
        ("note", "x"),
        ("url", "https://c.example/"),
        ("snapshot_sha256", "ab" * 32),
    ]:
        content = _content()
        content["citations"][0][name] = value
        assert signoff.content_sha256(content) != base, name


def test_texts_given_as_their_hashes_give_the_same_digest():
    """A report that leaves excerpts out prints their hashes; the digest still recomputes."""
    content = _content()
    redacted = {
        "rating": content["rating"],
        "statement_sha256": signoff.sha256_text(content["statement"]),
        "rationale_sha256": signoff.sha256_text(content["rationale"]),
        "citations": [
            {
                **{k: c[k] for k in ("stance", "url", "title", "snapshot_sha256")},
                "excerpt_sha256": signoff.sha256_text(c["excerpt"]),
                "note_sha256": signoff.sha256_text(c["note"]),
            }
            for c in content["citations"]
        ],
    }
    assert signoff.content_sha256(redacted) == signoff.content_sha256(content)


def test_differences_name_changed_added_and_retracted_citations():
    before = _content()
    after = _content(
        citations=[
            {"stance": "refutes", "url": "https://a.example/1", "title": "A", "excerpt": "9,900"},
            {"stance": "supports", "url": "https://new.example/", "title": "N"},
        ]
    )
    rows = {what: (was, now) for what, was, now in signoff.differences(before, after)}
    assert rows["Evidence: https://a.example/1"][0].startswith("supports")
    assert rows["Evidence: https://a.example/1"][1].startswith("refutes")
    assert rows["Evidence: https://b.example/2"][1] == "(no longer cited)"
    assert rows["Evidence: https://new.example/"][0] == "(not cited)"
    assert signoff.differences(before, _content()) == []

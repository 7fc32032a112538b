"""W3C Web Annotations (JSON-LD): each claim as an annotation on its source text.

The target is the source text itself, named `urn:sha256:<hash of its UTF-8 text>` rather than a
web address that may change: a tool holding that text finds each claim by position, and by
quote with its context (as Hypothesis does) if the text was re-encoded. The body is the verdict.
"""

import json

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def text_urn(sha256):
    return f"urn:sha256:{sha256}"


def annotation(report, source, claim):
    verdict = claim.verdict
    if verdict is None:
        assessment = "No verdict yet"
    elif verdict.is_signed_off:
        assessment = verdict.rating_label
    else:
        assessment = f"{verdict.rating_label} (awaiting sign-off)"
    body = [
        {"type": "TextualBody", "purpose": "assessing", "value": assessment, "format": "text/plain"}
    ]
    if verdict is not None:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": verdict.rationale,
                "format": "text/plain",
            }
        )
    if claim.signoff is not None:
        # "moderating" (assigning a quality to the target) is the motivation the W3C
        # vocabulary has for an approval: who signed the assessment off, when, and its digest.
        digest = claim.signoff.sha256 or "withheld (a signed text names a pseudonymized person)"
        body.append(
            {
                "type": "TextualBody",
                "purpose": "moderating",
                "value": (
                    f"Signed off by {verdict.signed_off_by} on {verdict.signed_off_at[:10]}; "
                    f"sign-off SHA-256 {digest}"
                ),
                "format": "text/plain",
            }
        )
    if claim.statement:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "describing",
                "value": claim.statement,
                "format": "text/plain",
            }
        )
    item = {
        "id": f"{report.claim_url(claim)}-annotation",
        "type": "Annotation",
        "motivation": "assessing",
        "body": body,
        "target": {
            "source": text_urn(source.sha256),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": claim.quote,
                    "prefix": claim.prefix,
                    "suffix": claim.suffix,
                },
                {"type": "TextPositionSelector", "start": claim.start, "end": claim.end},
            ],
        },
    }
    if verdict is not None and verdict.is_signed_off:
        item["created"] = verdict.signed_off_at
    return item


def render_annotations(report):
    """An AnnotationCollection with every claim of the report as one annotation."""
    items = [
        annotation(report, source, claim) for source in report.sources for claim in source.claims
    ]
    collection = {
        "@context": ANNOTATION_CONTEXT,
        "type": "AnnotationCollection",
        "label": report.title,
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
    return json.dumps(collection, ensure_ascii=False, indent=2) + "\n"

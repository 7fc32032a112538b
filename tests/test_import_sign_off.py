"""import_investigation takes a verified claim only with a sign-off that proves itself."""

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from claims.evidence import citations
from claims.models import ClaimStatus, Investigation, Membership, Verdict
from claims.reporting import transfer
from claims.review import reviews, signoff


def member(user):
    return Membership.objects.get(user=user)


@pytest.fixture
def exported(claim, bob, rita):
    citations.cite_evidence(claim, actor=bob, stance="supports", title="Leaflet", excerpt="800")
    verdict = reviews.propose_verdict(
        claim, proposer=bob, membership=member(bob), rating="true", rationale="Seen."
    )
    reviews.sign_off_verdict(verdict, reviewer=rita, membership=member(rita))
    buffer = io.BytesIO()
    transfer.export_investigation(claim.investigation, buffer)
    claim.investigation.delete()
    return buffer.getvalue()


def rewrite(data, change):
    """The transfer zip `data` with investigation.json edited by `change` (and its manifest
    hash updated, as a forger would)."""
    import hashlib

    source = zipfile.ZipFile(io.BytesIO(data))
    members = {name: source.read(name) for name in source.namelist()}
    content = json.loads(members[transfer.DATA_FILE])
    change(content)
    members[transfer.DATA_FILE] = json.dumps(content).encode()
    manifest = json.loads(members[transfer.MANIFEST])
    manifest["files"][transfer.DATA_FILE] = hashlib.sha256(members[transfer.DATA_FILE]).hexdigest()
    members[transfer.MANIFEST] = json.dumps(manifest).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, body in members.items():
            target.writestr(name, body)
    return out.getvalue()


def test_a_signed_off_claim_comes_back_with_its_sign_off(exported):
    copy = transfer.import_investigation(io.BytesIO(exported))
    verdict = Verdict.objects.get(claim__investigation=copy)
    assert verdict.claim.status == ClaimStatus.VERIFIED
    assert verdict.signed_sha256 == signoff.content_sha256(verdict.signed_content)
    assert verdict.signed_sha256 == reviews.current_sha256(verdict.claim, verdict)


def verdict_record(content):
    [record] = content["verdicts"]
    return record


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda c: c["verdicts"].clear(), "no signed-off verdict"),
        (lambda c: verdict_record(c).update(status="proposed"), "no signed-off verdict"),
        (
            lambda c: verdict_record(c).update(signed_off_by=verdict_record(c)["proposed_by"]),
            "other than its proposer",
        ),
        (lambda c: verdict_record(c).update(signed_off_by=None), "names no reviewer"),
        (lambda c: verdict_record(c).update(signed_sha256="0" * 64), "does not match"),
        (
            lambda c: verdict_record(c)["signed_content"].update(rating="false"),
            "does not match",
        ),
        (lambda c: verdict_record(c).update(signed_content={}), "does not match"),
        (lambda c: verdict_record(c).update(signed_sha256=""), "does not match"),
        (lambda c: verdict_record(c).update(rating="false"), "another rating or rationale"),
        (
            lambda c: c["verdicts"].append(dict(verdict_record(c), key=999)),
            "2 signed-off verdicts",
        ),
    ],
)
def test_a_verified_claim_without_a_valid_sign_off_is_refused(exported, change, why):
    forged = rewrite(exported, change)
    with pytest.raises(transfer.TransferError, match=why) as refused:
        transfer.import_investigation(io.BytesIO(forged))
    assert "\n" not in str(refused.value)
    assert not Investigation.objects.exists()


def test_the_command_says_why_in_one_line(exported, tmp_path):
    path = tmp_path / "forged.zip"
    path.write_bytes(rewrite(exported, lambda c: c["verdicts"].clear()))
    with pytest.raises(CommandError, match="verified without"):
        call_command("import_investigation", str(path))

"""@mentions: only members of the claim's investigation, stored on the comment, queued."""

from claims.listing import queues
from claims.models import AuditEvent
from claims.review import mentions
from claims.review.mentions import Part
from tests.factories import make_investigation, make_user


def test_mentions_are_found_ignoring_case_and_sentence_punctuation():
    body = "@Rita, see this. Ask @bob. Not ana@rita.org, not @nobody, nor @@rita."
    assert [name for _, _, name in mentions.find_mentions(body, ["rita", "bob"])] == [
        "rita",
        "bob",
    ]


def test_a_username_with_a_dot_is_found_whole():
    assert mentions.find_mentions("cc @ana.k.", ["ana.k", "ana"]) == [(3, 9, "ana.k")]


def test_split_keeps_every_character_for_the_template_to_escape():
    parts = mentions.split_mentions("<b>@bob</b> ok", ["bob"])
    assert parts == [Part("<b>"), Part("@bob", "bob"), Part("</b> ok")]
    assert "".join(part.text for part in parts) == "<b>@bob</b> ok"


def test_only_members_are_mentioned_and_it_reaches_their_queue(claim, bob, rita, carol):
    other = make_investigation(slug="other", members=[(carol, "owner")])
    assert other.pk != claim.investigation_id
    comment = mentions.add_comment(claim, author=bob, body="@rita and @carol, and me @bob")
    assert list(comment.mentions.all()) == [rita]
    assert AuditEvent.objects.get(action="comment.add").after["mentions"] == ["rita"]
    assert list(queues.unread_mentions(rita)) == [comment]
    assert not queues.unread_mentions(carol).exists()


def test_marking_mentions_read_empties_that_part_of_the_queue(claim, bob, rita):
    mentions.add_comment(claim, author=bob, body="@rita please check")
    queues.mark_mentions_read(rita)
    assert not queues.unread_mentions(rita).exists()
    newer = mentions.add_comment(claim, author=bob, body="@rita one more")
    assert list(queues.unread_mentions(rita)) == [newer]


def test_a_stranger_with_the_same_name_elsewhere_is_not_mentioned(claim, bob):
    make_user("zed")
    comment = mentions.add_comment(claim, author=bob, body="@zed?")
    assert not comment.mentions.exists()

"""Demo data: the `almaty-2022` investigation, worked part of the way through.

The testimony (demo_testimony.txt) is written in this project's own words; it carries the
facts and quirks of a real interview: hedged crowd figures, attribution layers, a witness
name spelled four ways and a comment-form tail. Everything is created through the same
domain functions the pages use, so the demo has a real audit history.
"""

from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

from claims.corroboration import matching
from claims.devdata import photos
from claims.evidence import citations, files
from claims.models import Investigation, Membership, Role, Source, Stance, VerdictRating
from claims.review import notifications, reviews, workflow
from claims.sources import marking
from claims.sources.anchoring import find_quote

DEMO_PASSWORD = "factcheck-demo"  # noqa: S105 - documented demo login, created only by load_demo
DEMO_USERS = {
    "owner": Role.OWNER,
    "editor": Role.EDITOR,
    "reviewer": Role.REVIEWER,
    "viewer": Role.VIEWER,
}
DEMO_SLUG = "almaty-2022"
DEMO_TEXT_PATH = Path(__file__).with_name("demo_testimony.txt")
WITNESS = "Alimshan Isbasarov"

# (quote, statement as checked, speaker, attribution)
DEMO_CLAIMS = [
    (
        "a group of 100 people grow to 200, then 300, until around 20,000, if not more, "
        "were marching towards the akimat",
        "A crowd in Almaty grew from 100 to around 20,000 or more marching on the akimat.",
        WITNESS,
        "witness",
    ),
    (
        "90 percent of the people were peaceful",
        "About 90% of the Almaty protesters were peaceful onlookers.",
        WITNESS,
        "witness",
    ),
    (
        "About 10,000 people have been arrested so far.",
        "About 10,000 people had been arrested in Kazakhstan by 13 January 2022.",
        "",
        "unknown",
    ),
    (
        "they were not using rubber bullets but live ammunition",
        "Security forces in Almaty fired live ammunition, not rubber bullets.",
        WITNESS,
        "witness",
    ),
    (
        "The police and the army did not start the shooting, the military special forces did",
        "Military special forces, not police or army, started the shooting in Almaty.",
        WITNESS,
        "witness",
    ),
    (
        "He heard blasts and then smelled tear gas for the first time, which soldiers used to "
        "push the crowd back.",
        "Soldiers used tear gas against protesters in Almaty.",
        WITNESS,
        "witness",
    ),
    (
        "President Kassym-Jomart Tokayev called the unrest a terrorist attack on the state",
        "President Tokayev described the unrest as a terrorist attack on the state.",
        "Kassym-Jomart Tokayev",
        "government",
    ),
    (
        "used that to justify inviting foreign troops into the country",
        "Foreign troops were brought into Kazakhstan at the president's request.",
        "Kassym-Jomart Tokayev",
        "government",
    ),
    (
        "giving an order to shoot without warning",
        "President Tokayev gave an order to shoot without warning.",
        "Kassym-Jomart Tokayev",
        "government",
    ),
    (
        "On 5 January the city administration building was stormed and the presidential "
        "residence was set on fire.",
        "On 5 January 2022 the Almaty akimat was stormed and the presidential residence burned.",
        "",
        "reporter",
    ),
    (
        "The protests started over a steep increase in the price of liquefied gas",
        "The protests began over a steep rise in the price of liquefied gas.",
        "",
        "reporter",
    ),
    (
        "Many activists have been detained and we do not know where they are being held",
        "Detained activists are being held at unknown locations.",
        WITNESS,
        "witness",
    ),
]

# Two more sources, so that `manage.py corroborate` has figures to line up. Written for the
# demo; the figures are those given publicly at the time.
MINISTRY_TEXT = (
    "Official figures on the January events (demo summary)\n\n"
    "The interior ministry said on 11 January that 9,900 people had been detained across "
    "the country in connection with the unrest. Prosecutors said on 15 January that the "
    "bodies of 225 people had been delivered to morgues, among them 19 members of the "
    "security forces. Officials described most of those killed as armed participants in an "
    "attempted coup.\n"
)
WIRE_TEXT = (
    "Troops patrol Almaty as detentions mount (demo wire report)\n\n"
    "Nearly 6,000 people had been detained across Kazakhstan by Sunday, the authorities "
    "said, as troops patrolled the streets of Almaty. At the height of the protests on "
    "5 January, tens of thousands of people had marched on the city administration building "
    "in Almaty, according to witnesses and local media. Officials said dozens had been "
    "killed in the clashes.\n"
)
# (text, source fields, [(quote, speaker, attribution)])
DEMO_FIGURE_SOURCES = [
    (
        MINISTRY_TEXT,
        {
            "title": "Official figures on the January events (demo)",
            "kind": Source.Kind.STATEMENT,
            "author": "Interior ministry and prosecutors",
            "publisher": "Example Ministry (demo)",
            "published_on": date(2022, 1, 15),
        },
        [
            (
                "The interior ministry said on 11 January that 9,900 people had been detained "
                "across the country in connection with the unrest.",
                "Interior ministry",
                "government",
            ),
            (
                "Prosecutors said on 15 January that the bodies of 225 people had been "
                "delivered to morgues",
                "Prosecutors",
                "government",
            ),
        ],
    ),
    (
        WIRE_TEXT,
        {
            "title": "Troops patrol Almaty as detentions mount (demo wire report)",
            "kind": Source.Kind.ARTICLE,
            "author": "",
            "publisher": "Example Wire (demo)",
            "published_on": date(2022, 1, 9),
        },
        [
            (
                "Nearly 6,000 people had been detained across Kazakhstan by Sunday, the "
                "authorities said",
                "the authorities",
                "government",
            ),
            (
                "tens of thousands of people had marched on the city administration building "
                "in Almaty",
                "",
                "media",
            ),
            ("Officials said dozens had been killed in the clashes.", "Officials", "government"),
        ],
    ),
]

# (claim index, stance, title, publisher, url, excerpt)
DEMO_EVIDENCE = [
    (
        9,
        Stance.SUPPORTS,
        "DEMO: wire report on the storming of the Almaty akimat",
        "Example Wire (demo)",
        "https://example.org/demo/akimat-stormed",
        "Demo excerpt: footage shows the city administration building burning on 5 January.",
    ),
    (
        9,
        Stance.SUPPORTS,
        "DEMO: geolocated video of the presidential residence fire",
        "Example Open Source Lab (demo)",
        "https://example.org/demo/residence-fire-geolocation?utm_source=newsletter",
        "Demo excerpt: three videos geolocated to the residence show smoke on the evening "
        "of 5 January.",
    ),
    (
        2,
        Stance.SUPPORTS,
        "DEMO: interior ministry statement on detentions",
        "Example Ministry (demo)",
        "https://example.org/demo/ministry-detentions",
        "Demo excerpt: the ministry reports close to 10,000 people detained nationwide.",
    ),
    (
        2,
        Stance.CONTEXT,
        "DEMO: rights group on the counting of detainees",
        "Example Rights Watch (demo)",
        "https://example.org/demo/detainee-count",
        "Demo excerpt: official figures mix short detentions with formal arrests.",
    ),
    (
        3,
        Stance.CONTEXT,
        "DEMO: hospital staff describe gunshot wounds",
        "Example Daily (demo)",
        "https://example.org/demo/hospital-wounds",
        "",
    ),
]


def ensure_users():
    """Create the four demo users (once) and return them by username."""
    users = {}
    User = get_user_model()
    for username in DEMO_USERS:
        # Addresses under example.org (reserved for examples): notifications print on the
        # console in development, so a new user sees what the team would be sent.
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": username.capitalize(), "email": f"{username}@example.org"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users[username] = user
    return users


@transaction.atomic
def load_demo():
    """Create or complete the demo investigation; return (investigation, created)."""
    users = ensure_users()
    investigation, _created = Investigation.objects.get_or_create(
        slug=DEMO_SLUG,
        defaults={
            "title": "Almaty, January 2022",
            "description": "Checking an activist's account of the January 2022 unrest in "
            "Almaty: crowd sizes, the use of live ammunition, arrests and the official version.",
            "created_by": users["owner"],
        },
    )
    memberships = {}
    for username, role in DEMO_USERS.items():
        memberships[username], _ = Membership.objects.get_or_create(
            investigation=investigation, user=users[username], defaults={"role": role}
        )
    if Source.objects.filter(investigation=investigation).exists():
        return investigation, False
    # The demo's history is made up, not news: nobody is emailed about it.
    with notifications.muted():
        _work_the_demo(investigation, users, memberships)
    return investigation, True


def _work_the_demo(investigation, users, memberships):
    text = DEMO_TEXT_PATH.read_text(encoding="utf-8")
    source = marking.add_source(
        investigation,
        actor=users["editor"],
        text=text,
        run_extraction=False,
        title="Almaty witness: \u201cWe only wanted to be heard\u201d (demo testimony)",
        kind=Source.Kind.TESTIMONY,
        author=WITNESS,
        publisher="Workbench demo desk",
        published_on=date(2022, 1, 13),
        language="en",
    )
    claims = []
    for quote, statement, speaker, attribution in DEMO_CLAIMS:
        anchor = find_quote(text, quote)
        claims.append(
            marking.mark_claim(
                source,
                actor=users["reviewer"],
                start=anchor.start,
                end=anchor.end,
                statement=statement,
                speaker=speaker,
                attribution=attribution,
            )
        )
    for index, stance, title, publisher, url, excerpt in DEMO_EVIDENCE:
        citations.cite_evidence(
            claims[index],
            actor=users["reviewer"],
            stance=stance,
            url=url,
            title=title,
            publisher=publisher,
            excerpt=excerpt,
            note="Demo evidence: example.org pages do not exist.",
        )
    _cite_demo_photos(claims, users["reviewer"])
    reviewer, editor = memberships["reviewer"], memberships["editor"]
    # One verdict signed off by a second reviewer, one waiting for sign-off.
    verified = reviews.propose_verdict(
        claims[9],
        proposer=users["reviewer"],
        membership=reviewer,
        rating=VerdictRating.TRUE,
        rationale="Two independent demo sources (a wire report and geolocated video) "
        "show the akimat stormed and the residence burning on 5 January.",
    )
    reviews.sign_off_verdict(verified, reviewer=users["editor"], membership=editor)
    reviews.propose_verdict(
        claims[2],
        proposer=users["reviewer"],
        membership=reviewer,
        rating=VerdictRating.MOSTLY_TRUE,
        rationale="The demo ministry statement gives close to 10,000 detained; a rights "
        "group notes the figure mixes short detentions with arrests.",
    )
    workflow.transition(claims[3], "start_review", actor=users["reviewer"], membership=reviewer)
    for claim in claims[3:6]:
        claim.refresh_from_db()
        workflow.assign(claim, actor=users["editor"], membership=editor, assignee=users["reviewer"])
    # The engine's proposals for the rest of the text, to accept or dismiss in the reader.
    marking.start_extraction(source, actor=users["editor"])
    _add_figure_sources(investigation, users)
    # The three sources overlap (arrests, the march on the akimat): suggest the links now
    # rather than wait for a worker the demo may not be running.
    matching.recompute(investigation)


def _cite_demo_photos(claims, actor):
    """A photo of the square, drawn now with the EXIF a phone writes (capture time, camera,
    GPS, serial number), cited on the storming of the akimat; a smaller, recompressed copy of
    it, as reposted online, cited on the first claim, so the duplicate flag shows."""
    taken = {
        "taken_at": "2022:01:05 14:03:07",
        "make": "Apple",
        "model": "iPhone 12",
        "gps": (43.2381, 76.9452),
        "serial": "DEMO-F17ZX0QH",
    }
    original = photos.photo_bytes(2022, **taken)
    files.attach_file(
        claims[9],
        actor=actor,
        upload=ContentFile(original, name="republic-square-0105.jpg"),
        stance=Stance.SUPPORTS,
        title="Photo: crowd outside the akimat, Republic Square (demo)",
        note="Demo photo drawn by the loader; its metadata is invented.",
    )
    repost = photos.photo_bytes(2022, size=(480, 320), quality=45)
    files.attach_file(
        claims[0],
        actor=actor,
        upload=ContentFile(repost, name="reposted.jpg"),
        stance=Stance.CONTEXT,
        title="Reposted photo of the square (demo)",
        note="The same picture, smaller, as shared on a messaging channel.",
    )


def _add_figure_sources(investigation, users):
    """The official statement and the wire report, their figures marked as claims.

    No extraction on these: their claims are the figures, marked by hand.
    """
    for text, fields, claims in DEMO_FIGURE_SOURCES:
        source = marking.add_source(
            investigation, actor=users["editor"], text=text, run_extraction=False, **fields
        )
        for quote, speaker, attribution in claims:
            anchor = find_quote(text, quote)
            marking.mark_claim(
                source,
                actor=users["reviewer"],
                start=anchor.start,
                end=anchor.end,
                speaker=speaker,
                attribution=attribution,
            )

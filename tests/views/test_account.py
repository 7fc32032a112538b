"""The account page, password change, and password reset by email (Django's own views, in
the app's templates), with reset requests throttled like log-ins."""

import re

from django.core import mail
from django.urls import reverse

from claims.models import LoginThrottle
from tests.factories import make_user

PASSWORD = "pw-for-tests-123"


def test_the_account_page_lists_memberships_and_links_password_change(client, investigation, bob):
    bob.email = "bob@example.org"
    bob.save()
    client.force_login(bob)
    page = client.get(reverse("account")).content.decode()
    assert "bob@example.org" in page
    assert "Vessa flood" in page
    assert "Reviewer" in page
    assert reverse("password_change") in page
    assert reverse("claims:member-leave", args=[investigation.slug]) in page


def test_the_header_links_to_the_account_page(client, alice):
    client.force_login(alice)
    page = client.get(reverse("claims:investigation-list")).content.decode()
    assert f'href="{reverse("account")}"' in page


def test_the_account_page_needs_a_login(client, db):
    response = client.get(reverse("account"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_password_change_checks_the_old_password_and_the_validators(client, alice):
    client.force_login(alice)
    url = reverse("password_change")
    response = client.post(
        url, {"old_password": "wrong", "new_password1": "123", "new_password2": "123"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in page
    assert "This password is too short" in page
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "tide-gauge-417",
            "new_password2": "tide-gauge-417",
        },
    )
    assert response.url == reverse("password_change_done")
    alice.refresh_from_db()
    assert alice.check_password("tide-gauge-417")


def test_password_reset_sends_a_working_link(client, db):
    user = make_user("dora", email="dora@example.org")
    response = client.post(reverse("password_reset"), {"email": "dora@example.org"})
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True)
    assert "Choose a new password" in page.content.decode()
    response = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "tide-gauge-417", "new_password2": "tide-gauge-417"},
    )
    assert response.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("tide-gauge-417")


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.url == reverse("password_reset_done")
    assert not mail.outbox


def test_password_reset_requests_are_throttled(client, db):
    make_user("dora", email="dora@example.org")
    url = reverse("password_reset")
    answers = [
        client.post(url, {"email": "dora@example.org"}, REMOTE_ADDR="198.51.100.7")
        for _ in range(4)
    ]
    # Three go through; the fourth has to wait (the account policy's slow_after is 3).
    assert [answer.status_code for answer in answers[:3]] == [302, 302, 302]
    assert answers[3].status_code == 200
    assert "Too many reset requests; try again in" in answers[3].content.decode()
    assert len(mail.outbox) == 3
    assert LoginThrottle.objects.exists()


def test_the_login_page_links_to_password_reset(client, db):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()

"""The site icon: browsers ask /favicon.ico of every document, pages name the SVG."""

from django.urls import reverse


def test_favicon_ico_is_served_to_anyone(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content.startswith(b"\x00\x00\x01\x00")  # the ICO header
    assert "max-age=" in response["Cache-Control"]


def test_favicon_ico_refuses_other_methods(client, db):
    assert client.post("/favicon.ico").status_code == 405


def test_pages_name_the_svg_icon_and_the_ico(client, db):
    page = client.get(reverse("login")).content.decode()
    assert 'rel="icon" href="/static/favicon.svg" type="image/svg+xml"' in page
    assert 'rel="icon" href="/favicon.ico" sizes="48x48"' in page

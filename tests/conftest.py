import pytest

from claims.models import Role
from tests.factories import make_claim, make_investigation, make_source, make_user


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db):
    """Owner of the `flood-2026` investigation."""
    return make_user("alice")


@pytest.fixture
def bob(db):
    """Reviewer in Alice's investigation."""
    return make_user("bob")


@pytest.fixture
def rita(db):
    """A second reviewer in Alice's investigation (for four-eyes sign-off)."""
    return make_user("rita")


@pytest.fixture
def erin(db):
    """Editor in Alice's investigation."""
    return make_user("erin")


@pytest.fixture
def victor(db):
    """Viewer in Alice's investigation."""
    return make_user("victor")


@pytest.fixture
def carol(db):
    """Outsider: a user of the installation with no membership in Alice's investigation."""
    return make_user("carol")


@pytest.fixture
def investigation(alice, bob, rita, erin, victor, carol):
    return make_investigation(
        members=[
            (alice, Role.OWNER),
            (bob, Role.REVIEWER),
            (rita, Role.REVIEWER),
            (erin, Role.EDITOR),
            (victor, Role.VIEWER),
        ]
    )


@pytest.fixture
def source(investigation):
    return make_source(investigation)


@pytest.fixture
def claim(source, bob):
    return make_claim(source, actor=bob)


@pytest.fixture
def people(alice, bob, erin, victor, carol):
    """Users by role name, for permission tables."""
    return {
        "owner": alice,
        "reviewer": bob,
        "editor": erin,
        "viewer": victor,
        "outsider": carol,
    }


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Hashed static names need `collectstatic` first; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

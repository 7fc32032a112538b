"""Query budgets for every GET page: at most MAX_QUERIES, and no more with 50 rows than 5."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.clients import HTMX
from tests.page_world import GET_PAGES, HTMX_ONLY, build_world

MAX_QUERIES = 12
# Pages over the budget today, at their exact present count: a ratchet that fails when they
# get worse and when they improve (then lower or drop the entry). None today.
KNOWN_OVER_BUDGET = {}


def _queries(client, name, rows):
    """Queries one GET of page `name` makes with `rows` rows; the data is rolled back after."""
    with transaction.atomic():
        world = build_world(rows, slug=f"rows-{rows}")
        client.force_login(world.viewer)
        url = world.url(name)
        headers = HTMX if name in HTMX_ONLY else {}
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, **headers)
        assert response.status_code == 200, f"{name}: {response.status_code}"
        transaction.set_rollback(True)
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("name", GET_PAGES)
def test_page_query_budget(client, db, name):
    few = _queries(client, name, 5)
    many = _queries(client, name, 50)
    listing = "\n".join(many)
    if name in KNOWN_OVER_BUDGET:
        assert (len(few), len(many)) == KNOWN_OVER_BUDGET[name], f"{name}:\n{listing}"
        return
    assert len(many) <= MAX_QUERIES, f"{name} made {len(many)} queries:\n{listing}"
    assert len(many) == len(few), f"{name}: {len(few)} queries with 5 rows, {len(many)} with 50"


@pytest.mark.parametrize("name", ["login", "healthz"])
def test_public_page_query_budget(client, db, name, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(reverse(name)).status_code == 200

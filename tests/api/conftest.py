"""The API's tests: tokens for Alice's team, and a client that sends one."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from claims.access import tokens


class TokenClient:
    """Django's test client with `Authorization: Bearer <token>` on every request, JSON in."""

    def __init__(self, token):
        self.token = token
        self.client = Client()

    def _headers(self):
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, url, data=None):
        return self.client.get(url, data, headers=self._headers())

    def post(self, url, data=None, **kwargs):
        if "files" in kwargs:
            return self.client.post(
                url, {**(data or {}), **kwargs["files"]}, headers=self._headers()
            )
        body = json.dumps(data if data is not None else {})
        return self.client.post(url, body, content_type="application/json", headers=self._headers())


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Request budgets are counted in the cache: each test starts with a full one.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token_for(db):
    """token_for(user, read_only=False) -> a TokenClient acting as `user`."""

    def make(user, read_only=False):
        _row, token = tokens.create_token(user, name="tests", is_read_only=read_only)
        return TokenClient(token)

    return make

"""The editor's tests: a database seeded from the fact base, as each test begins (pytest-django), an
editor and a publisher, and their browsers logged in."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from assistant.knowledge import factbase
from editor import drafts
from editor.roles import ensure_roles

PASSWORD = "kaksitoista merkkiä ainakin"
ACCOUNTS = {"eeva": "editor", "pekka": "publisher"}


@pytest.fixture(autouse=True)
def in_english():
    """Messages outside a request in English, as the tests read them (a browser's request chooses its own)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, its roles made, seeded from the fact base and given an editor and a publisher
    once (a password's hash is slow on purpose): each test runs in a transaction that is rolled back, so
    each begins from the seed."""
    with django_db_blocker.unblock():
        ensure_roles()
        drafts.seed(factbase.DEFAULT_PATH)
        for name, role in ACCOUNTS.items():
            account(name, role)


@pytest.fixture
def seeded(db):
    """The database as seeded from the fact base, with the editor's roles."""


def account(name: str, role: str):
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(name, password=PASSWORD, is_staff=True)
    user.groups.set([Group.objects.get(name=role)])
    return user


@pytest.fixture
def editor(seeded):
    return get_user_model().objects.get(username="eeva")


@pytest.fixture
def publisher(seeded):
    return get_user_model().objects.get(username="pekka")


def browser(user) -> Client:
    """A logged-in browser that asks for English, as the tests read the pages (a request may ask otherwise)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client

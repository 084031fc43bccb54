"""The editor's tests: a database seeded from the fact base for each test (pytest-django), an editor and
a publisher, and their browsers logged in."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from assistant.knowledge import factbase
from editor import drafts
from editor.roles import ensure_roles

PASSWORD = "kaksitoista merkkiä ainakin"


@pytest.fixture(autouse=True)
def in_english():
    """Messages outside a request in English, as the tests read them (a browser's request chooses its own)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def seeded(db):
    ensure_roles()
    drafts.seed(factbase.DEFAULT_PATH)


def account(name: str, role: str):
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(name, password=PASSWORD, is_staff=True)
    user.groups.set([Group.objects.get(name=role)])
    return user


@pytest.fixture
def editor(seeded):
    return account("eeva", "editor")


@pytest.fixture
def publisher(seeded):
    return account("pekka", "publisher")


def browser(user) -> Client:
    """A logged-in browser that asks for English, as the tests read the pages (a request may ask otherwise)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client

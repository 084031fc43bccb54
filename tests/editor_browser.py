"""The fact base editor (editor/) used over HTTP as a browser without script uses it, through a front
(make run's page origin, or the cluster's nginx): its forms read from the page, filled in and
posted with their CSRF token. Accounts are made as `make editor-user` makes them."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from typing import Dict, List, Mapping, Tuple

import requests

from tests.helpers import ROOT


def make_account(name: str, password: str, role: str, env: Mapping[str, str]) -> None:
    """`make editor-user NAME=… ROLE=…`, the password typed twice, against the database in `env`."""
    subprocess.run(
        [sys.executable, "-m", "django", "editor_user", name, "--role", role],
        cwd=ROOT,
        input=f"{password}\n{password}\n",
        text=True,
        check=True,
        capture_output=True,
        env={**env, "DJANGO_SETTINGS_MODULE": "editor.settings"},
    )


class _Forms(HTMLParser):
    """A page's POST forms, in order: each its action and the values a browser would post."""

    def __init__(self):
        super().__init__()
        self.forms: List[Tuple[str, Dict[str, str]]] = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "").lower() == "post":
                self.forms.append((attrs.get("action") or "", {}))
            return
        if not self.forms:
            return
        values, name = self.forms[-1][1], attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "checkbox", "radio", "file"):
            values[name] = attrs.get("value") or ""
        elif tag == "input" and name and attrs.get("type") in ("checkbox", "radio") and "checked" in attrs:
            values[name] = attrs.get("value") or "on"
        elif tag == "textarea" and name:
            self._textarea = name
            values[name] = ""
        elif tag == "select" and name:
            self._select = name
            values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            values[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1][1][self._textarea] += data


class EditorBrowser(requests.Session):
    def __init__(self, front: str):
        super().__init__()
        self.front = front

    def form(self, path: str) -> Tuple[str, Dict[str, str]]:
        """The page's first POST form but the header's "log out": where it posts to, and its values."""
        page = self.get(self.front + path, timeout=30)
        page.raise_for_status()
        parser = _Forms()
        parser.feed(page.text)
        action, values = next(form for form in parser.forms if not form[0].endswith("/logout/"))
        # A textarea's first newline belongs to the markup, not to its value.
        return action or path, {k: v[1:] if v.startswith("\n") else v for k, v in values.items()}

    def submit(self, path: str, **changes: str) -> requests.Response:
        """The page's form as it is, with `changes`, posted as the browser would (its Origin and
        CSRF token)."""
        action, values = self.form(path)
        return self.post(
            self.front + action,
            data={**values, **changes},
            allow_redirects=False,
            timeout=60,
            headers={"Origin": self.front, "Referer": self.front + path},
        )

    def login(self, name: str, password: str) -> None:
        response = self.submit("/editor/login/", username=name, password=password)
        assert response.status_code == 302, f"{name} not logged in: {response.status_code}"

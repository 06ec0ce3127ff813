"""Read a page's form as a browser would, and save it back unchanged.

`form_values(html)` returns what a browser sends when the form is submitted
as shown: every named input, select and textarea with its pre-filled value,
checked boxes only, disabled controls never, file inputs left empty.

`assert_saving_unchanged_changes_nothing(client, url, snapshot)` GETs the
form at `url`, posts those values back, and compares `snapshot()` (a
callable returning whatever the form edits, as plain values) before and after.
"""

from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any


class _FormParser(HTMLParser):
    """Collects the successful controls of the forms on a page, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: dict[str, Any] | None = None
        self._option: dict[str, Any] | None = None
        self._textarea: dict[str, Any] | None = None

    def _add(self, name: str, value: str) -> None:
        self._form["values"].append((name, value))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._form = {
                "action": attributes.get("action"),
                "method": (attributes.get("method") or "get").lower(),
                "enctype": attributes.get("enctype"),
                "values": [],
            }
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = attributes.get("name")
        disabled = "disabled" in attributes
        if tag == "input" and name and not disabled:
            kind = (attributes.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self._add(name, attributes.get("value", "on"))
            elif kind == "file":
                self._form["files"] = [*self._form.get("files", []), name]
            elif kind not in ("submit", "button", "reset", "image"):
                self._add(name, attributes.get("value", ""))
        elif tag == "select" and name and not disabled:
            self._select = {
                "name": name,
                "multiple": "multiple" in attributes,
                "options": [],
            }
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": attributes.get("value"),
                "text": "",
                "selected": "selected" in attributes,
                "disabled": disabled,
            }
            self._select["options"].append(self._option)
        elif tag == "textarea" and name and not disabled:
            self._textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data
        elif self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            options = self._select["options"]
            chosen = [option for option in options if option["selected"]]
            if not chosen and not self._select["multiple"] and options:
                chosen = [next((o for o in options if not o["disabled"]), options[0])]
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"].strip()
                self._add(self._select["name"], value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # As a browser reads it: CRLF is one newline, and one right after <textarea> is dropped.
            text = self._textarea["text"].replace("\r\n", "\n")
            if text.startswith("\n"):
                text = text[1:]
            self._add(self._textarea["name"], text)
            self._textarea = None


def page_forms(html: str) -> list[dict[str, Any]]:
    """Every form on the page: action, method, enctype, values [(name, value)], files."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_values(html: str, index: int | None = None) -> list[tuple[str, str]]:
    """What the page's POST form sends unchanged (the only one, or the one at `index`)."""
    forms = [form for form in page_forms(html) if form["method"] == "post"]
    if index is None:
        # The layout's own forms (log out, language) carry nothing but a CSRF token.
        forms = [form for form in forms if any(n != "csrf_token" for n, _ in form["values"])]
        assert len(forms) == 1, f"expected one form to fill in, found {len(forms)}"
        return forms[0]["values"]
    return forms[index]["values"]


def post_unchanged(client, url: str, index: int | None = None):
    """GET the form at `url` and POST back exactly what it pre-filled."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    values = form_values(page.get_data(as_text=True), index)
    data: dict[str, Any] = {}
    for name, value in values:
        data.setdefault(name, []).append(value)
    return client.post(url, data=data, content_type="multipart/form-data")


def assert_saving_unchanged_changes_nothing(
    client, url: str, snapshot: Callable[[], Any], *, index: int | None = None
) -> None:
    """Saving the form at `url` as shown is accepted and leaves `snapshot()` as it was."""
    before = snapshot()
    response = post_unchanged(client, url, index)
    # A save redirects; a form shown again (422) refused what it had itself pre-filled.
    assert response.status_code in (302, 303), (
        response.status_code,
        response.get_data(as_text=True)[:2000],
    )
    after = snapshot()
    assert after == before, f"saving unchanged changed\n{before!r}\ninto\n{after!r}"

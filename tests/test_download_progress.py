"""Exports show "Preparing the file…" until the download begins: the cookie that ends it."""

import pytest


def download_cookie(response) -> str | None:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith("pojo_download="):
            return header
    return None


@pytest.mark.parametrize("path", ["/audit.csv", "/settings/my-data.json"])
def test_an_export_sets_the_cookie_its_page_waits_for(client_as, path):
    hr = client_as("hr", team="Office")
    response = hr.get(f"{path}?pojo_download=a1b2c3d4e5f6")
    assert response.status_code == 200
    cookie = download_cookie(response)
    assert cookie.startswith("pojo_download=a1b2c3d4e5f6;")
    assert "Max-Age=120" in cookie and "SameSite=Strict" in cookie
    assert "HttpOnly" not in cookie  # the page's script reads it


@pytest.mark.parametrize("token", ["", "short", "x" * 41, "a1b2c3d4;evil=1", "<script>"])
def test_no_cookie_for_a_token_that_is_not_one(client_as, token):
    response = client_as("hr", team="Office").get(
        "/audit.csv", query_string={"pojo_download": token}
    )
    assert response.status_code == 200
    assert download_cookie(response) is None


def test_no_cookie_on_a_page_that_is_no_download(client_as):
    response = client_as("hr", team="Office").get("/audit?pojo_download=a1b2c3d4e5f6")
    assert response.status_code == 200
    assert download_cookie(response) is None


@pytest.mark.parametrize("path", ["/audit", "/settings"])
def test_export_buttons_say_they_are_preparing(client_as, path):
    page = client_as("hr", team="Office").get(path).get_data(as_text=True)
    assert 'data-download="Preparing the file…"' in page
    assert "js/download.js" in page


@pytest.mark.parametrize("path", ["/outcomes/import", "/shifts/import", "/import"])
def test_import_forms_show_they_are_working_once_sent(client_as, path):
    page = client_as("hr", team="Office").get(path).get_data(as_text=True)
    assert 'data-busy="Reading and checking the file… A large file takes a minute."' in page
    assert "js/busy.js" in page

"""Static files: versioned URLs cached for a year, plain names briefly, gzip when asked."""

import gzip
import re

from flask import url_for

from pojo import ROOT
from pojo.static_files import build, versioned_name

CSS = (ROOT / "static" / "css" / "pojo.css").read_bytes()


def test_pages_link_versioned_files_that_are_cached_for_good(app, client):
    page = client.get("/login").get_data(as_text=True)
    href = re.search(r'href="(/static/[0-9a-f]{12}/css/pojo\.css)"', page).group(1)
    response = client.get(href)
    assert response.status_code == 200 and response.data == CSS
    assert "immutable" in response.headers["Cache-Control"]
    assert (
        int(re.search(r"max-age=(\d+)", response.headers["Cache-Control"]).group(1)) >= 365 * 86400
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_versioned_name_follows_the_content(app):
    with app.test_request_context():
        assert url_for("static", filename="css/pojo.css") == "/static/" + versioned_name(
            "css/pojo.css", CSS
        )
    assert versioned_name("css/pojo.css", CSS) != versioned_name("css/pojo.css", CSS + b" ")


def test_a_plain_name_is_served_with_a_short_lifetime(client):
    response = client.get("/static/css/pojo.css")
    assert response.status_code == 200 and response.data == CSS
    assert response.headers["Cache-Control"] == "max-age=60, public"


def test_text_files_are_sent_gzipped_to_clients_that_take_it(app, client):
    with app.test_request_context():
        script = url_for("static", filename="vendor/chart/chart.umd.js")
    response = client.get(script, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    plain = (ROOT / "static" / "vendor" / "chart" / "chart.umd.js").read_bytes()
    assert gzip.decompress(response.data) == plain and len(response.data) < len(plain) / 2


def test_a_changed_file_gets_a_new_copy_and_the_old_one_goes(tmp_path):
    source, target = tmp_path / "static", tmp_path / "built"
    (source / "js").mkdir(parents=True)
    (source / "js" / "a.js").write_text("one();" * 100)
    first = build(source, target)["js/a.js"]
    (source / "js" / "a.js").write_text("two();" * 100)
    second = build(source, target)["js/a.js"]
    assert first != second
    kept = sorted(path.relative_to(target).as_posix() for path in target.rglob("*.js*"))
    assert kept == [second, second + ".gz"]

"""Static files: served by WhiteNoise before Flask, at versioned URLs, cached long, compressed.

`url_for('static', filename='css/pojo.css')` gives `/static/<hash>/css/pojo.css`, the
hash taken from the file's content: the URL changes whenever the file does, so a
browser keeps it for a year without asking again ("immutable") and still never runs
yesterday's script. The versioned copies, each with a gzip beside it, are made in
`instance/static/` when the app starts, only those that are missing (a copy's name
says its content), so there is no build step: it works the same under `flask run`,
gunicorn and the tests, and on a closed network (nothing comes from a CDN). A file's
plain name is still served, with a short lifetime, for anything that links it
without `url_for`.
"""

import gzip
import hashlib
import os
import re
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise

HASH_LENGTH = 12
# A plain (unversioned) name may change meaning at the next release: browsers ask again soon.
PLAIN_MAX_AGE = 60
# Text compresses; images and archives mostly do not.
COMPRESSIBLE = {".css", ".js", ".svg", ".json", ".txt", ".md", ".html", ".map", ""}
_HASH_DIRECTORY = re.compile(rf"[0-9a-f]{{{HASH_LENGTH}}}")


def versioned_name(relative: str, content: bytes) -> str:
    """`css/pojo.css` → `<hash>/css/pojo.css`, the hash taken from `content`.

    The hash leads, so the versioned URL still ends with the file's own path.
    """
    return f"{hashlib.sha256(content).hexdigest()[:HASH_LENGTH]}/{relative}"


def _write_once(target: Path, data: bytes) -> None:
    """Write `target` unless it exists; atomically, as several workers may start at once."""
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".tmp-{os.getpid()}-{target.name}")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def _files(source: Path) -> list[tuple[str, Path]]:
    """The files under `source` that are served, by relative name (dot-names are not)."""
    found = []
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in relative.split("/")):
            found.append((relative, path))
    return found


# (source, target, every file's name, size and mtime) -> manifest: an app made again in the
# same process (the tests make hundreds) hashes and compresses nothing that has not changed.
_BUILT: dict[tuple, dict[str, str]] = {}


def build(source: Path, target: Path) -> dict[str, str]:
    """Versioned copies (and their gzip) of every file under `source`: {plain: versioned}."""
    files = _files(source)
    signature = (
        source,
        target,
        tuple((relative, path.stat().st_size, path.stat().st_mtime_ns) for relative, path in files),
    )
    if signature in _BUILT and all((target / v).exists() for v in _BUILT[signature].values()):
        return _BUILT[signature]
    _BUILT[signature] = manifest = _build(files, target)
    return manifest


def _build(files: list[tuple[str, Path]], target: Path) -> dict[str, str]:
    manifest = {}
    for relative, path in files:
        content = path.read_bytes()
        versioned = versioned_name(relative, content)
        manifest[relative] = versioned
        _write_once(target / versioned, content)
        if path.suffix.lower() in COMPRESSIBLE:
            packed = gzip.compress(content, compresslevel=9, mtime=0)
            if len(packed) < len(content) * 0.95:
                _write_once(target / f"{versioned}.gz", packed)
    _prune(
        target, {name for versioned in manifest.values() for name in (versioned, f"{versioned}.gz")}
    )
    return manifest


def _prune(target: Path, wanted: set[str]) -> None:
    """Remove copies of older contents, so editing a file leaves no trail."""
    for path in sorted(target.rglob("*"), reverse=True):  # a directory after what it holds
        relative = path.relative_to(target).as_posix()
        if not _HASH_DIRECTORY.fullmatch(relative.split("/")[0]):
            continue  # not ours
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        # Names starting with a dot are other workers' copies in the making.
        elif relative not in wanted and not path.name.startswith("."):
            path.unlink(missing_ok=True)


def _nosniff(headers, _path, _url) -> None:
    headers["X-Content-Type-Options"] = "nosniff"


def init_app(app: Flask) -> None:
    source = Path(app.static_folder)
    target = Path(app.instance_path) / "static"
    manifest = build(source, target)
    prefix = app.static_url_path.rstrip("/") + "/"
    versioned_urls = {prefix + versioned for versioned in manifest.values()}
    server = WhiteNoise(
        app.wsgi_app,
        max_age=PLAIN_MAX_AGE,
        allow_all_origins=False,
        add_headers_function=_nosniff,
        immutable_file_test=lambda _path, url: url in versioned_urls,
    )
    for plain, versioned in manifest.items():
        served = str(target / versioned)  # its .gz beside it is offered to gzip clients
        server.add_file_to_dictionary(prefix + versioned, served)
        server.add_file_to_dictionary(prefix + plain, served)
    app.wsgi_app = server

    @app.url_defaults
    def _versioned_static(endpoint, values):
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]

"""WSGI entry point for gunicorn: ``gunicorn wsgi:app``."""

from pojo import create_app

app = create_app()

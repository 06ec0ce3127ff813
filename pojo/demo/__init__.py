"""Demo data: `flask --app pojo demo` fills an empty database with a living contact centre."""


def init_app(app):
    from pojo.demo.cli import demo

    app.cli.add_command(demo)

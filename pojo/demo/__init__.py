"""Demo data: `flask --app pojo demo` fills an empty database with a living contact centre."""


def feature():
    from pojo.demo.cli import demo
    from pojo.features import Feature

    return Feature(name="demo", commands=(demo,))

"""Every route declares who may use it; the catalogue is public to staff, editing is not."""


def test_every_route_declares_an_access_rule(app):
    undeclared = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        if not getattr(view, "access_rule", None):
            undeclared.append(rule.rule)
    assert undeclared == []


def test_anonymous_visitor_is_sent_to_login(client):
    for path in ["/wallet", "/criteria", "/awards/new", "/people"]:
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_every_employee_reads_the_criteria_catalogue(client_as):
    page = client_as("agent", temp=True).get("/criteria").get_data(as_text=True)
    assert "First-contact resolution" in page


def test_only_hr_and_admin_edit_criteria(client_as):
    assert client_as("supervisor").get("/criteria/fcr/edit").status_code == 403
    hr = client_as("hr", team="Office")
    response = hr.post(
        "/criteria/fcr/edit",
        data={
            "code": "fcr",
            "name_en": "Solved at first contact",
            "name_fi": "Ratkaistu heti",
            "description_en": "",
            "description_fi": "",
            "tier": "good",
            "points": "25",
            "active": "y",
        },
    )
    assert response.status_code == 302
    assert "Solved at first contact" in hr.get("/criteria").get_data(as_text=True)


def test_temp_agent_earns_exactly_like_permanent_staff(app, client_as, make_employee, login):
    supervisor = client_as("supervisor", team="Alpha")
    temp = make_employee("tiina", team="Alpha", temp=True)
    response = supervisor.post(
        "/awards/new",
        data={"employee": temp, "criterion": "nps_10", "note": "10/10", "request_id": "t"},
    )
    assert response.status_code == 302
    assert "10/10" in login(app.test_client(), temp).get("/wallet").get_data(as_text=True)

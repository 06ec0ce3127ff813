"""The audit log: every HR and admin action, who, when, what, before and after.

Services call `pojo.audit.service.record` inside their unit of work; the database
refuses to change or delete an entry (see `models.py`); HR and admin read it at /audit.
"""


def feature():
    from flask_babel import lazy_gettext as _l

    from pojo.audit import models
    from pojo.audit.invariants import CHECKS
    from pojo.audit.personal_data import PARTS as PERSONAL_DATA
    from pojo.audit.policy import READ_AUDIT_LOG
    from pojo.audit.views import bp
    from pojo.features import Feature
    from pojo.web import NavItem

    return Feature(
        name="audit",
        blueprints=(bp,),
        nav=(NavItem(88, "audit.index", _l("Audit log"), READ_AUDIT_LOG, manage=True),),
        checks=CHECKS,
        personal_data=PERSONAL_DATA,
        models=models,
    )

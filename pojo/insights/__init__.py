"""HR insights: how people use Pojo (segments), fairness, the points economy, payroll.

Started in [8/10]: so far the pure classification (`segments.py`); the feature
(pages, SQL features, dashboard) is not registered yet.
"""

"""The workbench and the public site (``scorecard serve``): a Django application.

Analysts draft commentary per priority and voice, approvers approve or return it, and approving
publishes an immutable version that the public pages list at a permanent URL.  The site's own
state (users, roles, commentary versions, reviews, publications, the audit log) is in a relational
database, SQLite by default and PostgreSQL for a shared deployment (``SCORECARD_DATABASE_URL``);
the figures come from the DuckDB store, opened read-only, through the same pipeline as
``scorecard report`` (``publish.gather`` and ``publish.build``), so a published page and the
command line cannot disagree.  Django brings authentication, sessions, CSRF protection and
migrations; django-axes throttles logins and django-csp sets the Content Security Policy.
"""

"""The WSGI application ``scorecard serve`` runs (waitress)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scorecard.web.settings")
application = get_wsgi_application()

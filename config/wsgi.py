import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# Import every view (and the PDF renderer behind them) while the worker
# starts, not in its first request: that took 1.1 s and, with several
# workers started at once, made the first pages after a restart slow.
import_module(settings.ROOT_URLCONF)

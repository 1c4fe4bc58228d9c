import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opop.settings.prod")

application = get_wsgi_application()

from opop.outbox import deliver_after_response  # noqa: E402  (after Django is set up)

# A request's tasks (a checkout's e-mails) are published once its response has been sent.
application = deliver_after_response(application)

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lifeline.settings")
application = get_wsgi_application()

# What a command killed half-way (an import) left is removed before the first request.
from lifeline.core.batches import batches_sweep_quietly  # noqa: E402

batches_sweep_quietly()

"""WSGI entry point (gunicorn complaintdesk.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

from complaintdesk.core.lean import ninja_without_the_test_package

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "complaintdesk.settings")
ninja_without_the_test_package()  # before django.setup(): 6 MB less in every web worker
application = get_wsgi_application()
# Everything loaded so far lives as long as the process: it is moved out of the cyclic garbage
# collector's way. A full collection walked all of it in the middle of a request (100–150 ms in a
# monthly report at a million complaints, measured with gc.callbacks; docs/performance.md).
gc.freeze()

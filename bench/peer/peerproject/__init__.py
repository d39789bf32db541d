"""A minimal Django project that serves django-helpdesk for the side-by-side bench (our own code)."""

"""The peer inside the bench: django-helpdesk from PyPI in its own virtualenv (bench/peer/peer.py)."""

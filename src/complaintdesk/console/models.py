"""A saved view: a named set of the complaint list's filters and order, one user's own."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedView(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views",
                             verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="savedview_user_name")]

    def __str__(self) -> str:
        return self.name

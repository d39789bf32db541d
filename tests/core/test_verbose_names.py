"""The Django admin reads in the user's language: every model of every complaintdesk app and every
field it declares carries a verbose name (and the model a plural) marked for translation, so the
admin's headings, columns and form labels come from the catalogue (issue 11, item 9)."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Field, Model
from django.utils.functional import Promise


def _own_fields(model: type[Model]) -> list[Field[object, object]]:
    """The fields the model declares (not the reverse relations, not Django's automatic id)."""
    out = []
    for field in model._meta.get_fields():
        if not isinstance(field, Field) or field.model is not model:
            continue
        if field.auto_created:
            continue
        out.append(field)
    return out


def _models() -> list[type[Model]]:
    return [model for model in apps.get_models() if model.__module__.startswith("complaintdesk.")]


def test_the_walk_sees_every_app() -> None:
    labels = {model._meta.app_label for model in _models()}
    assert {"complaints", "clocks", "resolutions", "followup", "notify", "accounts", "core", "units"} <= labels


def test_every_app_has_a_translatable_name() -> None:
    missing = [config.label for config in apps.get_app_configs()
               if config.name.startswith("complaintdesk.") and not isinstance(config.verbose_name, Promise)]
    assert missing == []


def test_every_model_has_translatable_names() -> None:
    missing = [f"{m._meta.label} ({what})" for m in _models()
               for what, name in (("verbose_name", m._meta.verbose_name),
                                  ("verbose_name_plural", m._meta.verbose_name_plural))
               if not isinstance(name, Promise)]
    assert missing == []


def test_every_field_has_a_translatable_name() -> None:
    missing = [f"{m._meta.label}.{f.name}" for m in _models() for f in _own_fields(m)
               if not isinstance(f.verbose_name, Promise)]
    assert missing == []

"""Batch quality alerts: several complaints about the same product model and category within a
window open one alert group for the quality department (DOMAIN "batch quality problem")."""

from __future__ import annotations

from pydantic import Field

from complaintdesk.policy.schema.base import Role, Strict


class BatchAlerts(Strict):
    """``threshold`` complaints about the same product model in the same category registered within
    ``within_days`` days open one alert group; ``notify`` is the role that is told (the quality
    department by default)."""

    threshold: int = Field(ge=2, le=1000, description="complaints that open an alert group")
    within_days: int = Field(ge=1, le=366, description="the window the complaints must fall in, in days")
    notify: Role = Field(default=Role.QUALITY, description="the role that receives the alert")

"""How an answer from the knowledge base reads on the complaint's timeline, in the viewer's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from complaintdesk.complaints.display import TIMELINE_DESCRIBERS, channel_label
from complaintdesk.complaints.models import TimelineEntry
from complaintdesk.core.i18n import current_language
from complaintdesk.policy import rules
from complaintdesk.policy.schema import Policy


def describe(entry: TimelineEntry, policy: Policy) -> str:
    d = entry.data
    chinese = current_language().startswith("zh")
    title = (d.get("title_zh") if chinese else d.get("title_en")) or d.get("title_zh") or d.get("title_en") or ""
    values = {"title": title, "version": d.get("version", ""), "channel": channel_label(d.get("channel", "")),
              "text": d.get("text", "")}
    if d.get("channel"):
        text = _("Answered from the knowledge base (“%(title)s”, version %(version)s), queued for %(channel)s: "
                 "“%(text)s”") % values
    else:
        text = _("Answered from the knowledge base (“%(title)s”, version %(version)s); no phone or e-mail recorded: "
                 "send it through the case origin: “%(text)s”") % values
    item = rules.responsibility_of(policy, str(d.get("responsibility", "")))
    if item is not None:
        text += " " + _("Responsibility: %(label)s.") % {"label": item.label.get(current_language())}
    return text


def register() -> None:
    TIMELINE_DESCRIBERS["knowledge_answered"] = describe

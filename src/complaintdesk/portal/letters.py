"""The customer's letters as PDF: the acceptance letter (受理函) and the result notice (处理结果告知书),
worded from the policy's message templates (``messages.acknowledgement`` and
``messages.result_notice``, or the product's own wording of a result when the policy has none) in the
customer's language. Chinese is set in ReportLab's built-in CID
font STSong-Light, which every PDF reader renders without an embedded font file."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaintdesk.complaints.models import Complaint
from complaintdesk.core.errors import Conflict, NotFound
from complaintdesk.core.names import greeting_name
from complaintdesk.core.policies import policy_of
from complaintdesk.policy import rules
from complaintdesk.portal.selectors import moment, provisional_note

FONT = "STSong-Light"
KINDS = ("acknowledgement", "result")
RESULT_STATUSES = {Complaint.Status.RESOLVED, Complaint.Status.CLOSED}


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics  # lazy: memory (ReportLab is 17 MB; only a letter needs it)
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # lazy: memory

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def letter_available(complaint: Complaint, kind: str) -> bool:
    if kind == "acknowledgement":
        return True
    return kind == "result" and complaint.status in RESULT_STATUSES


def _default_result(language: str, *, number: str, result: str, **values: str) -> str:
    """The result notice's text when the policy words none (``messages.result_notice``): the product's
    own, in the customer's language, with the result as staff recorded it, ending its sentence once."""
    with translation.override(language):
        result = result.strip()
        if result and result[-1] not in "。.!！?？":
            result += "。" if language.startswith("zh") else "."
        return _("Regarding complaint %(number)s, the result of our handling is: %(result)s Thank you for your "
                 "feedback; contact us any time if you need further support.") % {"number": number, "result": result}


def letter_filename(complaint: Complaint, kind: str) -> str:
    return f"{complaint.number}-{kind}.pdf"


def letter_pdf(complaint: Complaint, kind: str) -> bytes:
    """The letter as PDF bytes; NotFound for an unknown kind, Conflict when the letter does not exist yet."""
    # lazy: memory — ReportLab (17 MB) loads in the process that writes a letter, not in every web
    # worker and worker process at start-up (docs/architecture.md, "Floors and the import contract")
    from reportlab.lib.pagesizes import A4  # lazy: memory
    from reportlab.lib.styles import ParagraphStyle  # lazy: memory
    from reportlab.lib.units import mm  # lazy: memory
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle  # lazy: memory

    if kind not in KINDS:
        raise NotFound(gettext_lazy("There is no letter %(kind)s; the letters are acknowledgement and result.")
                       % {"kind": kind})
    policy = policy_of(complaint.policy_version)
    if kind == "result" and complaint.status not in RESULT_STATUSES:
        raise Conflict(gettext_lazy("The result notice exists once the complaint is resolved."))
    language = complaint.language if complaint.language in ("zh-hans", "en") else "zh-hans"
    organisation = policy.organisation.get(language)
    values = {
        "number": complaint.number,
        "received_at": moment(complaint, complaint.received_at, language),
        "reply_by": moment(complaint, complaint.reply_due_at, language) or "-",
        "organisation": organisation,
        "result": complaint.outcome_note or "-",
    }
    if kind == "acknowledgement":
        body = rules.render_message(policy.messages.acknowledgement.get(language), **values)
    else:
        body = rules.result_notice(policy, language=language, **values) or _default_result(language, **values)
    font = _font()
    base = ParagraphStyle("body", fontName=font, fontSize=11.5, leading=19, wordWrap="CJK")
    title = ParagraphStyle("title", parent=base, fontSize=20, leading=28, alignment=1, spaceAfter=8 * mm)
    small = ParagraphStyle("small", parent=base, fontSize=9.5, leading=14)
    right = ParagraphStyle("right", parent=base, alignment=2)
    with translation.override(language):
        heading = _("Complaint acceptance letter") if kind == "acknowledgement" else _("Complaint result notice")
        customer = complaint.customer
        name = greeting_name(customer.first_name, customer.last_name,
                             str(customer.get_title_display()) if customer.title else "",
                             _("Mr/Ms"), language)
        greeting = _("Dear %(name)s,") % {"name": name} if name else _("Dear customer,")
        rows = [
            (_("Complaint number"), complaint.number),
            (_("Received"), values["received_at"]),
            (_("Reply promised by"), values["reply_by"]),
        ]
        if kind == "result":
            rows.append((_("Resolved"), moment(complaint, complaint.resolved_at, language) or "-"))
        today = moment(complaint, timezone.now(), language).split(" ")[0]
        story = [
            Paragraph(escape(heading), title),
            Paragraph(escape(greeting), base),
            Spacer(1, 4 * mm),
            Paragraph(escape(body).replace("\n", "<br/>"), base),
            Spacer(1, 6 * mm),
        ]
        table = Table([[Paragraph(escape(k), base), Paragraph(escape(v), base)] for k, v in rows],
                      colWidths=[45 * mm, 115 * mm])
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#999999"),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
        note = provisional_note(complaint, language) if kind == "acknowledgement" else ""
        if note:  # the promised time counts working days of a year whose holidays are not published yet
            story += [Spacer(1, 2 * mm), Paragraph(escape(note), small)]
        story += [Spacer(1, 10 * mm), Paragraph(escape(organisation), right),
                  Paragraph(escape(today), right), Spacer(1, 10 * mm),
                  Paragraph(escape(_("Keep this letter with your complaint number; quote the number whenever you "
                                     "contact us.")), small)]
    buffer = BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=25 * mm,
                                 bottomMargin=22 * mm, title=f"{heading} {complaint.number}", author=organisation)
    document.build(story)
    return buffer.getvalue()

"""The columns of an imported register: which field each column fills — a column mapping given by
the reader, a heading that is a field path (``customer.phone``), or a heading known in English or
Chinese — and the errors that name a wrong mapping or an unknown column before any row is read."""

from __future__ import annotations

from django.utils.translation import gettext as _

from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.core.i18n import listed
from complaintdesk.integrations.import_files import BadMapping, UnknownColumns

LIST_FIELDS = {"targets", "reason_codes", "flags", "earlier_case_ids", "repair_ids"}
# column headings understood without a mapping (a heading may also be a field path: customer.phone)
ALIASES: dict[str, str] = {
    "title": "customer.title", "first name": "customer.first_name", "last name": "customer.last_name",
    "name": "customer.last_name", "name note": "customer.name_note", "company": "customer.company",
    "phone": "customer.phone",
    "e-mail": "customer.email", "email": "customer.email", "address": "customer.address",
    "language": "customer.language", "model": "product.model", "imei": "product.imei",
    "purchase date": "product.purchase_date", "channel": "channel", "case origin": "case_origin",
    "category": "category", "targets": "targets", "reason codes": "reason_codes", "reason": "reason",
    "description": "description", "customer request": "customer_request", "received at": "received_at",
    "level": "level", "flags": "flags", "units": "units", "unit": "unit",
    "source number": "source_number", "original number": "source_number",
    "称谓": "customer.title", "名": "customer.first_name", "姓": "customer.last_name",
    "姓名": "customer.last_name", "姓名说明": "customer.name_note", "公司": "customer.company",
    "电话": "customer.phone",
    "手机": "customer.phone", "邮箱": "customer.email", "地址": "customer.address",
    "语言": "customer.language", "型号": "product.model", "购买日期": "product.purchase_date",
    "渠道": "channel", "案件来源": "case_origin", "类别": "category", "投诉对象": "targets",
    "投诉原因代码": "reason_codes", "投诉原因": "reason", "问题描述": "description",
    "客户诉求": "customer_request", "受理时间": "received_at",
    "级别": "level", "标记": "flags", "数量": "units", "受理单位": "unit",
    "原编号": "source_number", "原投诉编号": "source_number", "原系统编号": "source_number",
}
TOP = {"channel", "case_origin", "category", "reason", "description", "customer_request", "requested_deadline",
        "level", "level_override_reason", "received_at", "units", "unit", "source_number", *LIST_FIELDS}
NESTED = ("customer.", "product.", "facts.", "missing_notes.")


def column_paths(headings: list[str], mapping: dict[str, str]) -> list[str | None]:
    """The field path of each column: the explicit mapping, a field path, or a known heading; an
    empty heading is skipped; anything else is refused before a row is read."""
    for heading, target in mapping.items():
        item = f"{heading}={target}"
        if not _valid_path(target):
            raise BadMapping(_("Column mapping %(item)s: %(field)s is not a field of a complaint. Fields: "
                               "%(fields)s.") % {"item": item, "field": target or '""', "fields": field_names()})
        if heading not in headings:
            raise BadMapping(_("Column mapping %(item)s: the file has no column %(heading)s (its columns: "
                               "%(columns)s).") % {"item": item, "heading": heading or '""',
                                                  "columns": listed(h for h in headings if h)})
    paths: list[str | None] = []
    unknown = []
    for heading in headings:
        path = mapping.get(heading) or (heading if _valid_path(heading) else ALIASES.get(heading.lower()))
        if not heading:
            paths.append(None)
        elif path is None or not _valid_path(path):
            unknown.append(heading)
            paths.append(None)
        else:
            paths.append(path)
    if unknown:
        raise UnknownColumns(unknown)
    return paths


def field_names() -> str:
    """The fields a column may be mapped to, as a reader types them."""
    nested = [f"{part}.{name}" for part in ("customer", "product")
              for name in ComplaintIn.model_fields[part].annotation.model_fields]  # type: ignore[union-attr]
    return listed([*sorted(TOP), *nested, "facts.<code>", "missing_notes.<code>"])


def _valid_path(path: str) -> bool:
    if path in TOP:
        return True
    if path.startswith(("facts.", "missing_notes.")):
        return len(path.split(".", 1)[1]) > 0
    if path.startswith("customer."):
        return path.split(".", 1)[1] in ComplaintIn.model_fields["customer"].annotation.model_fields  # type: ignore[union-attr]
    if path.startswith("product."):
        return path.split(".", 1)[1] in ComplaintIn.model_fields["product"].annotation.model_fields  # type: ignore[union-attr]
    return False

"""Field validation with maintained libraries: phonenumbers, python-stdnum, Django's e-mail check.

Each function returns the normalised value or raises :class:`FieldInvalid` with a translatable
message; callers collect the messages under the field's path so that one answer lists them all.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from stdnum import imei as stdnum_imei
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError

from complaintdesk.policy.schema import ConsultationField, Fact, FactType


class FieldInvalid(ValueError):
    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


def _mainland_mobile() -> re.Pattern[str]:
    """The Chinese mobile numbers phonenumbers' own metadata calls valid, as one pattern: eleven
    digits the region's general pattern and its mobile pattern both take."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    if metadata is None or metadata.mobile is None or metadata.general_desc is None:  # pragma: no cover
        return re.compile(r"(?!)")  # matches nothing: every number takes the full path
    general, mobile = metadata.general_desc.national_number_pattern, metadata.mobile.national_number_pattern
    return re.compile(rf"(?=(?:{general})$)(?:{mobile})")


# most numbers a Chinese register holds are mobile numbers written as eleven digits (13812345678,
# or +8613812345678): taken from the metadata at once, 1 µs against 30 for parsing; anything else
# (landlines, spaces, other countries, invalid numbers) goes through phonenumbers as before. A test
# compares both paths over every prefix (tests/complaints/test_validation_phone.py).
_MOBILE = _mainland_mobile()
_MOBILE_TEXT = re.compile(r"(?:\+86)?(1[0-9]{10})")  # ASCII digits only: full-width ones take the full path


def phone(value: str, default_region: str = "CN") -> str:
    """E.164 form of a phone number; Chinese numbers may be written without +86."""
    raw = value.strip()
    text = _MOBILE_TEXT.fullmatch(raw) if default_region == "CN" else None
    if text is not None and _MOBILE.fullmatch(number := text.group(1)) is not None:
        return f"+86{number}"
    try:
        parsed = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException as exc:
        raise FieldInvalid(_("%(value)s is not a phone number.") % {"value": raw}) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise FieldInvalid(
            _("%(value)s is not a valid phone number (check the number of digits and the country code).")
            % {"value": raw}
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def imei(value: str) -> str:
    """A 15-digit IMEI whose last digit is the Luhn check digit."""
    raw = value.strip()
    compact = stdnum_imei.compact(raw)
    if not compact.isdigit():
        raise FieldInvalid(_("An IMEI contains digits only."))
    if len(compact) != 15:
        raise FieldInvalid(_("An IMEI has 15 digits; %(value)s has %(count)d.")
                           % {"value": raw, "count": len(compact)})
    try:
        stdnum_imei.validate(compact)
    except InvalidChecksum as exc:
        raise FieldInvalid(_("The IMEI %(value)s fails its check digit (Luhn); check for a typing error.")
                           % {"value": raw}) from exc
    except (InvalidFormat, InvalidLength, StdnumError) as exc:
        raise FieldInvalid(_("%(value)s is not a valid IMEI.") % {"value": raw}) from exc
    return str(compact)


def email(value: str) -> str:
    raw = value.strip()
    try:
        validate_email(raw)
    except ValidationError as exc:
        raise FieldInvalid(_("%(value)s is not an e-mail address.") % {"value": raw}) from exc
    return raw.lower()


def parse_date(value: str | date) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        written = _written(value)
        if written is None or written[1] is not None:
            raise FieldInvalid(_("%(value)s is not a date; write it as YYYY-MM-DD.") % {"value": value}) from None
        return written[0]


# Dates as people and spreadsheets write them besides ISO: "2026/3/5", "2026.3.5", "2026年3月5日", with an
# optional time "10:15" / "10:15:30" (Excel in China saves dates in CSV files as "2026/3/5 10:15").
_WRITTEN = re.compile(r"(\d{4})\s*(?:([/.-])\s*(\d{1,2})\s*\2\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)"
                      r"(?:(?:\s+|T|(?<=日)\s*)(\d{1,2})\s*[:：]\s*(\d{2})(?:\s*[:：]\s*(\d{2}))?)?")


def _written(value: str) -> tuple[date, time | None] | None:
    """A date (and time, when given) in one of the written forms of ``_WRITTEN``, or None."""
    match = _WRITTEN.fullmatch(value.strip())
    if match is None:
        return None
    year, _sep, month, day, zh_month, zh_day, hour, minute, second = match.groups()
    try:
        day_ = date(int(year), int(month or zh_month), int(day or zh_day))
        at = time(int(hour), int(minute), int(second or 0)) if hour is not None else None
    except ValueError:
        return None
    return day_, at


def date_only(value: str) -> bool:
    """Whether ``value`` names a day without a time of day (a deadline then means the end of it)."""
    text = value.strip()
    try:
        date.fromisoformat(text)
    except ValueError:
        written = _written(text)
        return written is not None and written[1] is None
    return True


def parse_datetime(value: str | datetime, tz: ZoneInfo) -> datetime:
    """An ISO date-time, or a date written as in ``_WRITTEN``; without an offset it is read in the
    organisation's time zone."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = value.strip().replace(" ", "T", 1)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            try:
                moment = datetime.combine(date.fromisoformat(text), time(0, 0))
            except ValueError:
                written = _written(value)
                if written is None:
                    raise FieldInvalid(
                        _("%(value)s is not a date and time; write it as YYYY-MM-DD HH:MM.") % {"value": value}
                    ) from None
                moment = datetime.combine(written[0], written[1] or time(0, 0))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def not_future_date(day: date, today: date) -> date:
    if day > today:
        raise FieldInvalid(_("%(value)s is in the future.") % {"value": day.isoformat()})
    return day


def not_future_moment(moment: datetime, now: datetime, tz: ZoneInfo) -> datetime:
    # a minute of tolerance for clocks that differ slightly between the browser and the server
    if (moment - now).total_seconds() > 60:
        shown = moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        raise FieldInvalid(_("%(value)s is in the future.") % {"value": shown})
    return moment


def amount(value: str | int | float | Decimal) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise FieldInvalid(_("%(value)s is not a number.") % {"value": value}) from exc
    if not number.is_finite():
        raise FieldInvalid(_("%(value)s is not a number.") % {"value": value})
    if number < 0:
        raise FieldInvalid(_("The amount must not be negative."))
    return number


def fact_value(fact: Fact | ConsultationField, value: object, *, now: datetime, tz: ZoneInfo, language: str) -> object:
    """Validate and normalise one category fact; returns a JSON-serialisable value."""
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        return None
    kind = fact.type
    text = str(value)
    if kind in {FactType.TEXT, FactType.TEXTAREA}:
        limit = 200 if kind == FactType.TEXT else 4000
        if len(text) > limit:
            raise FieldInvalid(_("At most %(limit)d characters.") % {"limit": limit})
        return text
    if kind == FactType.DATE:
        return not_future_date(parse_date(text), now.astimezone(tz).date()).isoformat()
    if kind == FactType.DATETIME:
        return not_future_moment(parse_datetime(text, tz), now, tz).isoformat()
    if kind == FactType.NUMBER:
        return str(amount(text))
    if kind == FactType.MONEY:
        return str(amount(text).quantize(Decimal("0.01")))
    if kind == FactType.IMEI:
        return imei(text)
    if kind == FactType.PHONE:
        return phone(text)
    if kind == FactType.BOOLEAN:
        if isinstance(value, bool):
            return value
        lowered = text.lower()
        if lowered in {"1", "true", "yes", "on", "是"}:
            return True
        if lowered in {"0", "false", "no", "off", "否"}:
            return False
        raise FieldInvalid(_("Answer yes or no."))
    if kind == FactType.CHOICE:
        codes = [option.code for option in fact.options]
        if text not in codes:
            labels = ", ".join(option.label.get(language) for option in fact.options)
            raise FieldInvalid(_("Choose one of: %(options)s.") % {"options": labels})
        return text
    raise FieldInvalid(_("Unsupported value."))

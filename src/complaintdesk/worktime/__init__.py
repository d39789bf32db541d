"""Working-time arithmetic for complaint deadlines ("clocks").

Pure core: no Django; only the standard library, ``chinesecalendar``,
``holidays`` and ``pyyaml``.

Typical use::

    from complaintdesk.worktime import ChinaCalendar, Unit, WorkSchedule

    schedule = WorkSchedule(ChinaCalendar(calendar_dir), "Asia/Shanghai")
    deadline = schedule.add(registered_at, 3, Unit.WORKING_DAYS)
    deadline.due_at, deadline.provisional, deadline.provisional_years

See :mod:`complaintdesk.worktime.schedule` for the exact semantics of every
unit and of pauses, and :mod:`complaintdesk.worktime.calendar_file` for the
format of administrator-supplied calendar files.
"""

from .calendar_file import CalendarFileError, YearSchedule, load_calendar_file
from .calendars import ChinaCalendar, CountryCalendar
from .model import DEFAULT_PERIODS, DayCalendar, DayInfo, Deadline, Unit, WorkingPeriod
from .pauses import OpenPauseError, Pause
from .periods import end_of_days, end_of_months, end_of_working_days, monthly_on, same_day_until
from .schedule import WorkSchedule

__all__ = [
    "DEFAULT_PERIODS",
    "CalendarFileError",
    "ChinaCalendar",
    "CountryCalendar",
    "DayCalendar",
    "DayInfo",
    "Deadline",
    "OpenPauseError",
    "Pause",
    "Unit",
    "WorkSchedule",
    "WorkingPeriod",
    "YearSchedule",
    "end_of_days",
    "end_of_months",
    "end_of_working_days",
    "load_calendar_file",
    "monthly_on",
    "same_day_until",
]

"""Writes on complaints. Every state change goes through a function here."""

from complaintdesk.complaints.services.amend import complaint_amend
from complaintdesk.complaints.services.intake import clean_registration, complaint_register
from complaintdesk.complaints.services.messages import message_delivered

__all__ = ["clean_registration", "complaint_amend", "complaint_register", "message_delivered"]

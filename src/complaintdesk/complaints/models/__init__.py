"""Complaint records: the complaint with its customer and product, and the work done on it."""

from complaintdesk.complaints.models.complaint import Complaint, Customer, Product, TimelineEntry
from complaintdesk.complaints.models.contact_index import ContactDigest, CustomerDigest
from complaintdesk.complaints.models.work import (
    Attachment,
    ContactAttempt,
    OwnershipChange,
    ProgressEntry,
    WorkOrder,
)

__all__ = [
    "Attachment",
    "Complaint",
    "ContactAttempt",
    "ContactDigest",
    "Customer",
    "CustomerDigest",
    "OwnershipChange",
    "Product",
    "ProgressEntry",
    "TimelineEntry",
    "WorkOrder",
]

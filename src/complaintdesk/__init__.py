"""complaintdesk: formal customer-complaint handling under an organisation's own policy."""

__version__ = "0.1.0"

from __future__ import annotations

from ninja import Field, Schema

from complaintdesk.complaints.schemas import ComplaintIn
from complaintdesk.transfers.inputs import TransferInput, TransferredRegistrationInput


class TransferIn(Schema):
    """The transfer of an existing complaint (one that came through a regulator's or an internal door)."""

    body: str = Field("", description="who transferred it: 12315, 12378, the consumer association, a department …")
    reference: str = Field("", description="the transferring body's reference (required for a regulator)")
    received_at: str = Field("", description="when the transfer arrived; default: when the complaint was received")
    deadline: str = Field("", description="the transferring body's own deadline (YYYY-MM-DD [HH:MM]); "
                                          "a date alone means the end of that day")

    def to_input(self) -> TransferInput:
        return TransferInput(**self.dict())


class TransferredComplaintIn(Schema):
    """Register a transferred complaint and its transfer in one step."""

    complaint: ComplaintIn
    transfer: TransferIn

    def to_input(self) -> TransferredRegistrationInput:
        return TransferredRegistrationInput(complaint=self.complaint.to_input(), transfer=self.transfer.to_input())


class TransferOut(Schema):
    number: str
    source: str
    body: str
    reference: str
    received_at: str
    deadline: str | None
    clocks: list[dict[str, str]]

"""What the transfer services take: plain, immutable data classes (the API and the page parse into
their own shapes, ``transfers/schemas.py``, and hand these over)."""

from __future__ import annotations

from dataclasses import dataclass

from complaintdesk.complaints.inputs import RegistrationInput


@dataclass(frozen=True, kw_only=True)
class TransferInput:
    """The transfer of a complaint by a regulator or another department, as the caller gave it."""

    body: str = ""
    reference: str = ""
    received_at: str = ""
    deadline: str = ""


@dataclass(frozen=True, kw_only=True)
class TransferredRegistrationInput:
    """A transferred complaint registered together with its transfer."""

    complaint: RegistrationInput
    transfer: TransferInput

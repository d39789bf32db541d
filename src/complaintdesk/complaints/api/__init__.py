"""REST endpoints for complaints, split by subject; ``router`` carries them all (DESIGN.md §5)."""

from ninja import Router

from complaintdesk.complaints.api import contacts, lifecycle, registration, unit_transfer, work_orders

router = Router()
for _subject in (registration, lifecycle, work_orders, contacts, unit_transfer):
    router.add_router("/", _subject.router)

from ninja import Router

router = Router(tags=["followup"])

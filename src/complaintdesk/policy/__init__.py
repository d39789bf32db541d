"""The policy language: an organisation's complaint rules as data.

Pure Python (no Django). A policy is a YAML file parsed into the Pydantic models of
:mod:`complaintdesk.policy.schema`; :mod:`complaintdesk.policy.load` gives line-numbered errors and
:mod:`complaintdesk.policy.rules` answers the questions the application asks of a policy.
"""

from complaintdesk.policy.load import PolicyError, load_policy, load_preset, preset_names
from complaintdesk.policy.schema import Policy

__all__ = ["Policy", "PolicyError", "load_policy", "load_preset", "preset_names"]

"""Organisation units: head office, regions, branches, stores and dealers in one installation.

A unit is a node of one tree. Users belong to units with roles there (``Membership``); a role held
at a unit holds in every unit below it. Complaints belong to the unit that received them, and every
read of complaints is narrowed to the reader's units by :mod:`complaintdesk.units.scope`.
"""

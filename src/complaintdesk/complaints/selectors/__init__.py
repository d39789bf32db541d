"""Reads of complaints, split by subject; each module is scoped by what the user may see."""

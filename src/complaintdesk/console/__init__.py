"""The staff console's own records: each user's saved views of the complaint list."""

"""Staff pages for complaints, split by subject."""

"""Staff pages of the follow-up, split by subject: return visits, judgements; and the public survey page."""

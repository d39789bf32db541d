"""Privacy requests (PIPL arts. 44–47, GDPR arts. 15–17): export what is held about a person,
erase their personal data while statistics and the audit chain stay valid, legal holds that block
erasure, and the policy's retention rules executed by the worker after a dry-run report."""

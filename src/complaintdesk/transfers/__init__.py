"""Complaints transferred by a regulator (12315, 12378, a consumer association …) or by another
department: the transfer's reference, who sent it, and the transferring body's own deadline as a
clock."""

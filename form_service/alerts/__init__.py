"""Alerts (docs/interfaces.md §8): subscriptions confirmed by mail, and a weekly digest of the aids
that are new, reopen, change dates or close soon for each subscription's filters."""

"""Callback requests (POST /demandes, PRODUCT.md §3, §6): validation, routing to the
networks, storage, and their mails."""

"""The callback request itself (docs/interfaces.md §3, §6): validation, routing to the
networks, storage, and their mails."""

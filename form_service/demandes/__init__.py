"""POST /demandes (docs/interfaces.md §6): a callback request read by the intake pipeline,
validated,
routed, and stored with its dossier and its mails in one transaction."""

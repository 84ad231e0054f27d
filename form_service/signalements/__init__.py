"""Reports from the site (« Signaler une erreur », docs/interfaces.md §9), stored and mailed to the
editors."""

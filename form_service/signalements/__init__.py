"""Reports from the site (« Signaler une erreur », PRODUCT.md §9), stored and mailed to the
editors."""

"""What every other part of AidESS reads: the content model, its vocabularies and territories,
the catalogue and its rules, the URL scheme and the visitor forms' definitions.

This package imports nothing else of the project (an import-linter contract checks it): the site
stages beside it and the form service both build on it."""

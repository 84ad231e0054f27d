"""Dossiers (docs/interfaces.md §7): the networks coordinate on each stored request until someone
has called back."""

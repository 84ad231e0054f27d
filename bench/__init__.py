"""Benchmarks of the build, the search and the form service (`python -m bench`)."""

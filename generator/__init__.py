"""AidESS static-site generator: read → validate → enrich → write → index."""

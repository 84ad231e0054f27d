"""The `aidess` command, assembled from the subcommands each package contributes."""

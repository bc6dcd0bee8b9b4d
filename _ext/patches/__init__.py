"""patches: see _ext/README.md."""

"""web: see _ext/README.md."""

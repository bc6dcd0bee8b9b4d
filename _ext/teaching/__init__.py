"""teaching: see _ext/README.md."""

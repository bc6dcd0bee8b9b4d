"""guards: see _ext/README.md."""

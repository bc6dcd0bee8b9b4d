"""i18n: see _ext/README.md."""

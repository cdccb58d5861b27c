"""Empty: see pygame/__init__.py."""

"""Browser tests. A package, so that its conftest.py is imported as e2e.conftest and does not
shadow tests/conftest.py, which the other tests import as `conftest`."""

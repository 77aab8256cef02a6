"""Helpers the tests import: ``from support.sql import Sql``.

Fixtures live in the conftest.py files (tests/, tests/page/); everything a
test calls by name lives here, one module per concern.
"""

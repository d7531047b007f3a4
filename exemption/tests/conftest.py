from accountability.tests.conftest import District, district  # noqa: F401  (the same district)

"""Test data factories, one module per domain (as Warehouse's tests/common/db/): each function builds
valid rows with sensible defaults, commits them and returns them; a test names only what it cares about.

- `directory`: postcodes with their wards, listings (organisation, service, location) through the services;
- `ctn`: members;
- `bulletins`: bulletins with their items;
- `assets`: nominations of Assets of Community Value.

Accounts come from the `make_user` fixture in tests/conftest.py (it needs the session's password hash).
"""

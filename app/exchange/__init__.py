"""Exchange with neighbouring directories: bulk export of the published directory as HSDS-UK JSON and as the
HSDS tabular CSV package (export.py), and import of services from other Open Referral UK v3 feeds (feeds.py).
"""

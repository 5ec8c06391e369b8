"""Open Referral UK (HSDS 3.0 UK profile) read API over the published directory.

`/api/oruk/v3`: `/`, `/services`, `/service_at_locations`, `/taxonomies`, `/taxonomy_terms` (each with `/{id}`)
and `/openapi.json`. Public, read-only, CORS `*`. Unpublished organisations and confidential locations never
appear; optional fields are left out rather than sent as null.

services.py reads and pages the data, hsds.py turns rows into HSDS objects, openapi.py describes the API.
"""

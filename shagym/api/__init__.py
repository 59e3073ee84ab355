"""The API face (issue 11): REST API v1 under /api/v1/ (django-ninja; `v1.api`), API keys per organisation, the
events feed, webhook subscriptions, and the Open311 GeoReport v2 facade under /open311/v2/. Like the other faces it
parses, calls one service and renders; it imports no other face."""

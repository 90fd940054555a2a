"""The province hub's web edge: its own Flask app (no Socket.IO, no pages of a center) over
PostgreSQL, its JSON API under /api/hub and its login at /api/session."""

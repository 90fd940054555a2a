"""The admin's changes to the center's setup: each one checked, written and audited in one
transaction (server/setup/admin/change.py), with the event that tells every screen."""

from server.setup.admin import catalog, center, counters, remote, users

__all__ = ["catalog", "center", "counters", "remote", "users"]

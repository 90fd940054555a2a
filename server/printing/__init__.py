"""Printing from the server's side: what a receipt or an appointment slip says (frozen when it
is queued), the spool of print jobs in SQLite, the worker that prints them through printers/,
and the admin's printer settings."""

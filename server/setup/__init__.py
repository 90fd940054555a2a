"""Setup: what the center is before anyone takes a ticket. The catalog (fields, procedures,
counters), the center and its calendar, accounts, registered kiosks, and the admin's changes
to all of them, each audited (audit.py)."""

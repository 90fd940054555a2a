"""The line: issuing tickets, the calling order, the counter actions (the only place a
ticket's status changes), dossiers, ratings, the event log, and the snapshots the screens
show (stats, a console's state, the catalog with today's line)."""

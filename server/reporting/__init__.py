"""Reporting: period reports and their files, the evaluation of the no-appointment model, the
officers' ranking, periods, charts and the Vietnamese way of writing figures. Read-only."""

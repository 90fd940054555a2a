"""The officer's counter console (/counter): templates and static files."""

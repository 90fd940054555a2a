"""The touchscreen kiosk page (/kiosk): templates and static files, no business logic."""

"""The lobby TV (/display) and the counter's small screen: templates and static files."""

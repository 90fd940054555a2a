"""The lobby TV (/display), a counter's small screen (/display/counter/<id>), the page where
staff record the announcement voice (/admin/voice) and the no-appointment poster (/khong-hen).

Templates and static files only, served by server/web/pages/display.py; the data comes from
the JSON API and live events.
"""

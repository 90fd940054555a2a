"""The citizen's pages: the touchscreen kiosk (/kiosk) and a ticket's live page (/t/<key>).

Templates and static files only, served by server/web/pages/kiosk.py; the data comes from the
JSON API and live events.
"""

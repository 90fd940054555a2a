"""The officer's counter console (/counter) and the counter's rating tablet (/rate/<id>).

Templates and static files only, served by server/web/pages/counter.py; the data comes from
the JSON API and live events.
"""

"""The web edge, the only package that knows Flask and Socket.IO: the app factory, the JSON
blueprints, the pages' routes, live events (realtime.py, the one place that emits), security
headers and rate limits, the OpenAPI document. Views parse, call one domain function and
answer; what the domain committed is published after the request (request.py)."""

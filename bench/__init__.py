"""The benchmarks (docs/performance.md), never installed: run each as a module from the
repository's root, e.g. `.venv/bin/python -m bench.load`, so that they import each other and
the tests' live server and Socket.IO client (tests/live_server.py, tests/live_events.py)
as packages, without touching sys.path."""

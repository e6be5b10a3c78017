"""A small shop API: users, items, JWT log-in with scopes. ``examples/app.py`` serves it."""

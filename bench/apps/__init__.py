"""The benchmark endpoints of ``bench/cases.py``, written once per framework family.

Every module here has ``build(routes: int, ...) -> ASGI app``: the app serves
every case of ``bench/cases.py``, the WebSocket echo at ``/ws``, and
``routes`` parametrised routes ``/resource{i}/{item_id}`` registered after
the other endpoints (so that frameworks which try routes in order do not pay
for them on the other endpoints).
"""

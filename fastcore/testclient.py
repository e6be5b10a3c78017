"""The test client (Starlette's): call the app in-process with an httpx-style API."""

from starlette.testclient import TestClient as TestClient

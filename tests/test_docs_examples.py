"""The request/response pairs shown in docs/*.md, replayed against the apps in examples/docs/.

Each doc page has one example module; every pair a page shows is one test here,
asserting the status code, the JSON body (or text) and the headers the page
points out. The pairs were recorded from FastAPI 0.165 running the same modules
with the import swapped, so a failure here is a difference from FastAPI.
"""

import functools
import importlib

import pytest

from fastcore.exceptions import ResponseValidationError
from fastcore.testclient import TestClient


@functools.cache
def client(module: str, app: str = "app") -> TestClient:
    """A client for ``app`` (or another app) of ``examples/docs/<module>.py``, imported once."""
    example = importlib.import_module(f"examples.docs.{module}")
    return TestClient(getattr(example, app))


# -------------------- docs/parameters.md, examples/docs/parameters.py
def test_parameters_book():
    response = client("parameters").get("/books/7?page=2&in_stock=yes")
    assert response.status_code == 200
    assert response.json() == {"book_id": 7, "page": 2, "in_stock": True}


def test_parameters_book_defaults():
    response = client("parameters").get("/books/7")
    assert response.status_code == 200
    assert response.json() == {"book_id": 7, "page": 1, "in_stock": None}


def test_parameters_book_invalid():
    response = client("parameters").get("/books/seven?page=two&in_stock=maybe")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "int_parsing",
                "loc": ["path", "book_id"],
                "msg": "Input should be a valid integer, unable to parse string as an integer",
                "input": "seven",
            },
            {
                "type": "int_parsing",
                "loc": ["query", "page"],
                "msg": "Input should be a valid integer, unable to parse string as an integer",
                "input": "two",
            },
            {
                "type": "bool_parsing",
                "loc": ["query", "in_stock"],
                "msg": "Input should be a valid boolean, unable to interpret input",
                "input": "maybe",
            },
        ]
    }


def test_parameters_search():
    response = client("parameters").get("/search?text=dune")
    assert response.status_code == 200
    assert response.json() == {"text": "dune", "limit": 10}


def test_parameters_search_invalid():
    response = client("parameters").get("/search?text=du&limit=0")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "string_too_short",
                "loc": ["query", "text"],
                "msg": "String should have at least 3 characters",
                "input": "du",
                "ctx": {"min_length": 3},
            },
            {
                "type": "greater_than",
                "loc": ["query", "limit"],
                "msg": "Input should be greater than 0",
                "input": "0",
                "ctx": {"gt": 0},
            },
        ]
    }


def test_parameters_search_missing():
    response = client("parameters").get("/search")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {"type": "missing", "loc": ["query", "text"], "msg": "Field required", "input": None}
        ]
    }


def test_parameters_search_classic():
    response = client("parameters").get("/search-classic?text=du&limit=0")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "string_too_short",
                "loc": ["query", "text"],
                "msg": "String should have at least 3 characters",
                "input": "du",
                "ctx": {"min_length": 3},
            },
            {
                "type": "greater_than",
                "loc": ["query", "limit"],
                "msg": "Input should be greater than 0",
                "input": "0",
                "ctx": {"gt": 0},
            },
        ]
    }


def test_parameters_shelf():
    response = client("parameters").get("/shelves/B12?sort=year&genre=poetry")
    assert response.status_code == 200
    assert response.json() == {"shelf": "B12", "sort": "year", "genre": "poetry"}


def test_parameters_shelf_invalid():
    response = client("parameters").get("/shelves/b12?sort=author&genre=cookery")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "string_pattern_mismatch",
                "loc": ["path", "shelf"],
                "msg": "String should match pattern '^[A-Z]\\d{2}$'",
                "input": "b12",
                "ctx": {"pattern": "^[A-Z]\\d{2}$"},
            },
            {
                "type": "literal_error",
                "loc": ["query", "sort"],
                "msg": "Input should be 'title' or 'year'",
                "input": "author",
                "ctx": {"expected": "'title' or 'year'"},
            },
            {
                "type": "enum",
                "loc": ["query", "genre"],
                "msg": "Input should be 'fiction', 'poetry' or 'history'",
                "input": "cookery",
                "ctx": {"expected": "'fiction', 'poetry' or 'history'"},
            },
        ]
    }


def test_parameters_catalogue():
    response = client("parameters").get(
        "/catalogue?published-after=1990&tag=sf&tag=classic&id=3&id=5"
    )
    assert response.status_code == 200
    assert response.json() == {"published_after": 1990, "tag": ["sf", "classic"], "ids": [3, 5]}


def test_parameters_catalogue_python_name():
    response = client("parameters").get("/catalogue?published_after=1990")
    assert response.status_code == 200
    assert response.json() == {"published_after": None, "tag": None, "ids": None}


def test_parameters_catalogue_bad_item():
    response = client("parameters").get("/catalogue?id=3&id=x")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "int_parsing",
                "loc": ["query", "id", 1],
                "msg": "Input should be a valid integer, unable to parse string as an integer",
                "input": "x",
            }
        ]
    }


def test_parameters_whoami():
    response = client("parameters").get(
        "/whoami",
        headers=[
            ("User-Agent", "curl/8.5"),
            ("X-Request-ID", "abc"),
            ("X-Role", "admin"),
            ("X-Role", "editor"),
            ("Cookie", "session=s3cr3t"),
        ],
    )
    assert response.status_code == 200
    assert response.json() == {
        "user_agent": "curl/8.5",
        "x_request_id": "abc",
        "x_role": ["admin", "editor"],
        "session": "s3cr3t",
    }


def test_parameters_reviews():
    response = client("parameters").get("/reviews?limit=5&order=desc&tags=a&tags=b")
    assert response.status_code == 200
    assert response.json() == {"offset": 0, "limit": 5, "order": "desc", "tags": ["a", "b"]}


def test_parameters_reviews_defaults():
    response = client("parameters").get("/reviews")
    assert response.status_code == 200
    assert response.json() == {"offset": 0, "limit": 20, "order": "asc", "tags": []}


def test_parameters_reviews_invalid():
    response = client("parameters").get("/reviews?limit=500&order=random&color=red")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "less_than_equal",
                "loc": ["query", "limit"],
                "msg": "Input should be less than or equal to 100",
                "input": "500",
                "ctx": {"le": 100},
            },
            {
                "type": "literal_error",
                "loc": ["query", "order"],
                "msg": "Input should be 'asc' or 'desc'",
                "input": "random",
                "ctx": {"expected": "'asc' or 'desc'"},
            },
            {
                "type": "extra_forbidden",
                "loc": ["query", "color"],
                "msg": "Extra inputs are not permitted",
                "input": "red",
            },
        ]
    }


def test_parameters_tenant():
    response = client("parameters").get(
        "/tenant", headers={"User-Agent": "curl/8.5", "X-Tenant": "acme"}
    )
    assert response.status_code == 200
    assert response.json() == {
        "user_agent": "curl/8.5",
        "x_tenant": "acme",
        "accept_language": None,
    }


def test_parameters_tenant_missing():
    response = client("parameters").get("/tenant", headers={"User-Agent": "curl/8.5"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "missing",
                "loc": ["header", "x-tenant"],
                "msg": "Field required",
                "input": {
                    "user_agent": "curl/8.5",
                    "host": "testserver",
                    "accept": "*/*",
                    "accept-encoding": "gzip, deflate",
                    "connection": "keep-alive",
                },
            }
        ]
    }


def test_parameters_preferences():
    response = client("parameters").get("/preferences", headers={"Cookie": "theme=dark"})
    assert response.status_code == 200
    assert response.json() == {"theme": "dark", "lang": "en"}


def test_parameters_preferences_invalid():
    response = client("parameters").get(
        "/preferences", headers={"Cookie": "theme=neon; tracking=1"}
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "literal_error",
                "loc": ["cookie", "theme"],
                "msg": "Input should be 'light' or 'dark'",
                "input": "neon",
                "ctx": {"expected": "'light' or 'dark'"},
            },
            {
                "type": "extra_forbidden",
                "loc": ["cookie", "tracking"],
                "msg": "Extra inputs are not permitted",
                "input": "1",
            },
        ]
    }


# -------------------- docs/request-bodies.md, examples/docs/request_bodies.py
def test_request_bodies_create_item():
    response = client("request_bodies").post("/items", json={"name": "Lamp", "price": 35.5})
    assert response.status_code == 200
    assert response.json() == {"name": "Lamp", "price": 35.5, "description": None, "tags": []}


def test_request_bodies_create_item_invalid():
    response = client("request_bodies").post("/items", json={"price": -1, "tags": "home"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "missing",
                "loc": ["body", "name"],
                "msg": "Field required",
                "input": {"price": -1, "tags": "home"},
            },
            {
                "type": "greater_than",
                "loc": ["body", "price"],
                "msg": "Input should be greater than 0",
                "input": -1,
                "ctx": {"gt": 0.0},
            },
            {
                "type": "list_type",
                "loc": ["body", "tags"],
                "msg": "Input should be a valid list",
                "input": "home",
            },
        ]
    }


def test_request_bodies_replace_item():
    response = client("request_bodies").put(
        "/items/3?notify=true", json={"name": "Lamp", "price": 35.5, "tags": ["desk"]}
    )
    assert response.status_code == 200
    assert response.json() == {
        "item_id": 3,
        "notify": True,
        "item": {"name": "Lamp", "price": 35.5, "description": None, "tags": ["desk"]},
    }


def test_request_bodies_order():
    response = client("request_bodies").post(
        "/orders",
        json={"item": {"name": "Lamp", "price": 35.5}, "owner": {"username": "ada"}, "quantity": 2},
    )
    assert response.status_code == 200
    assert response.json() == {"item": "Lamp", "owner": "ada", "quantity": 2, "note": None}


def test_request_bodies_order_invalid():
    response = client("request_bodies").post(
        "/orders",
        json={
            "item": {"name": "Lamp", "price": 35.5},
            "quantity": 0,
            "note": "Please gift-wrap it and leave it with the neighbour at number 12",
        },
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {"type": "missing", "loc": ["body", "owner"], "msg": "Field required", "input": None},
            {
                "type": "greater_than_equal",
                "loc": ["body", "quantity"],
                "msg": "Input should be greater than or equal to 1",
                "input": 0,
                "ctx": {"ge": 1},
            },
            {
                "type": "string_too_long",
                "loc": ["body", "note"],
                "msg": "String should have at most 50 characters",
                "input": "Please gift-wrap it and leave it with the neighbour at number 12",
                "ctx": {"max_length": 50},
            },
        ]
    }


def test_request_bodies_owner_embedded():
    response = client("request_bodies").post("/owners", json={"owner": {"username": "ada"}})
    assert response.status_code == 200
    assert response.json() == {"username": "ada", "email": None}


def test_request_bodies_owner_not_embedded():
    response = client("request_bodies").post("/owners", json={"username": "ada"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {"type": "missing", "loc": ["body", "owner"], "msg": "Field required", "input": None}
        ]
    }


def test_request_bodies_rating():
    response = client("request_bodies").post("/ratings/3", json=4)
    assert response.status_code == 200
    assert response.json() == {"item_id": 3, "stars": 4}


def test_request_bodies_rating_too_high():
    response = client("request_bodies").post("/ratings/3", json=9)
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "less_than_equal",
                "loc": ["body"],
                "msg": "Input should be less than or equal to 5",
                "input": 9,
                "ctx": {"le": 5},
            }
        ]
    }


def test_request_bodies_listing():
    response = client("request_bodies").post(
        "/listings",
        json={
            "title": "Desk lamp",
            "item": {"name": "Lamp", "price": 35.5},
            "images": [{"url": "https://example.com/lamp.png"}],
            "prices_by_country": {"FR": 39.9},
        },
    )
    assert response.status_code == 200
    assert response.json() == {
        "title": "Desk lamp",
        "item": {"name": "Lamp", "price": 35.5, "description": None, "tags": []},
        "images": [{"url": "https://example.com/lamp.png", "caption": None}],
        "prices_by_country": {"FR": 39.9},
    }


def test_request_bodies_listing_invalid():
    response = client("request_bodies").post(
        "/listings",
        json={
            "title": "Desk lamp",
            "item": {"name": "Lamp"},
            "images": [{"url": "not a url"}],
            "prices_by_country": {"FR": "cheap"},
        },
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "missing",
                "loc": ["body", "item", "price"],
                "msg": "Field required",
                "input": {"name": "Lamp"},
            },
            {
                "type": "url_parsing",
                "loc": ["body", "images", 0, "url"],
                "msg": "Input should be a valid URL, relative URL without a base",
                "input": "not a url",
                "ctx": {"error": "relative URL without a base"},
            },
            {
                "type": "float_parsing",
                "loc": ["body", "prices_by_country", "FR"],
                "msg": "Input should be a valid number, unable to parse string as a number",
                "input": "cheap",
            },
        ]
    }


def test_request_bodies_bulk():
    response = client("request_bodies").post(
        "/items/bulk", json=[{"name": "Lamp", "price": 35.5}, {"name": "Desk", "price": 120}]
    )
    assert response.status_code == 200
    assert response.json() == {"count": 2, "names": ["Lamp", "Desk"]}


def test_request_bodies_bulk_invalid():
    response = client("request_bodies").post(
        "/items/bulk", json=[{"name": "Lamp", "price": 35.5}, {"name": "Desk"}]
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "missing",
                "loc": ["body", 1, "price"],
                "msg": "Field required",
                "input": {"name": "Desk"},
            }
        ]
    }


def test_request_bodies_no_content_type():
    response = client("request_bodies").post("/items", content=b'{"name": "Lamp", "price": 35.5}')
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "model_attributes_type",
                "loc": ["body"],
                "msg": "Input should be a valid dictionary or object to extract fields from",
                "input": '{"name": "Lamp", "price": 35.5}',
            }
        ]
    }


def test_request_bodies_lenient_no_content_type():
    response = client("request_bodies").post(
        "/lenient/items", content=b'{"name": "Lamp", "price": 35.5}'
    )
    assert response.status_code == 200
    assert response.json() == {"name": "Lamp", "price": 35.5, "description": None, "tags": []}


def test_request_bodies_vendor_json():
    response = client("request_bodies").post(
        "/items",
        content=b'{"name": "Lamp", "price": 35.5}',
        headers={"content-type": "application/vnd.api+json"},
    )
    assert response.status_code == 200
    assert response.json() == {"name": "Lamp", "price": 35.5, "description": None, "tags": []}


# -------------------- docs/forms-and-files.md, examples/docs/forms_and_files.py
def test_forms_and_files_login():
    response = client("forms_and_files").post(
        "/login", data={"username": "ada", "password": "lovelace"}
    )
    assert response.status_code == 200
    assert response.json() == {"username": "ada", "password_length": 8}


def test_forms_and_files_login_short():
    response = client("forms_and_files").post(
        "/login", data={"username": "ada", "password": "short"}
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "string_too_short",
                "loc": ["body", "password"],
                "msg": "String should have at least 8 characters",
                "input": "short",
                "ctx": {"min_length": 8},
            }
        ]
    }


def test_forms_and_files_login_blank():
    response = client("forms_and_files").post(
        "/login", data={"username": "", "password": "lovelace"}
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {"type": "missing", "loc": ["body", "username"], "msg": "Field required", "input": None}
        ]
    }


def test_forms_and_files_login_json():
    response = client("forms_and_files").post(
        "/login", json={"username": "ada", "password": "lovelace"}
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "missing",
                "loc": ["body", "username"],
                "msg": "Field required",
                "input": None,
            },
            {
                "type": "missing",
                "loc": ["body", "password"],
                "msg": "Field required",
                "input": None,
            },
        ]
    }


def test_forms_and_files_signup():
    response = client("forms_and_files").post(
        "/signup", data={"email": "ada@example.com", "display_name": "Ada", "newsletter": "on"}
    )
    assert response.status_code == 200
    assert response.json() == {
        "email": "ada@example.com",
        "display_name": "Ada",
        "newsletter": True,
    }


def test_forms_and_files_signup_invalid():
    response = client("forms_and_files").post(
        "/signup", data={"email": "ada@example.com", "role": "admin"}
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "missing",
                "loc": ["body", "display_name"],
                "msg": "Field required",
                "input": {"email": "ada@example.com", "role": "admin"},
            },
            {
                "type": "extra_forbidden",
                "loc": ["body", "role"],
                "msg": "Extra inputs are not permitted",
                "input": "admin",
            },
        ]
    }


def test_forms_and_files_checksum():
    response = client("forms_and_files").post(
        "/checksum", files={"data": ("blob.gif", b"GIF89a....", "image/gif")}
    )
    assert response.status_code == 200
    assert response.json() == {"size": 10, "first_bytes": "GIF89"}


def test_forms_and_files_avatar():
    response = client("forms_and_files").post(
        "/avatar",
        files={"image": ("me.png", b"\x89PNG fake image", "image/png")},
        data={"caption": "me"},
    )
    assert response.status_code == 200
    assert response.json() == {
        "filename": "me.png",
        "content_type": "image/png",
        "size": 15,
        "caption": "me",
    }


def test_forms_and_files_avatar_missing():
    response = client("forms_and_files").post("/avatar", data={"caption": "me"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {"type": "missing", "loc": ["body", "image"], "msg": "Field required", "input": None}
        ]
    }


def test_forms_and_files_avatar_not_a_file():
    response = client("forms_and_files").post("/avatar", data={"image": "not a file"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "value_error",
                "loc": ["body", "image"],
                "msg": "Value error, Expected UploadFile, received: <class 'str'>",
                "input": "not a file",
                "ctx": {"error": {}},
            }
        ]
    }


def test_forms_and_files_attachments():
    response = client("forms_and_files").post(
        "/attachments",
        files=[
            ("files", ("a.txt", b"aaa", "text/plain")),
            ("files", ("b.txt", b"bbbbb", "text/plain")),
        ],
        data={"labels": ["first", "second"]},
    )
    assert response.status_code == 200
    assert response.json() == {
        "files": ["a.txt", "b.txt"],
        "sizes": [3, 5],
        "labels": ["first", "second"],
    }


def test_forms_and_files_note():
    response = client("forms_and_files").post(
        "/notes", files={"note": ("n.txt", b"remember the milk", "text/plain")}
    )
    assert response.status_code == 200
    assert response.json() == {"note": "remember the milk"}


def test_forms_and_files_no_note():
    response = client("forms_and_files").post("/notes")
    assert response.status_code == 200
    assert response.json() == {"note": None}


def test_forms_and_files_survey():
    response = client("forms_and_files").post("/survey", data={"answers": ["yes", "no"]})
    assert response.status_code == 200
    assert response.json() == {"answers": ["yes", "no"], "photo": None}


def test_forms_and_files_survey_too_many_fields():
    response = client("forms_and_files").post(
        "/survey", data={"answers": ["yes", "no", "maybe", "never"]}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Too many fields. Maximum number of fields is 3."}


def test_forms_and_files_survey_too_many_files():
    response = client("forms_and_files").post(
        "/survey",
        files=[("photo", ("a.png", b"1", "image/png")), ("photo", ("b.png", b"2", "image/png"))],
        data={"answers": "yes"},
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Too many files. Maximum number of files is 1."}


def test_forms_and_files_survey_part_too_big():
    response = client("forms_and_files").post("/survey", data={"answers": "x" * 1025})
    assert response.status_code == 400
    assert response.json() == {"detail": "Field exceeded maximum size of 1KB."}


def test_forms_and_files_survey_body_too_big():
    response = client("forms_and_files").post(
        "/survey", files={"photo": ("a.png", b"1" * 5000, "image/png")}, data={"answers": "yes"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "Content Too Large"


def test_forms_and_files_uploads_small():
    response = client("forms_and_files").post(
        "/uploads/small", files={"file": ("a.txt", b"x" * 100, "text/plain")}
    )
    assert response.status_code == 200
    assert response.json() == {"size": 100}


def test_forms_and_files_uploads_small_too_big():
    response = client("forms_and_files").post(
        "/uploads/small", files={"file": ("a.txt", b"x" * 1000, "text/plain")}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "Content Too Large"


def test_forms_and_files_uploads_large():
    response = client("forms_and_files").post(
        "/uploads/large", files={"file": ("a.txt", b"x" * 1000, "text/plain")}
    )
    assert response.status_code == 200
    assert response.json() == {"size": 1000}


def test_forms_and_files_reports():
    response = client("forms_and_files").post(
        "/reports/", files={"file": ("a.txt", b"x" * 1000, "text/plain")}
    )
    assert response.status_code == 200
    assert response.json() == {"size": 1000}


def test_forms_and_files_reports_too_big():
    response = client("forms_and_files").post(
        "/reports/", files={"file": ("a.txt", b"x" * 3000, "text/plain")}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "Content Too Large"


# -------------------- docs/response-models.md, examples/docs/response_models.py
def test_response_models_create_user():
    response = client("response_models").post(
        "/users", json={"username": "ada", "password": "s3cret", "email": "ada@example.com"}
    )
    assert response.status_code == 201
    assert response.json() == {"username": "ada", "email": "ada@example.com"}


def test_response_models_read_user():
    response = client("response_models").get("/users/3")
    assert response.status_code == 200
    assert response.json() == {"username": "user3", "email": "user3@example.com"}


def test_response_models_products():
    response = client("response_models").get("/products")
    assert response.status_code == 200
    assert response.json() == [
        {"name": "Lamp", "price": 35.5, "description": None, "discount": 0.0, "tags": []},
        {"name": "Desk", "price": 120.0, "description": None, "discount": 0.0, "tags": []},
        {"name": "Chair", "price": 60.0, "description": "Oak", "discount": 0.0, "tags": ["wood"]},
    ]


def test_response_models_exclude_unset_lamp():
    response = client("response_models").get("/products/lamp")
    assert response.status_code == 200
    assert response.json() == {"name": "Lamp", "price": 35.5}


def test_response_models_exclude_unset_desk():
    response = client("response_models").get("/products/desk")
    assert response.status_code == 200
    assert response.json() == {"name": "Desk", "price": 120.0, "description": None, "discount": 0.0}


def test_response_models_exclude_defaults():
    response = client("response_models").get("/products/desk/defaults-dropped")
    assert response.status_code == 200
    assert response.json() == {"name": "Desk", "price": 120.0}


def test_response_models_exclude_none():
    response = client("response_models").get("/products/lamp/nones-dropped")
    assert response.status_code == 200
    assert response.json() == {"name": "Lamp", "price": 35.5, "discount": 0.0, "tags": []}


def test_response_models_include():
    response = client("response_models").get("/products/chair/summary")
    assert response.status_code == 200
    assert response.json() == {"name": "Chair", "price": 60.0}


def test_response_models_exclude():
    response = client("response_models").get("/products/chair/public")
    assert response.status_code == 200
    assert response.json() == {
        "name": "Chair",
        "price": 60.0,
        "description": "Oak",
        "tags": ["wood"],
    }


def test_response_models_by_alias():
    response = client("response_models").get("/tags/4")
    assert response.status_code == 200
    assert response.json() == {"tagId": 4, "label": "new"}


def test_response_models_python_names():
    response = client("response_models").get("/tags/4/python-names")
    assert response.status_code == 200
    assert response.json() == {"tag_id": 4, "label": "new"}


def test_response_models_from_attributes():
    response = client("response_models").get("/accounts/9")
    assert response.status_code == 200
    assert response.json() == {"id": 9, "owner": "ada", "balance": 12.5}


def test_response_models_from_attributes_plain_model():
    response = client("response_models").get("/accounts/9/balance")
    assert response.status_code == 200
    assert response.json() == {"balance": 12.5}


def test_response_models_upsert_existing():
    response = client("response_models").put("/products/lamp", json={"name": "Lamp", "price": 30})
    assert response.status_code == 200
    assert response.headers["x-product-key"] == "lamp"
    assert response.headers["set-cookie"] == "last_product=lamp; Path=/; SameSite=lax"
    assert response.json() == {
        "name": "Lamp",
        "price": 30.0,
        "description": None,
        "discount": 0.0,
        "tags": [],
    }


def test_response_models_upsert_new():
    response = client("response_models").put("/products/sofa", json={"name": "Sofa", "price": 400})
    assert response.status_code == 201
    assert response.headers["x-product-key"] == "sofa"
    assert response.headers["set-cookie"] == "last_product=sofa; Path=/; SameSite=lax"
    assert response.json() == {
        "name": "Sofa",
        "price": 400.0,
        "description": None,
        "discount": 0.0,
        "tags": [],
    }


def test_response_models_delete():
    response = client("response_models").delete("/products/lamp")
    assert response.status_code == 204
    assert response.content == b""


def test_response_models_delete_missing():
    response = client("response_models").delete("/products/sofa")
    assert response.status_code == 404
    assert response.json() == {"detail": "Product not found"}


def test_response_models_plain_text():
    response = client("response_models").get("/hello")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "Hello, world"


def test_response_models_html():
    response = client("response_models").get("/page")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == "<h1>Products</h1>"


def test_response_models_router_default_class():
    response = client("response_models").get("/text/motd")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "Everything is 10% off today"


# -------------------- docs/errors.md, examples/docs/errors.py
def test_errors_item():
    response = client("errors").get("/items/1")
    assert response.status_code == 200
    assert response.json() == {"item_id": 1, "stock": 3, "limit": 10}


def test_errors_item_invalid():
    response = client("errors").get("/items/abc?limit=-1")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "int_parsing",
                "loc": ["path", "item_id"],
                "msg": "Input should be a valid integer, unable to parse string as an integer",
                "input": "abc",
            },
            {
                "type": "greater_than_equal",
                "loc": ["query", "limit"],
                "msg": "Input should be greater than or equal to 0",
                "input": "-1",
                "ctx": {"ge": 0},
            },
        ]
    }


def test_errors_item_missing():
    response = client("errors").get("/items/7")
    assert response.status_code == 404
    assert response.json() == {"detail": "Item not found"}


def test_errors_order():
    response = client("errors").post("/orders", json={"item_id": 1, "quantity": 2})
    assert response.status_code == 200
    assert response.json() == {"ordered": 2}


def test_errors_order_sold_out():
    response = client("errors").post("/orders", json={"item_id": 2, "quantity": 1})
    assert response.status_code == 409
    assert response.json() == {"detail": "Item 2 is sold out"}


def test_errors_order_invalid():
    response = client("errors").post("/orders", json={"item_id": "one", "quantity": 0})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "int_parsing",
                "loc": ["body", "item_id"],
                "msg": "Input should be a valid integer, unable to parse string as an integer",
                "input": "one",
            },
            {
                "type": "greater_than_equal",
                "loc": ["body", "quantity"],
                "msg": "Input should be greater than or equal to 1",
                "input": 0,
                "ctx": {"ge": 1},
            },
        ]
    }


def test_errors_order_bad_json():
    response = client("errors").post(
        "/orders",
        content=b'{"item_id": 1, "quantity": }',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "json_invalid",
                "loc": ["body", 27],
                "msg": "JSON decode error",
                "input": {},
                "ctx": {"error": "Expecting value"},
            }
        ]
    }


def test_errors_order_not_utf8():
    response = client("errors").post(
        "/orders",
        content=b'{"item_id": 1, "note": "caf\xe9"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "There was an error parsing the body"}


def test_errors_order_no_body():
    response = client("errors").post("/orders")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]
    }


def test_errors_admin():
    response = client("errors").get("/admin")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {"detail": {"reason": "bad token", "hint": "ask an admin"}}


def test_errors_custom_order_invalid():
    response = client("errors", "custom_app").post(
        "/orders", json={"item_id": "one", "quantity": 0}
    )
    assert response.status_code == 400
    assert response.json() == {
        "problems": [
            {
                "field": "body.item_id",
                "problem": "Input should be a valid integer, unable to parse string as an integer",
            },
            {"field": "body.quantity", "problem": "Input should be greater than or equal to 1"},
        ],
        "received": {"item_id": "one", "quantity": 0},
    }


def test_errors_custom_order_bad_json():
    response = client("errors", "custom_app").post(
        "/orders",
        content=b'{"item_id": 1, "quantity": }',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "problems": [{"field": "body.27", "problem": "JSON decode error"}],
        "received": '{"item_id": 1, "quantity": }',
    }


def test_errors_custom_item():
    response = client("errors", "custom_app").get("/items/3")
    assert response.status_code == 404
    assert response.headers["x-failed-path"] == "/items/3"
    assert response.json() == {"detail": "Item not found"}


def test_errors_custom_not_found():
    response = client("errors", "custom_app").get("/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_response_models_broken_is_a_500():
    example = importlib.import_module("examples.docs.response_models")
    response = TestClient(example.app, raise_server_exceptions=False).get("/broken")
    assert response.status_code == 500
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "Internal Server Error"


def test_response_models_broken_raises_response_validation_error():
    with pytest.raises(ResponseValidationError) as caught:
        client("response_models").get("/broken")
    assert caught.value.errors() == [
        {
            "type": "missing",
            "loc": ("response", "price"),
            "msg": "Field required",
            "input": {"name": "Ghost"},
        }
    ]

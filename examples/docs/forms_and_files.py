"""HTML forms and file uploads: the app behind docs/forms-and-files.md.

Needs python-multipart (`pip install "fastcore[standard]"`).

uvicorn examples.docs.forms_and_files:app
curl http://127.0.0.1:8000/login -d username=ada -d password=lovelace
curl http://127.0.0.1:8000/avatar -F 'image=@avatar.png'
"""

from typing import Annotated

from pydantic import BaseModel

from fastcore import APIRouter, FastAPI, File, Form, UploadFile

# Every request to this app may carry at most 1 MiB of body.
app = FastAPI(title="forms and files", max_body_size=1024 * 1024)


@app.post("/login")
def login(username: Annotated[str, Form()], password: Annotated[str, Form(min_length=8)]):
    return {"username": username, "password_length": len(password)}


# A model groups the fields of a form; extra="forbid" refuses unknown ones.
class Signup(BaseModel):
    model_config = {"extra": "forbid"}

    email: str
    display_name: str
    newsletter: bool = False


@app.post("/signup")
def signup(data: Annotated[Signup, Form()]):
    return data


# bytes: the whole file in memory. UploadFile: a spooled file with its metadata.
@app.post("/checksum")
def checksum(data: Annotated[bytes, File()]):
    return {"size": len(data), "first_bytes": data[:5].decode("latin-1")}


@app.post("/avatar")
async def upload_avatar(image: UploadFile, caption: Annotated[str, Form()] = ""):
    content = await image.read()
    return {
        "filename": image.filename,
        "content_type": image.content_type,
        "size": len(content),
        "caption": caption,
    }


@app.post("/attachments")
async def upload_attachments(
    files: Annotated[list[UploadFile], File()],
    labels: Annotated[list[str], Form()],
):
    return {
        "files": [file.filename for file in files],
        "sizes": [file.size for file in files],
        "labels": labels,
    }


@app.post("/notes")
async def upload_note(note: Annotated[UploadFile | None, File()] = None):
    if note is None:
        return {"note": None}
    return {"note": (await note.read()).decode()}


# form_limits caps what form parsing accepts; max_body_size caps the raw body.
@app.post(
    "/survey",
    form_limits={"max_fields": 3, "max_files": 1, "max_part_size": 1024},
    max_body_size=4096,
)
async def survey(
    answers: Annotated[list[str], Form()],
    photo: Annotated[UploadFile | None, File()] = None,
):
    return {"answers": answers, "photo": photo.filename if photo else None}


# The nearest limit wins: the route's own, then its router's, then the one given
# to include_router, then the app's.
uploads = APIRouter(prefix="/uploads", max_body_size=512)


@uploads.post("/small")
async def small_upload(file: UploadFile):
    return {"size": len(await file.read())}


@uploads.post("/large", max_body_size=64 * 1024)
async def large_upload(file: UploadFile):
    return {"size": len(await file.read())}


reports = APIRouter(prefix="/reports")


@reports.post("/")
async def upload_report(file: UploadFile):
    return {"size": len(await file.read())}


app.include_router(uploads)
app.include_router(reports, max_body_size=2048)

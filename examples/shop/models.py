"""What the shop's API accepts and returns."""

from pydantic import BaseModel, EmailStr, Field


class UserBase(BaseModel):
    username: str = Field(min_length=3, max_length=32, pattern=r"^[a-z0-9_]+$")
    email: EmailStr
    full_name: str | None = None


class UserCreate(UserBase):
    password: str = Field(min_length=8, max_length=128)


class User(UserBase):
    disabled: bool = False
    scopes: list[str] = []


class ItemIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=1000)
    price: float = Field(gt=0, description="Price in euros")
    tags: list[str] = []


class ItemUpdate(BaseModel):
    """Fields to change; those left out or null keep their value."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=1000)
    price: float | None = Field(default=None, gt=0)
    tags: list[str] | None = None


class Item(ItemIn):
    id: int
    owner: str


class Token(BaseModel):
    access_token: str
    token_type: str


class Message(BaseModel):
    """The body of an error the shop raises itself: what went wrong, in words."""

    detail: str

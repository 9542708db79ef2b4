"""Folders and tags of the workspace's codes (services/codes/library.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel

from qrapp.api.v1.deps import caller
from qrapp.api.v1.text import Text
from qrapp.core import routes
from qrapp.core.api_scopes import Scope
from qrapp.models import Folder as FolderRow
from qrapp.services.authz import Actor
from qrapp.services.codes import library

router = APIRouter(tags=["folders and tags"])

Reader = Annotated[Actor, Depends(caller(Scope.CODES_READ))]
Writer = Annotated[Actor, Depends(caller(Scope.CODES_WRITE))]


class Folder(BaseModel):
    id: uuid.UUID
    name: str
    created_at: dt.datetime

    @classmethod
    def of(cls, folder: FolderRow) -> Folder:
        return cls(id=folder.id, name=folder.name, created_at=folder.created_at)


class FolderList(BaseModel):
    items: list[Folder]


class NewFolder(BaseModel):
    name: Text


class TagList(BaseModel):
    items: list[str]


@router.get("/folders", operation_id="listFolders", summary="List folders")
def list_folders(actor: Reader) -> FolderList:
    return FolderList(items=[Folder.of(f) for f in library.folders(actor=actor)])


@router.post(
    "/folders",
    operation_id="createFolder",
    summary="Create a folder",
    status_code=201,
    response_model=Folder,
)
def create_folder(body: NewFolder, actor: Writer, response: Response) -> Folder:
    folder = library.create_folder(actor=actor, name=body.name)
    response.headers["Location"] = f"{routes.API_V1}/folders/{folder.id}"
    return Folder.of(folder)


@router.delete(
    "/folders/{folder_id}",
    operation_id="deleteFolder",
    summary="Delete a folder (its codes stay, outside any folder)",
    status_code=204,
)
def delete_folder(folder_id: uuid.UUID, actor: Writer) -> Response:
    library.delete_folder(actor=actor, folder_id=folder_id)
    return Response(status_code=204)


@router.get("/tags", operation_id="listTags", summary="List the tags used on codes")
def list_tags(actor: Reader) -> TagList:
    return TagList(items=library.workspace_tags(actor=actor))

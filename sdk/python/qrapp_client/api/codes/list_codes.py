import datetime
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.code_page import CodePage
from ...models.list_codes_status_type_0 import ListCodesStatusType0
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    q: str | Unset = "",
    status: ListCodesStatusType0 | None | Unset = UNSET,
    type_: str | Unset = "",
    dynamic: bool | None | Unset = UNSET,
    tag: str | Unset = "",
    folder_id: None | Unset | UUID = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["q"] = q

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ListCodesStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    params["type"] = type_

    json_dynamic: bool | None | Unset
    if isinstance(dynamic, Unset):
        json_dynamic = UNSET
    else:
        json_dynamic = dynamic
    params["dynamic"] = json_dynamic

    params["tag"] = tag

    json_folder_id: None | str | Unset
    if isinstance(folder_id, Unset):
        json_folder_id = UNSET
    elif isinstance(folder_id, UUID):
        json_folder_id = str(folder_id)
    else:
        json_folder_id = folder_id
    params["folder_id"] = json_folder_id

    json_created_after: None | str | Unset
    if isinstance(created_after, Unset):
        json_created_after = UNSET
    elif isinstance(created_after, datetime.datetime):
        json_created_after = created_after.isoformat()
    else:
        json_created_after = created_after
    params["created_after"] = json_created_after

    json_created_before: None | str | Unset
    if isinstance(created_before, Unset):
        json_created_before = UNSET
    elif isinstance(created_before, datetime.datetime):
        json_created_before = created_before.isoformat()
    else:
        json_created_before = created_before
    params["created_before"] = json_created_before

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/codes",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CodePage | Problem | None:
    if response.status_code == 200:
        response_200 = CodePage.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[CodePage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    q: str | Unset = "",
    status: ListCodesStatusType0 | None | Unset = UNSET,
    type_: str | Unset = "",
    dynamic: bool | None | Unset = UNSET,
    tag: str | Unset = "",
    folder_id: None | Unset | UUID = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: None | str | Unset = UNSET,
) -> Response[CodePage | Problem]:
    """List codes

    Args:
        q (str | Unset): Search names, destinations, short links. Default: ''.
        status (ListCodesStatusType0 | None | Unset): Without it: active and paused codes (not the
            archive).
        type_ (str | Unset):  Default: ''.
        dynamic (bool | None | Unset):
        tag (str | Unset):  Default: ''.
        folder_id (None | Unset | UUID):
        created_after (datetime.datetime | None | Unset):
        created_before (datetime.datetime | None | Unset):
        limit (int | Unset):  Default: 25.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CodePage | Problem]
    """

    kwargs = _get_kwargs(
        q=q,
        status=status,
        type_=type_,
        dynamic=dynamic,
        tag=tag,
        folder_id=folder_id,
        created_after=created_after,
        created_before=created_before,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    q: str | Unset = "",
    status: ListCodesStatusType0 | None | Unset = UNSET,
    type_: str | Unset = "",
    dynamic: bool | None | Unset = UNSET,
    tag: str | Unset = "",
    folder_id: None | Unset | UUID = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: None | str | Unset = UNSET,
) -> CodePage | Problem | None:
    """List codes

    Args:
        q (str | Unset): Search names, destinations, short links. Default: ''.
        status (ListCodesStatusType0 | None | Unset): Without it: active and paused codes (not the
            archive).
        type_ (str | Unset):  Default: ''.
        dynamic (bool | None | Unset):
        tag (str | Unset):  Default: ''.
        folder_id (None | Unset | UUID):
        created_after (datetime.datetime | None | Unset):
        created_before (datetime.datetime | None | Unset):
        limit (int | Unset):  Default: 25.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CodePage | Problem
    """

    return sync_detailed(
        client=client,
        q=q,
        status=status,
        type_=type_,
        dynamic=dynamic,
        tag=tag,
        folder_id=folder_id,
        created_after=created_after,
        created_before=created_before,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    q: str | Unset = "",
    status: ListCodesStatusType0 | None | Unset = UNSET,
    type_: str | Unset = "",
    dynamic: bool | None | Unset = UNSET,
    tag: str | Unset = "",
    folder_id: None | Unset | UUID = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: None | str | Unset = UNSET,
) -> Response[CodePage | Problem]:
    """List codes

    Args:
        q (str | Unset): Search names, destinations, short links. Default: ''.
        status (ListCodesStatusType0 | None | Unset): Without it: active and paused codes (not the
            archive).
        type_ (str | Unset):  Default: ''.
        dynamic (bool | None | Unset):
        tag (str | Unset):  Default: ''.
        folder_id (None | Unset | UUID):
        created_after (datetime.datetime | None | Unset):
        created_before (datetime.datetime | None | Unset):
        limit (int | Unset):  Default: 25.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CodePage | Problem]
    """

    kwargs = _get_kwargs(
        q=q,
        status=status,
        type_=type_,
        dynamic=dynamic,
        tag=tag,
        folder_id=folder_id,
        created_after=created_after,
        created_before=created_before,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    q: str | Unset = "",
    status: ListCodesStatusType0 | None | Unset = UNSET,
    type_: str | Unset = "",
    dynamic: bool | None | Unset = UNSET,
    tag: str | Unset = "",
    folder_id: None | Unset | UUID = UNSET,
    created_after: datetime.datetime | None | Unset = UNSET,
    created_before: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 25,
    cursor: None | str | Unset = UNSET,
) -> CodePage | Problem | None:
    """List codes

    Args:
        q (str | Unset): Search names, destinations, short links. Default: ''.
        status (ListCodesStatusType0 | None | Unset): Without it: active and paused codes (not the
            archive).
        type_ (str | Unset):  Default: ''.
        dynamic (bool | None | Unset):
        tag (str | Unset):  Default: ''.
        folder_id (None | Unset | UUID):
        created_after (datetime.datetime | None | Unset):
        created_before (datetime.datetime | None | Unset):
        limit (int | Unset):  Default: 25.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CodePage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            q=q,
            status=status,
            type_=type_,
            dynamic=dynamic,
            tag=tag,
            folder_id=folder_id,
            created_after=created_after,
            created_before=created_before,
            limit=limit,
            cursor=cursor,
        )
    ).parsed

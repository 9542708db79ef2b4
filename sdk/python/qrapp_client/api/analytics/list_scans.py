import datetime
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_scans_range import ListScansRange
from ...models.problem import Problem
from ...models.scan_page import ScanPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    range_: ListScansRange | Unset = ListScansRange.VALUE_2,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    code: list[UUID] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    folder: list[UUID] | Unset = UNSET,
    page: list[UUID] | Unset = UNSET,
    bots: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_range_: str | Unset = UNSET
    if not isinstance(range_, Unset):
        json_range_ = range_.value

    params["range"] = json_range_

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.date):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.date):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    json_code: list[str] | Unset = UNSET
    if not isinstance(code, Unset):
        json_code = []
        for code_item_data in code:
            code_item = str(code_item_data)
            json_code.append(code_item)

    params["code"] = json_code

    json_tag: list[str] | Unset = UNSET
    if not isinstance(tag, Unset):
        json_tag = tag

    params["tag"] = json_tag

    json_folder: list[str] | Unset = UNSET
    if not isinstance(folder, Unset):
        json_folder = []
        for folder_item_data in folder:
            folder_item = str(folder_item_data)
            json_folder.append(folder_item)

    params["folder"] = json_folder

    json_page: list[str] | Unset = UNSET
    if not isinstance(page, Unset):
        json_page = []
        for page_item_data in page:
            page_item = str(page_item_data)
            json_page.append(page_item)

    params["page"] = json_page

    params["bots"] = bots

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/scans",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ScanPage | None:
    if response.status_code == 200:
        response_200 = ScanPage.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | ScanPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    range_: ListScansRange | Unset = ListScansRange.VALUE_2,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    code: list[UUID] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    folder: list[UUID] | Unset = UNSET,
    page: list[UUID] | Unset = UNSET,
    bots: bool | Unset = False,
) -> Response[Problem | ScanPage]:
    """Raw scans, oldest first, a page at a time

    Args:
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):
        range_ (ListScansRange | Unset): `custom` takes `from` and `to` (local days, inclusive).
            Default: ListScansRange.VALUE_2.
        from_ (datetime.date | None | Unset):
        to (datetime.date | None | Unset):
        code (list[UUID] | Unset): Only these codes.
        tag (list[str] | Unset): Only codes with one of these tags.
        folder (list[UUID] | Unset): Only codes in these folders.
        page (list[UUID] | Unset): Only codes answering with these landing pages.
        bots (bool | Unset): Count bot scans too. Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ScanPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        range_=range_,
        from_=from_,
        to=to,
        code=code,
        tag=tag,
        folder=folder,
        page=page,
        bots=bots,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    range_: ListScansRange | Unset = ListScansRange.VALUE_2,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    code: list[UUID] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    folder: list[UUID] | Unset = UNSET,
    page: list[UUID] | Unset = UNSET,
    bots: bool | Unset = False,
) -> Problem | ScanPage | None:
    """Raw scans, oldest first, a page at a time

    Args:
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):
        range_ (ListScansRange | Unset): `custom` takes `from` and `to` (local days, inclusive).
            Default: ListScansRange.VALUE_2.
        from_ (datetime.date | None | Unset):
        to (datetime.date | None | Unset):
        code (list[UUID] | Unset): Only these codes.
        tag (list[str] | Unset): Only codes with one of these tags.
        folder (list[UUID] | Unset): Only codes in these folders.
        page (list[UUID] | Unset): Only codes answering with these landing pages.
        bots (bool | Unset): Count bot scans too. Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ScanPage
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        range_=range_,
        from_=from_,
        to=to,
        code=code,
        tag=tag,
        folder=folder,
        page=page,
        bots=bots,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    range_: ListScansRange | Unset = ListScansRange.VALUE_2,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    code: list[UUID] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    folder: list[UUID] | Unset = UNSET,
    page: list[UUID] | Unset = UNSET,
    bots: bool | Unset = False,
) -> Response[Problem | ScanPage]:
    """Raw scans, oldest first, a page at a time

    Args:
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):
        range_ (ListScansRange | Unset): `custom` takes `from` and `to` (local days, inclusive).
            Default: ListScansRange.VALUE_2.
        from_ (datetime.date | None | Unset):
        to (datetime.date | None | Unset):
        code (list[UUID] | Unset): Only these codes.
        tag (list[str] | Unset): Only codes with one of these tags.
        folder (list[UUID] | Unset): Only codes in these folders.
        page (list[UUID] | Unset): Only codes answering with these landing pages.
        bots (bool | Unset): Count bot scans too. Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ScanPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        range_=range_,
        from_=from_,
        to=to,
        code=code,
        tag=tag,
        folder=folder,
        page=page,
        bots=bots,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 100,
    cursor: None | str | Unset = UNSET,
    range_: ListScansRange | Unset = ListScansRange.VALUE_2,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    code: list[UUID] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    folder: list[UUID] | Unset = UNSET,
    page: list[UUID] | Unset = UNSET,
    bots: bool | Unset = False,
) -> Problem | ScanPage | None:
    """Raw scans, oldest first, a page at a time

    Args:
        limit (int | Unset):  Default: 100.
        cursor (None | str | Unset):
        range_ (ListScansRange | Unset): `custom` takes `from` and `to` (local days, inclusive).
            Default: ListScansRange.VALUE_2.
        from_ (datetime.date | None | Unset):
        to (datetime.date | None | Unset):
        code (list[UUID] | Unset): Only these codes.
        tag (list[str] | Unset): Only codes with one of these tags.
        folder (list[UUID] | Unset): Only codes in these folders.
        page (list[UUID] | Unset): Only codes answering with these landing pages.
        bots (bool | Unset): Count bot scans too. Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ScanPage
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            range_=range_,
            from_=from_,
            to=to,
            code=code,
            tag=tag,
            folder=folder,
            page=page,
            bots=bots,
        )
    ).parsed

from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_code_image_format import GetCodeImageFormat
from ...models.problem import Problem
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    code_id: UUID,
    *,
    format_: GetCodeImageFormat | Unset = GetCodeImageFormat.PNG,
    size: int | Unset = 1024,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params["size"] = size

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/codes/{code_id}/image".format(
            code_id=quote(str(code_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> File | Problem | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[File | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    code_id: UUID,
    *,
    client: AuthenticatedClient,
    format_: GetCodeImageFormat | Unset = GetCodeImageFormat.PNG,
    size: int | Unset = 1024,
) -> Response[File | Problem]:
    """Download a code's image (PNG, SVG or PDF)

    Args:
        code_id (UUID):
        format_ (GetCodeImageFormat | Unset):  Default: GetCodeImageFormat.PNG.
        size (int | Unset): Width in pixels (PNG; the SVG's nominal size; PDF at 300 dpi).
            Default: 1024.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        code_id=code_id,
        format_=format_,
        size=size,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code_id: UUID,
    *,
    client: AuthenticatedClient,
    format_: GetCodeImageFormat | Unset = GetCodeImageFormat.PNG,
    size: int | Unset = 1024,
) -> File | Problem | None:
    """Download a code's image (PNG, SVG or PDF)

    Args:
        code_id (UUID):
        format_ (GetCodeImageFormat | Unset):  Default: GetCodeImageFormat.PNG.
        size (int | Unset): Width in pixels (PNG; the SVG's nominal size; PDF at 300 dpi).
            Default: 1024.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return sync_detailed(
        code_id=code_id,
        client=client,
        format_=format_,
        size=size,
    ).parsed


async def asyncio_detailed(
    code_id: UUID,
    *,
    client: AuthenticatedClient,
    format_: GetCodeImageFormat | Unset = GetCodeImageFormat.PNG,
    size: int | Unset = 1024,
) -> Response[File | Problem]:
    """Download a code's image (PNG, SVG or PDF)

    Args:
        code_id (UUID):
        format_ (GetCodeImageFormat | Unset):  Default: GetCodeImageFormat.PNG.
        size (int | Unset): Width in pixels (PNG; the SVG's nominal size; PDF at 300 dpi).
            Default: 1024.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        code_id=code_id,
        format_=format_,
        size=size,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code_id: UUID,
    *,
    client: AuthenticatedClient,
    format_: GetCodeImageFormat | Unset = GetCodeImageFormat.PNG,
    size: int | Unset = 1024,
) -> File | Problem | None:
    """Download a code's image (PNG, SVG or PDF)

    Args:
        code_id (UUID):
        format_ (GetCodeImageFormat | Unset):  Default: GetCodeImageFormat.PNG.
        size (int | Unset): Width in pixels (PNG; the SVG's nominal size; PDF at 300 dpi).
            Default: 1024.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return (
        await asyncio_detailed(
            code_id=code_id,
            client=client,
            format_=format_,
            size=size,
        )
    ).parsed

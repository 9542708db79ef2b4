from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_detail import PageDetail
from ...models.problem import Problem
from ...models.publish_request import PublishRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    page_id: UUID,
    *,
    body: None | PublishRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/pages/{page_id}/publish".format(
            page_id=quote(str(page_id), safe=""),
        ),
    }

    if isinstance(body, PublishRequest):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PageDetail | Problem | None:
    if response.status_code == 200:
        response_200 = PageDetail.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PageDetail | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    page_id: UUID,
    *,
    client: AuthenticatedClient,
    body: None | PublishRequest | Unset = UNSET,
) -> Response[PageDetail | Problem]:
    """Publish a landing page's draft as a new version

    Args:
        page_id (UUID):
        body (None | PublishRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageDetail | Problem]
    """

    kwargs = _get_kwargs(
        page_id=page_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    page_id: UUID,
    *,
    client: AuthenticatedClient,
    body: None | PublishRequest | Unset = UNSET,
) -> PageDetail | Problem | None:
    """Publish a landing page's draft as a new version

    Args:
        page_id (UUID):
        body (None | PublishRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageDetail | Problem
    """

    return sync_detailed(
        page_id=page_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    page_id: UUID,
    *,
    client: AuthenticatedClient,
    body: None | PublishRequest | Unset = UNSET,
) -> Response[PageDetail | Problem]:
    """Publish a landing page's draft as a new version

    Args:
        page_id (UUID):
        body (None | PublishRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageDetail | Problem]
    """

    kwargs = _get_kwargs(
        page_id=page_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    page_id: UUID,
    *,
    client: AuthenticatedClient,
    body: None | PublishRequest | Unset = UNSET,
) -> PageDetail | Problem | None:
    """Publish a landing page's draft as a new version

    Args:
        page_id (UUID):
        body (None | PublishRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageDetail | Problem
    """

    return (
        await asyncio_detailed(
            page_id=page_id,
            client=client,
            body=body,
        )
    ).parsed

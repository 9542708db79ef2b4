from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_bulk_job_result_kind import GetBulkJobResultKind
from ...models.problem import Problem
from ...models.result_link import ResultLink
from ...types import UNSET, Response, Unset


def _get_kwargs(
    job_id: UUID,
    *,
    kind: GetBulkJobResultKind | Unset = GetBulkJobResultKind.ZIP,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_kind: str | Unset = UNSET
    if not isinstance(kind, Unset):
        json_kind = kind.value

    params["kind"] = json_kind

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/bulk-jobs/{job_id}/result".format(
            job_id=quote(str(job_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ResultLink | None:
    if response.status_code == 200:
        response_200 = ResultLink.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | ResultLink]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
    kind: GetBulkJobResultKind | Unset = GetBulkJobResultKind.ZIP,
) -> Response[Problem | ResultLink]:
    """A signed link to a finished job's ZIP or CSV of links

    Args:
        job_id (UUID):
        kind (GetBulkJobResultKind | Unset):  Default: GetBulkJobResultKind.ZIP.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ResultLink]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        kind=kind,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
    kind: GetBulkJobResultKind | Unset = GetBulkJobResultKind.ZIP,
) -> Problem | ResultLink | None:
    """A signed link to a finished job's ZIP or CSV of links

    Args:
        job_id (UUID):
        kind (GetBulkJobResultKind | Unset):  Default: GetBulkJobResultKind.ZIP.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ResultLink
    """

    return sync_detailed(
        job_id=job_id,
        client=client,
        kind=kind,
    ).parsed


async def asyncio_detailed(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
    kind: GetBulkJobResultKind | Unset = GetBulkJobResultKind.ZIP,
) -> Response[Problem | ResultLink]:
    """A signed link to a finished job's ZIP or CSV of links

    Args:
        job_id (UUID):
        kind (GetBulkJobResultKind | Unset):  Default: GetBulkJobResultKind.ZIP.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ResultLink]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        kind=kind,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
    kind: GetBulkJobResultKind | Unset = GetBulkJobResultKind.ZIP,
) -> Problem | ResultLink | None:
    """A signed link to a finished job's ZIP or CSV of links

    Args:
        job_id (UUID):
        kind (GetBulkJobResultKind | Unset):  Default: GetBulkJobResultKind.ZIP.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ResultLink
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            client=client,
            kind=kind,
        )
    ).parsed

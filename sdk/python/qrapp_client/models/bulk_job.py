from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.row_problem import RowProblem


T = TypeVar("T", bound="BulkJob")


@_attrs_define
class BulkJob:
    """
    Attributes:
        created_at (datetime.datetime):
        failed (int):
        files_ready (bool): The ZIP and the CSV of links can be fetched.
        finished_at (datetime.datetime | None):
        id (UUID):
        message (str):
        name (str):
        problems (list[RowProblem]): Rows that failed (the first 500).
        processed (int):
        status (str): queued, running, done, cancelled or failed
        total (int):
    """

    created_at: datetime.datetime
    failed: int
    files_ready: bool
    finished_at: datetime.datetime | None
    id: UUID
    message: str
    name: str
    problems: list[RowProblem]
    processed: int
    status: str
    total: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        failed = self.failed

        files_ready = self.files_ready

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        id = str(self.id)

        message = self.message

        name = self.name

        problems = []
        for problems_item_data in self.problems:
            problems_item = problems_item_data.to_dict()
            problems.append(problems_item)

        processed = self.processed

        status = self.status

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "failed": failed,
                "files_ready": files_ready,
                "finished_at": finished_at,
                "id": id,
                "message": message,
                "name": name,
                "problems": problems,
                "processed": processed,
                "status": status,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.row_problem import RowProblem  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        failed = d.pop("failed")

        files_ready = d.pop("files_ready")

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        id = UUID(d.pop("id"))

        message = d.pop("message")

        name = d.pop("name")

        problems = []
        _problems = d.pop("problems")
        for problems_item_data in _problems:
            problems_item = RowProblem.from_dict(problems_item_data)

            problems.append(problems_item)

        processed = d.pop("processed")

        status = d.pop("status")

        total = d.pop("total")

        bulk_job = cls(
            created_at=created_at,
            failed=failed,
            files_ready=files_ready,
            finished_at=finished_at,
            id=id,
            message=message,
            name=name,
            problems=problems,
            processed=processed,
            status=status,
            total=total,
        )

        bulk_job.additional_properties = d
        return bulk_job

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

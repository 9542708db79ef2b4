from enum import StrEnum


class GetBulkJobResultKind(StrEnum):
    LINKS = "links"
    ZIP = "zip"

    def __str__(self) -> str:
        return str(self.value)

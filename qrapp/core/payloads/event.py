"""Calendar event: an iCalendar VEVENT (RFC 5545) that phones offer to add to a calendar."""

import datetime as dt
from typing import ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import field_validator, model_validator

from qrapp.core.payloads.base import Payload, field
from qrapp.core.payloads.errors import PayloadError
from qrapp.core.payloads.escaping import content_lines, rfc_text


class EventPayload(Payload):
    type_name: ClassVar[str] = "event"
    label: ClassVar[str] = "Calendar event"

    summary: str = field("Title", min_length=1, max_length=200)
    start: dt.datetime = field("Starts", "datetime")
    end: dt.datetime | None = field("Ends", "datetime", default=None)
    all_day: bool = field("All day", "bool", default=False)
    timezone: str = field(
        "Time zone", "timezone", "IANA name, e.g. Europe/Stockholm; empty means UTC.", default=""
    )
    location: str = field("Location", default="", max_length=300)
    description: str = field("Description", "multiline", default="", max_length=1000)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError("Unknown time zone, e.g. Europe/Stockholm.") from None
        return value

    @model_validator(mode="after")
    def _order(self) -> "EventPayload":
        if self.end is not None and self._local(self.end) < self._local(self.start):
            raise PayloadError({"end": "The event cannot end before it starts."})
        return self

    def _local(self, moment: dt.datetime) -> dt.datetime:
        """The moment as an aware datetime: naive times are in the event's zone (or UTC)."""
        if moment.tzinfo is None:
            return moment.replace(tzinfo=ZoneInfo(self.timezone) if self.timezone else dt.UTC)
        return moment

    def _stamp(self, name: str, moment: dt.datetime) -> str:
        if self.all_day:
            # DTEND of an all-day event is exclusive: a one-day event ends the next day.
            day = moment.date() + dt.timedelta(days=1 if name == "DTEND" else 0)
            return f"{name};VALUE=DATE:{day:%Y%m%d}"
        if self.timezone and moment.tzinfo is None:
            return f"{name};TZID={self.timezone}:{moment:%Y%m%dT%H%M%S}"
        return f"{name}:{self._local(moment).astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"

    def encode(self) -> str:
        lines = ["BEGIN:VEVENT", "SUMMARY:" + rfc_text(self.summary)]
        lines.append(self._stamp("DTSTART", self.start))
        if self.end is not None:
            lines.append(self._stamp("DTEND", self.end))
        if self.location:
            lines.append("LOCATION:" + rfc_text(self.location))
        if self.description:
            lines.append("DESCRIPTION:" + rfc_text(self.description))
        lines.append("END:VEVENT")
        return content_lines(lines)

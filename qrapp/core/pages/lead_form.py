"""The lead-form block: the owner picks the standard fields (name, e-mail, phone, message:
off, optional or required), an optional consent checkbox with their own text, up to 10
custom fields, the submit label and the thank-you message.

Flat props on purpose: the builder generates its form from this model
(state.page_fields), one control per top-level field plus the custom fields as a list.
`form_spec` turns the props into the plain field list (core.leads.FormSpec) stored with
the published version, which is all the edge needs to check a submission.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from qrapp.core.leads import FieldSpec, FormSpec

Ask = Literal["off", "optional", "required"]
CustomKind = Literal["text", "paragraph", "email", "phone", "number", "date", "checkbox"]
MAX_CUSTOM_FIELDS = 10

# (input name, label, field type) of the standard fields, in the form's order.
STANDARD = (
    ("name", "Name", "text"),
    ("email", "E-mail", "email"),
    ("phone", "Phone", "phone"),
    ("message", "Message", "paragraph"),
)


# blocks.py imports this module for its registry, so the little it shares with the other
# blocks (the props base's config, text fields, ids) is restated here, not imported.
class _Props(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _text(label: str, max_length: int, *, required: bool = False, default: str = "") -> Any:
    if required:
        return Field(title=label, min_length=1, max_length=max_length)
    return Field(default=default, title=label, max_length=max_length)


ItemId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_]{1,24}$", title="Id")]


class CustomField(_Props):
    id: ItemId
    # A default, so the builder's "Add" makes a valid row the owner then renames.
    label: str = Field(default="Your question", title="Label", min_length=1, max_length=80)
    kind: CustomKind = Field(default="text", title="Type")
    required: bool = Field(default=False, title="Required")


class LeadFormProps(_Props):
    title: str = _text("Title", 120, default="Get in touch")
    intro: str = _text("Intro", 300)
    ask_name: Ask = Field(default="required", title="Name field")
    ask_email: Ask = Field(default="required", title="E-mail field")
    ask_phone: Ask = Field(default="off", title="Phone field")
    ask_message: Ask = Field(default="optional", title="Message field")
    custom: list[CustomField] = Field(
        default_factory=list, title="Custom fields", max_length=MAX_CUSTOM_FIELDS
    )
    consent_text: str = _text("Consent text (empty: no consent box)", 500)
    submit_label: str = _text("Submit button label", 40, default="Send")
    thank_you: str = _text("Thank-you message", 500, default="Thank you! We will be in touch.")

    @model_validator(mode="after")
    def _something_to_send(self) -> LeadFormProps:
        ids = [item.id for item in self.custom]
        if len(set(ids)) != len(ids):
            raise ValueError("Two custom fields share an id.")
        asked = [self.ask_name, self.ask_email, self.ask_phone, self.ask_message]
        if all(a == "off" for a in asked) and not self.custom:
            raise ValueError("Ask for at least one field.")
        if not self.submit_label:
            raise ValueError("Give the submit button a label.")
        return self


def form_fields(props: LeadFormProps) -> list[FieldSpec]:
    fields: list[FieldSpec] = []
    for name, label, kind in STANDARD:
        ask = getattr(props, f"ask_{name}")
        if ask != "off":
            fields.append(
                {"name": name, "label": label, "type": kind, "required": ask == "required"}
            )
    for item in props.custom:
        fields.append(
            {
                "name": f"c_{item.id}",
                "label": item.label,
                "type": item.kind,
                "required": item.required,
            }
        )
    return fields


def form_spec(props: LeadFormProps, colours: dict[str, str]) -> FormSpec:
    """What the version stores for this block (LandingPageVersion.forms[block_id])."""
    return {
        "title": props.title,
        "intro": props.intro,
        "fields": form_fields(props),
        "consent": props.consent_text,
        "submit": props.submit_label or "Send",
        "thank_you": props.thank_you or "Thank you!",
        "colours": colours,
    }

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.rule_conditions_item import RuleConditionsItem
    from ..models.rule_variants_item import RuleVariantsItem


T = TypeVar("T", bound="Rule")


@_attrs_define
class Rule:
    """
    Attributes:
        conditions (list[RuleConditionsItem]):
        destination (str):
        id (UUID):
        label (str):
        position (int):
        variants (list[RuleVariantsItem]):
    """

    conditions: list[RuleConditionsItem]
    destination: str
    id: UUID
    label: str
    position: int
    variants: list[RuleVariantsItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conditions = []
        for conditions_item_data in self.conditions:
            conditions_item = conditions_item_data.to_dict()
            conditions.append(conditions_item)

        destination = self.destination

        id = str(self.id)

        label = self.label

        position = self.position

        variants = []
        for variants_item_data in self.variants:
            variants_item = variants_item_data.to_dict()
            variants.append(variants_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conditions": conditions,
                "destination": destination,
                "id": id,
                "label": label,
                "position": position,
                "variants": variants,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rule_conditions_item import RuleConditionsItem  # noqa: PLC0415
        from ..models.rule_variants_item import RuleVariantsItem  # noqa: PLC0415

        d = dict(src_dict)
        conditions = []
        _conditions = d.pop("conditions")
        for conditions_item_data in _conditions:
            conditions_item = RuleConditionsItem.from_dict(conditions_item_data)

            conditions.append(conditions_item)

        destination = d.pop("destination")

        id = UUID(d.pop("id"))

        label = d.pop("label")

        position = d.pop("position")

        variants = []
        _variants = d.pop("variants")
        for variants_item_data in _variants:
            variants_item = RuleVariantsItem.from_dict(variants_item_data)

            variants.append(variants_item)

        rule = cls(
            conditions=conditions,
            destination=destination,
            id=id,
            label=label,
            position=position,
            variants=variants,
        )

        rule.additional_properties = d
        return rule

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rule_condition import RuleCondition
    from ..models.rule_variant import RuleVariant


T = TypeVar("T", bound="NewRule")


@_attrs_define
class NewRule:
    """A rule sends matching scans to `destination`, or splits them between `variants`.

    Attributes:
        conditions (list[RuleCondition] | Unset):
        destination (str | Unset):  Default: ''.
        label (str | Unset):  Default: ''.
        variants (list[RuleVariant] | None | Unset):
    """

    conditions: list[RuleCondition] | Unset = UNSET
    destination: str | Unset = ""
    label: str | Unset = ""
    variants: list[RuleVariant] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conditions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.conditions, Unset):
            conditions = []
            for conditions_item_data in self.conditions:
                conditions_item = conditions_item_data.to_dict()
                conditions.append(conditions_item)

        destination = self.destination

        label = self.label

        variants: list[dict[str, Any]] | None | Unset
        if isinstance(self.variants, Unset):
            variants = UNSET
        elif isinstance(self.variants, list):
            variants = []
            for variants_type_0_item_data in self.variants:
                variants_type_0_item = variants_type_0_item_data.to_dict()
                variants.append(variants_type_0_item)

        else:
            variants = self.variants

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if conditions is not UNSET:
            field_dict["conditions"] = conditions
        if destination is not UNSET:
            field_dict["destination"] = destination
        if label is not UNSET:
            field_dict["label"] = label
        if variants is not UNSET:
            field_dict["variants"] = variants

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rule_condition import RuleCondition  # noqa: PLC0415
        from ..models.rule_variant import RuleVariant  # noqa: PLC0415

        d = dict(src_dict)
        _conditions = d.pop("conditions", UNSET)
        conditions: list[RuleCondition] | Unset = UNSET
        if _conditions is not UNSET:
            conditions = []
            for conditions_item_data in _conditions:
                conditions_item = RuleCondition.from_dict(conditions_item_data)

                conditions.append(conditions_item)

        destination = d.pop("destination", UNSET)

        label = d.pop("label", UNSET)

        def _parse_variants(data: object) -> list[RuleVariant] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                variants_type_0 = []
                _variants_type_0 = data
                for variants_type_0_item_data in _variants_type_0:
                    variants_type_0_item = RuleVariant.from_dict(variants_type_0_item_data)

                    variants_type_0.append(variants_type_0_item)

                return variants_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[RuleVariant] | None | Unset, data)

        variants = _parse_variants(d.pop("variants", UNSET))

        new_rule = cls(
            conditions=conditions,
            destination=destination,
            label=label,
            variants=variants,
        )

        new_rule.additional_properties = d
        return new_rule

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

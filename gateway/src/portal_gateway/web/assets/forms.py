"""The asset form of the administrators: what a posted form holds, the body the tickets
service gets from it, and the service's refusals placed next to the fields; the import
report's reasons in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from portal_gateway.web.base import Submission
from portal_gateway.web.clients.assets import ASSET_STATUSES, Asset, RowError
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.forms import field_messages, first_part
from portal_gateway.web.i18n import CODES, TEXTS, field_message

TEXT_FIELDS = {
    "name": 200,
    "serial_number": 100,
    "product": 200,
    "location": 200,
    "installed_on": 10,
    "contract_id": 40,
}
# The API's field names are the form's field ids.
LOCATE = first_part(
    {name: name for name in (*TEXT_FIELDS, "organization_id", "status", "attributes")}
)


@dataclass
class AssetForm:
    organization_id: str = ""
    name: str = ""
    serial_number: str = ""
    product: str = ""
    location: str = ""
    installed_on: str = ""
    contract_id: str = ""
    status: str = "active"
    attributes: str = ""
    # Problems the page found before asking the service (field id -> message).
    problems: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, asset: Asset) -> AssetForm:
        return cls(
            organization_id=asset.organization_id or "",
            name=asset.name,
            serial_number=asset.serial_number,
            product=asset.product or "",
            location=asset.location or "",
            installed_on=asset.installed_on or "",
            contract_id=asset.contract_id or "",
            status=asset.status,
            attributes="\n".join(f"{k}: {v}" for k, v in asset.attributes.items()),
        )

    @classmethod
    def read(cls, sub: Submission, lang: str) -> AssetForm:
        form = cls(
            organization_id=sub.text("organization_id", 40),
            name=sub.text("name", TEXT_FIELDS["name"]),
            serial_number=sub.text("serial_number", TEXT_FIELDS["serial_number"]),
            product=sub.text("product", TEXT_FIELDS["product"]),
            location=sub.text("location", TEXT_FIELDS["location"]),
            installed_on=sub.text("installed_on", TEXT_FIELDS["installed_on"]),
            contract_id=sub.text("contract_id", TEXT_FIELDS["contract_id"]),
            status=sub.text("status", 20) or "active",
            attributes=sub.text("attributes", 60_000),
        )
        form.parsed_attributes(lang)
        return form

    def parsed_attributes(self, lang: str) -> dict[str, str]:
        """The free details, one `name: value` a line; a line without its colon is
        noted as a problem of the field."""
        found: dict[str, str] = {}
        for number, line in enumerate(self.attributes.splitlines(), start=1):
            if not line.strip():
                continue
            key, colon, value = line.partition(":")
            if not colon or not key.strip():
                message = TEXTS[lang]["assets_attributes_bad"].format(n=number)
                self.problems.setdefault("attributes", message)
                continue
            found[key.strip()] = value.strip()
        return found

    def body(self, lang: str, *, creating: bool) -> dict[str, Any]:
        """The API's body: on creation the organization and the filled fields; on an
        update every field, an emptied optional one cleared (None)."""
        body: dict[str, Any] = {
            "name": self.name,
            "serial_number": self.serial_number,
            "status": self.status if self.status in ASSET_STATUSES else "active",
            "attributes": self.parsed_attributes(lang),
        }
        for name in ("product", "location", "installed_on", "contract_id"):
            body[name] = getattr(self, name) or None
        if creating:
            body["organization_id"] = self.organization_id
            body = {k: v for k, v in body.items() if v is not None}
        return body

    def errors(self, refusal: ServiceError, lang: str) -> dict[str, str]:
        """The service's refusal (and the page's own problems) by field id."""
        messages = field_messages(refusal, lang, LOCATE, conflict="serial_number")
        for name, message in self.problems.items():
            messages.setdefault(name, message)
        return messages


def missing_fields(form: AssetForm, lang: str, *, creating: bool) -> dict[str, str]:
    """The required fields left empty, found before asking the service (so all of
    them are named at once)."""
    required = ["name", "serial_number"] + (["organization_id"] if creating else [])
    needed = CODES["missing"][1 if lang == "de" else 0]
    errors = {name: needed for name in required if not getattr(form, name)}
    errors.update(form.problems)
    if errors:
        errors[""] = TEXTS[lang]["form_has_errors"]
    return errors


def reasons(errors: list[RowError], lang: str) -> list[str]:
    """A refused row's reasons in the reader's language (the service words them in
    both)."""
    found = []
    for error in errors:
        if lang == "de" and error.message_de:
            found.append(error.message_de)
        else:
            found.append(field_message(error.model_dump(), lang))
    return found


def import_errors(refusal: ServiceError, lang: str) -> dict[str, str]:
    """A file the service refused as a whole (or its organization), by form field, in
    the reader's language."""
    words = TEXTS[lang]
    if refusal.status == 413:
        return {"file": words["assets_import_too_large"], "": words["form_has_errors"]}
    errors: dict[str, str] = {}
    for error in refusal.errors:
        target = "organization_id" if error.get("field") == "organization_id" else "file"
        german = lang == "de" and error.get("message_de")
        errors.setdefault(target, str(german) if german else field_message(error, lang))
    if not errors:
        return {"": refusal.message(lang)}
    errors[""] = words["form_has_errors"]
    return errors

"""Demo data for `portal dev --demo`: the taxonomy and a few templates with guides.
Idempotent: a second start finds everything in place."""

from __future__ import annotations

import uuid
from typing import cast

from portal_chassis.runtime import Runtime
from portal_tickets.catalog.models import SubjectArea, Template, TemplateGroup
from portal_tickets.uow import TicketsUoW

TAXONOMY = {
    "Software": ["ERP", "CRM", "Office", "Licences"],
    "Data": ["Backup", "Restore", "Reporting"],
    "IT Infrastructure": ["Network", "Server", "Printer", "Telephony"],
    "Machines": ["Press", "Conveyor", "Packaging"],
    "Robotics": ["Gripper", "Vision", "Controller"],
    "Citrix": ["Login", "Performance", "Published apps"],
}

TEMPLATES = [
    {
        "group": TemplateGroup.INCIDENT_REPORT,
        "name": "Machine or robot is down",
        "description": "Something stopped working in production.",
        "name_de": "Maschine oder Roboter steht",
        "description_de": "In der Produktion funktioniert etwas nicht mehr.",
        "category": "incident",
        "subject_area": "Machines",
        "guide": [
            {
                "id": "machine",
                "label": "Which machine or cell?",
                "label_de": "Welche Maschine?",
                "type": "text",
                "required": True,
            },
            {
                "id": "since",
                "label": "Since when?",
                "label_de": "Seit wann?",
                "type": "date",
                "required": True,
            },
            {
                "id": "impact",
                "label": "Is production stopped?",
                "label_de": "Steht die Produktion?",
                "type": "choice",
                "required": True,
                "choices": ["yes", "partly", "no"],
            },
            {
                "id": "error",
                "label": "Error message on the panel",
                "label_de": "Fehlermeldung",
                "type": "long_text",
            },
        ],
    },
    {
        "group": TemplateGroup.INCIDENT_REPORT,
        "name": "Software error",
        "description": "An application shows an error or behaves wrongly.",
        "name_de": "Softwarefehler",
        "description_de": "Eine Anwendung zeigt einen Fehler oder verhält sich falsch.",
        "category": "incident",
        "subject_area": "Software",
        "guide": [
            {
                "id": "steps",
                "label": "What did you do before the error?",
                "label_de": "Was haben Sie vor dem Fehler getan?",
                "type": "long_text",
                "required": True,
            },
            {
                "id": "users",
                "label": "How many users are affected?",
                "label_de": "Wie viele Benutzer sind betroffen?",
                "type": "number",
            },
        ],
    },
    {
        "group": TemplateGroup.SERVICE_REQUEST,
        "name": "New user account",
        "description": "Request access to a system for a colleague.",
        "name_de": "Neues Benutzerkonto",
        "description_de": "Zugang zu einem System für eine Kollegin oder einen Kollegen.",
        "category": "service_request",
        "subject_area": "Software",
        "guide": [
            {
                "id": "person",
                "label": "Name of the colleague",
                "label_de": "Name",
                "type": "text",
                "required": True,
            },
            {"id": "start", "label": "Start date", "label_de": "Startdatum", "type": "date"},
        ],
    },
    {
        "group": TemplateGroup.CHANGE_REQUEST,
        "name": "Change to a configuration",
        "description": "Ask for a planned change.",
        "name_de": "Änderung einer Konfiguration",
        "description_de": "Eine geplante Änderung beantragen.",
        "category": "change_request",
        "subject_area": "IT Infrastructure",
        "guide": [
            {
                "id": "change",
                "label": "What should change?",
                "label_de": "Was soll sich ändern?",
                "type": "long_text",
                "required": True,
            },
            {"id": "window", "label": "Preferred date", "label_de": "Wunschtermin", "type": "date"},
        ],
    },
]


async def seed_demo(runtime: Runtime) -> list[str]:
    uow = cast(TicketsUoW, runtime.uow())
    async with uow:
        for name, subtypes in TAXONOMY.items():
            if await uow.catalog.subject_area(name) is None:
                uow.catalog.add(SubjectArea(name=name, subtypes=subtypes, active=True))
        existing = {t.name for t in await uow.catalog.templates()}
        for spec in TEMPLATES:
            if spec["name"] not in existing:
                uow.catalog.add(Template(id=uuid.uuid4(), organization_ids=[], active=True, **spec))
        await uow.commit()
    return [f"{len(TEMPLATES)} ticket templates, {len(TAXONOMY)} subject areas"]

"""PDF of one ticket with its public correspondence (fpdf2)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fpdf import FPDF

from portal_chassis.text import strip_control_characters
from portal_tickets.export.words import CATEGORY, PORTAL_STATUS, SLA_STATE, YES_NO, label
from portal_tickets.ticket.schemas import ArticleRead, SlaTimer, TicketRead

# A Unicode font when the system has one; otherwise the PDF core font (Latin-1 only).
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu")]

LABELS = {
    "en": {
        "number": "Number",
        "subject": "Subject",
        "status": "Status",
        "priority": "Priority",
        "category": "Category",
        "subject_area": "Subject area",
        "product": "Product",
        "asset": "Asset",
        "contact": "Contact",
        "organization": "Organization",
        "created": "Created",
        "updated": "Last change",
        "sla": "Service level (SLA)",
        "no_sla": "No service level agreed.",
        "reaction": "First reaction",
        "resolution": "Resolution",
        "due_at": "due {stamp}",
        "done_reaction": "answered {stamp}",
        "done_resolution": "resolved {stamp}",
        "paused": "Paused",
        "paused_since": "waiting for the customer's answer since {stamp}",
        "contract": "Contract",
        "standard_terms": "Standard terms (no contract)",
        "guide": "Conversation guide",
        "attachments": "Attachments",
        "no_attachments": "None.",
        "description": "Description",
        "thread": "Thread",
        "no_thread": "No messages yet.",
        "unknown_file": "file",
        "exported": "Exported {stamp}",
    },
    "de": {
        "number": "Nummer",
        "subject": "Betreff",
        "status": "Status",
        "priority": "Priorität",
        "category": "Kategorie",
        "subject_area": "Themenbereich",
        "product": "Produkt",
        "asset": "Anlage",
        "contact": "Kontakt",
        "organization": "Organisation",
        "created": "Erstellt",
        "updated": "Letzte Änderung",
        "sla": "Service-Level (SLA)",
        "no_sla": "Kein Service-Level vereinbart.",
        "reaction": "Erste Reaktion",
        "resolution": "Lösung",
        "due_at": "fällig {stamp}",
        "done_reaction": "beantwortet {stamp}",
        "done_resolution": "gelöst {stamp}",
        "paused": "Pausiert",
        "paused_since": "wartet seit {stamp} auf die Antwort des Kunden",
        "contract": "Vertrag",
        "standard_terms": "Standardbedingungen (kein Vertrag)",
        "guide": "Angaben aus dem Gesprächsleitfaden",
        "attachments": "Anhänge",
        "no_attachments": "Keine.",
        "description": "Beschreibung",
        "thread": "Verlauf",
        "no_thread": "Noch keine Nachrichten.",
        "unknown_file": "Datei",
        "exported": "Exportiert am {stamp}",
    },
}


class _Stamp:
    """Times in the business time zone, the zone named once per stamp."""

    def __init__(self, zone: str) -> None:
        self.name, self.zone = zone, ZoneInfo(zone)

    def __call__(self, value: datetime | None) -> str:
        if value is None:
            return ""
        return value.astimezone(self.zone).strftime("%Y-%m-%d %H:%M ") + self.name


def _answer(value: Any, language: str) -> str:
    if isinstance(value, bool):
        return YES_NO[language][0 if value else 1]
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


class _Document(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        self.set_auto_page_break(auto=True, margin=15)
        self.family = "Helvetica"
        for folder in FONT_DIRS:
            regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
            if regular.exists() and bold.exists():
                self.add_font("DejaVu", "", str(regular))
                self.add_font("DejaVu", "B", str(bold))
                self.family = "DejaVu"
                break

    def clean(self, value: str) -> str:
        # Control characters stored before the API refused them print as nothing.
        value = strip_control_characters(value)
        if self.family == "Helvetica":
            return value.encode("latin-1", "replace").decode("latin-1")
        return value

    def heading(self, text: str) -> None:
        self.ln(4)
        self.set_font(self.family, "B", 12)
        self.cell(0, 8, self.clean(text), new_x="LMARGIN", new_y="NEXT")
        # A thin rule under each heading: sections stay apart when printed.
        self.set_draw_color(160, 160, 160)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1)

    def paragraph(self, text: str, *, size: int = 10) -> None:
        self.set_font(self.family, "", size)
        self.multi_cell(0, 5, self.clean(text), new_x="LMARGIN", new_y="NEXT")

    def facts(self, rows: list[tuple[str, str]], *, width: int = 40) -> None:
        """Label and value side by side; rows without a value are left out."""
        for name, value in rows:
            if not value:
                continue
            self.set_font(self.family, "B", 10)
            top = self.get_y()
            self.multi_cell(width, 6, self.clean(name), new_x="RIGHT", new_y="TOP")
            below_label = self.get_y()
            self.set_font(self.family, "", 10)
            self.set_y(top)
            self.set_x(self.l_margin + width)
            self.multi_cell(0, 6, self.clean(value), new_x="LMARGIN", new_y="NEXT")
            self.set_y(max(self.get_y(), below_label))

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.cell(0, 8, f"{self.page_no()}/{{nb}}", align="C")


def render_ticket(
    ticket: TicketRead,
    articles: list[ArticleRead],
    language: str,
    *,
    zone: str = "UTC",
    files: Mapping[uuid.UUID, str] | None = None,
) -> bytes:
    """The ticket as a document to forward: a title block, its facts, the SLA, the
    conversation guide's answers, the attachments by name, the description and the
    public thread. `articles`: the correspondence a reader outside the service desk sees
    (`ticket.permissions.visible_articles(None)`), printed as given."""
    page = _Page(pdf=_Document(), labels=LABELS[language], stamp=_Stamp(zone), language=language)
    names = files or {}
    page.pdf.set_title(f"{ticket.number}: {ticket.title}")
    page.pdf.add_page()
    _title_block(page, ticket)
    _sla_section(page, ticket)
    _guide_section(page, ticket)
    _attachments_section(page, articles, names)
    if ticket.description:
        page.pdf.heading(page.labels["description"])
        page.pdf.paragraph(ticket.description)
    _thread_section(page, articles, names)
    return bytes(page.pdf.output())


@dataclass(frozen=True)
class _Page:
    """The document being written and how it words and dates things."""

    pdf: _Document
    labels: dict[str, str]
    stamp: _Stamp
    language: str


def _title_block(page: _Page, ticket: TicketRead) -> None:
    pdf, labels, stamp, language = page.pdf, page.labels, page.stamp, page.language
    pdf.set_font(pdf.family, "B", 16)
    pdf.multi_cell(
        0, 8, pdf.clean(f"{ticket.number}: {ticket.title}"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font(pdf.family, "", 8)
    pdf.cell(
        0,
        5,
        pdf.clean(labels["exported"].format(stamp=stamp(datetime.now(UTC)))),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    area = " / ".join(x for x in (ticket.subject_area, ticket.subtype) if x)
    pdf.facts(
        [
            (labels["number"], ticket.number),
            (labels["subject"], ticket.title),
            (labels["organization"], ticket.organization.name if ticket.organization else ""),
            (labels["status"], label(PORTAL_STATUS, language, ticket.portal_status)),
            (labels["priority"], ticket.priority.value),
            (labels["category"], label(CATEGORY, language, ticket.category.value)),
            (labels["subject_area"], area),
            (labels["product"], ticket.product or ""),
            (labels["asset"], _asset(ticket)),
            (labels["contact"], ticket.contact.name if ticket.contact else ""),
            (labels["created"], stamp(ticket.created_at)),
            (labels["updated"], stamp(ticket.updated_at)),
        ]
    )


def _asset(ticket: TicketRead) -> str:
    """The asset as people know it: its name and serial number (not its id)."""
    if ticket.asset is None:
        return ""
    asset = ticket.asset
    if asset.name == asset.serial_number:
        return asset.serial_number
    return f"{asset.name} ({asset.serial_number})"


def _sla_section(page: _Page, ticket: TicketRead) -> None:
    """Both targets (state, and the due time or when it was done), the pause while the
    desk waits for the customer, and the terms the ticket was opened under."""
    pdf, labels, stamp, sla = page.pdf, page.labels, page.stamp, ticket.sla
    pdf.heading(labels["sla"])
    if sla.due_at is None:
        pdf.paragraph(labels["no_sla"])
        return
    rows = [
        (labels["reaction"], _timer(page, sla.reaction, "reaction")),
        (labels["resolution"], _timer(page, sla.resolution, "resolution")),
    ]
    if sla.paused:
        rows.append(
            (labels["paused"], labels["paused_since"].format(stamp=stamp(sla.paused_since)))
        )
    if sla.contract is not None:
        terms = sla.contract.name if sla.contract.id else labels["standard_terms"]
        rows.append((labels["contract"], terms))
    pdf.facts(rows)


def _timer(page: _Page, timer: SlaTimer | None, kind: str) -> str:
    """The target's state with when it was done, or else when it is due."""
    if timer is None or timer.state is None:
        return ""
    state = label(SLA_STATE, page.language, timer.state)
    if timer.done_at is not None:
        return f"{state}, {page.labels['done_' + kind].format(stamp=page.stamp(timer.done_at))}"
    if timer.due_at is not None:
        return f"{state}, {page.labels['due_at'].format(stamp=page.stamp(timer.due_at))}"
    return state


def _guide_section(page: _Page, ticket: TicketRead) -> None:
    if not ticket.guide_answers:
        return
    page.pdf.heading(page.labels["guide"])
    page.pdf.facts(
        [
            (str(a.get("label") or a.get("id") or ""), _answer(a.get("value"), page.language))
            for a in ticket.guide_answers
        ],
        width=70,
    )


def _attachments_section(
    page: _Page, articles: list[ArticleRead], names: Mapping[uuid.UUID, str]
) -> None:
    page.pdf.heading(page.labels["attachments"])
    attached = [(a, f) for a in articles for f in a.attachment_ids]
    if not attached:
        page.pdf.paragraph(page.labels["no_attachments"])
    for article, file_id in attached:
        name = names.get(file_id) or f"{page.labels['unknown_file']} {file_id}"
        page.pdf.paragraph(f"{name} ({page.stamp(article.created_at)})")


def _thread_section(
    page: _Page, articles: list[ArticleRead], names: Mapping[uuid.UUID, str]
) -> None:
    pdf = page.pdf
    pdf.heading(page.labels["thread"])
    if not articles:
        pdf.paragraph(page.labels["no_thread"])
    for article in articles:
        author = article.author.name if article.author else ""
        org = f" ({article.author_organization.name})" if article.author_organization else ""
        pdf.set_font(pdf.family, "B", 10)
        pdf.multi_cell(
            0,
            6,
            pdf.clean(f"{author}{org}, {page.stamp(article.created_at)}"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.paragraph(article.body)
        if article.attachment_ids:
            files_named = ", ".join(names.get(f) or str(f) for f in article.attachment_ids)
            pdf.set_font(pdf.family, "", 9)
            pdf.paragraph(f"{page.labels['attachments']}: {files_named}", size=9)
        pdf.ln(2)

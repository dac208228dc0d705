"""PDF of one ticket with its public correspondence (fpdf2)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fpdf import FPDF

from portal_chassis.text import strip_control_characters
from portal_tickets.ticket.schemas import ArticleRead, TicketRead

# A Unicode font when the system has one; otherwise the PDF core font (Latin-1 only).
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu")]

LABELS = {
    "en": {
        "status": "Status",
        "priority": "Priority",
        "category": "Category",
        "contact": "Contact",
        "organization": "Organization",
        "created": "Created",
        "correspondence": "Correspondence",
        "description": "Description",
    },
    "de": {
        "status": "Status",
        "priority": "Priorität",
        "category": "Kategorie",
        "contact": "Kontakt",
        "organization": "Organisation",
        "created": "Erstellt",
        "correspondence": "Korrespondenz",
        "description": "Beschreibung",
    },
}


def _stamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


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

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.cell(0, 8, f"{self.page_no()}/{{nb}}", align="C")


def render_ticket(ticket: TicketRead, articles: list[ArticleRead], language: str) -> bytes:
    labels = LABELS[language]
    pdf = _Document()
    pdf.add_page()
    pdf.set_font(pdf.family, "B", 16)
    pdf.multi_cell(
        0, 8, pdf.clean(f"{ticket.number}: {ticket.title}"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)
    pdf.set_font(pdf.family, "", 10)
    facts = [
        (labels["status"], ticket.portal_status.replace("_", " ")),
        (labels["priority"], ticket.priority.value),
        (labels["category"], ticket.category.value.replace("_", " ")),
        (labels["organization"], ticket.organization.name if ticket.organization else ""),
        (labels["contact"], ticket.contact.name if ticket.contact else ""),
        (labels["created"], _stamp(ticket.created_at)),
    ]
    for label, value in facts:
        pdf.set_font(pdf.family, "B", 10)
        pdf.cell(35, 6, pdf.clean(label))
        pdf.set_font(pdf.family, "", 10)
        pdf.cell(0, 6, pdf.clean(value), new_x="LMARGIN", new_y="NEXT")
    if ticket.description:
        pdf.ln(3)
        pdf.set_font(pdf.family, "B", 12)
        pdf.cell(0, 8, pdf.clean(labels["description"]), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(pdf.family, "", 10)
        pdf.multi_cell(0, 5, pdf.clean(ticket.description), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(pdf.family, "B", 12)
    pdf.cell(0, 8, pdf.clean(labels["correspondence"]), new_x="LMARGIN", new_y="NEXT")
    for article in articles:
        if article.internal:  # callers pass public articles only; never print a note
            continue
        author = article.author.name if article.author else ""
        org = f" ({article.author_organization.name})" if article.author_organization else ""
        pdf.set_font(pdf.family, "B", 10)
        pdf.multi_cell(
            0,
            6,
            pdf.clean(f"{author}{org}, {_stamp(article.created_at)}"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font(pdf.family, "", 10)
        pdf.multi_cell(0, 5, pdf.clean(article.body), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())

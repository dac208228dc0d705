"""Demo data for `portal dev --demo`: a small knowledge base in German and English.
Idempotent: a second start finds the categories in place and adds nothing."""

from __future__ import annotations

import uuid
from typing import cast

from portal_chassis.auth import Actor
from portal_chassis.runtime import Runtime
from portal_faq.content import service
from portal_faq.content.models import State, Visibility
from portal_faq.content.schemas import ArticleCreate, ArticleUpdate, CategoryCreate
from portal_faq.uow import FaqUoW

AUTHOR = Actor(
    id=uuid.UUID(int=0), username="demo", organization_id=None, roles=frozenset({"admin"})
)

# category -> [(visibility, (de title, de body), (en title, en body) or None)]
ARTICLES: dict[str, list[tuple[Visibility, tuple[str, str], tuple[str, str] | None]]] = {
    "Zugang und Konto": [
        (
            Visibility.PUBLIC,
            (
                "Passwort vergessen: so setzen Sie es zurück",
                "Klicken Sie auf der Anmeldeseite auf **Passwort vergessen** und geben Sie "
                "Ihren Benutzernamen ein. Sie erhalten eine E-Mail mit einem Link, der "
                "30 Minuten gültig ist.",
            ),
            (
                "Forgot your password? How to reset it",
                "On the sign-in page choose **Forgot password** and enter your username. "
                "You will receive an e-mail with a link that is valid for 30 minutes.",
            ),
        ),
        (
            Visibility.CUSTOMERS,
            (
                "Neue Kollegen für das Portal freischalten",
                "Als Kunden-Administrator legen Sie unter *Benutzer* neue Kollegen an. "
                "Sie erhalten eine Einladung per E-Mail.",
            ),
            (
                "Give new colleagues access to the portal",
                "As a customer administrator you add colleagues under *Users*. They "
                "receive an invitation by e-mail.",
            ),
        ),
    ],
    "Drucker und Netzwerk": [
        (
            Visibility.PUBLIC,
            (
                "Druckertreiber installieren",
                "Laden Sie den Druckertreiber aus dem Downloadbereich und starten Sie die "
                "Installation als Administrator. Danach den Drucker neu starten.",
            ),
            (
                "Installing the printer driver",
                "Download the printer driver from the download area and run the "
                "installation as an administrator. Then restart the printer.",
            ),
        ),
        (
            Visibility.CUSTOMERS,
            (
                "VPN-Verbindung bricht ab",
                "Prüfen Sie, ob der VPN-Client aktuell ist, und wechseln Sie testweise "
                "in ein anderes WLAN.",
            ),
            None,
        ),
        (
            Visibility.INTERNAL,
            (
                "Hotline: Druckserver neu starten",
                "Nur für den Service Desk: Druckserver über die Konsole neu starten und "
                "die Warteschlangen prüfen.",
            ),
            None,
        ),
    ],
    "Tickets": [
        (
            Visibility.PUBLIC,
            (
                "Welche Priorität wähle ich für mein Ticket?",
                "P1 bedeutet Stillstand der Produktion, P2 eine starke Einschränkung, P3 "
                "eine Einschränkung mit Umgehung und P4 eine Frage oder einen Wunsch.",
            ),
            (
                "Which priority should my ticket have?",
                "P1 means production is down, P2 a severe restriction, P3 a restriction "
                "with a workaround and P4 a question or request.",
            ),
        ),
    ],
}


async def seed_demo(runtime: Runtime) -> list[str]:
    uow = cast(FaqUoW, runtime.uow())
    async with uow:
        if await uow.content.categories():
            return []
    count = 0
    for position, (name, articles) in enumerate(ARTICLES.items()):
        category = await service.create_category(
            uow=cast(FaqUoW, runtime.uow()), data=CategoryCreate(name=name, position=position)
        )
        for visibility, (title, body), english in articles:
            article = await service.create_article(
                uow=cast(FaqUoW, runtime.uow()),
                actor=AUTHOR,
                data=ArticleCreate(
                    title=title,
                    body=body,
                    category_id=category.id,
                    language="de",
                    visibility=visibility,
                    state=State.PUBLISHED,
                ),
            )
            if english:
                await service.update_article(
                    uow=cast(FaqUoW, runtime.uow()),
                    actor=AUTHOR,
                    article_id=article.id,
                    data=ArticleUpdate(language="en", title=english[0], body=english[1]),
                )
            count += 1
    return [f"{count} FAQ articles in {len(ARTICLES)} categories"]

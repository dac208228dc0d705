"""The help-article pages."""

from __future__ import annotations

EN: dict[str, str] = {
    "faq_categories": "Categories",
    "faq_all": "All articles",
    "faq_search": "Search the help articles",
    "faq_search_hint": "e.g. reset password",
    "faq_sort": "Sort by",
    "faq_sort_newest": "newest",
    "faq_sort_popular": "most viewed",
    "faq_sort_helpful": "most helpful",
    "faq_found": "{n} articles found",
    "faq_views": "{n} views",
    "faq_internal": "internal",
    "faq_draft": "draft",
    "faq_nothing": "No article matches. Try other words, or open a ticket.",
    "faq_empty": "There are no articles here yet.",
    "faq_helpful_q": "Was this article helpful?",
    "faq_thanks": "Thank you for your feedback.",
    "faq_sign_in_to_vote": "Sign in to tell us whether this helped.",
    "faq_related": "Related articles",
    "faq_missing": "This article does not exist or is not available to you.",
}

DE: dict[str, str] = {
    "faq_categories": "Kategorien",
    "faq_all": "Alle Artikel",
    "faq_search": "Hilfeartikel durchsuchen",
    "faq_search_hint": "z. B. Passwort zurücksetzen",
    "faq_sort": "Sortieren nach",
    "faq_sort_newest": "neueste",
    "faq_sort_popular": "meistgelesen",
    "faq_sort_helpful": "hilfreichste",
    "faq_found": "{n} Artikel gefunden",
    "faq_views": "{n}-mal gelesen",
    "faq_internal": "intern",
    "faq_draft": "Entwurf",
    "faq_nothing": "Kein Artikel passt. Versuchen Sie andere Wörter oder eröffnen Sie ein Ticket.",
    "faq_empty": "Hier gibt es noch keine Artikel.",
    "faq_helpful_q": "War dieser Artikel hilfreich?",
    "faq_thanks": "Danke für Ihre Rückmeldung.",
    "faq_sign_in_to_vote": "Melden Sie sich an, um uns zu sagen, ob das geholfen hat.",
    "faq_related": "Verwandte Artikel",
    "faq_missing": "Diesen Artikel gibt es nicht, oder er ist für Sie nicht verfügbar.",
}

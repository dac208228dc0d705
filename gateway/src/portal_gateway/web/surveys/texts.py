"""Satisfaction surveys: the page behind the mailed link, the offer on a closed ticket,
the rating on the desk's pages and the report, and the profile's opt-out."""

from __future__ import annotations

EN: dict[str, str] = {
    "survey_title": "How satisfied are you?",
    "survey_intro": "Your ticket {number} “{title}” was closed. Please tell us how satisfied "
    "you are with our service.",
    "survey_question": "How satisfied are you with how your request was handled?",
    "survey_rating_1": "very dissatisfied",
    "survey_rating_2": "dissatisfied",
    "survey_rating_3": "neither satisfied nor dissatisfied",
    "survey_rating_4": "satisfied",
    "survey_rating_5": "very satisfied",
    "survey_comment": "Comment (optional)",
    "survey_comment_hint": "What went well, what could we do better? At most 2000 characters.",
    "survey_send": "Send rating",
    "survey_change": "Change rating",
    "survey_thanks": "Thank you! Your rating was saved.",
    "survey_changed": "Your rating was changed.",
    "survey_your_rating": "Your rating: {rating} of 5 ({words}).",
    "survey_changeable_until": "You can change it until {time}.",
    "survey_open_until": "You can answer until {time}.",
    "survey_closed": "This survey is closed; answers can be changed for 7 days after they "
    "were given.",
    "survey_unanswered_closed": "This survey is closed; it was not answered.",
    "survey_err_rating": "Choose a rating from 1 to 5.",
    "survey_gone_title": "This survey link is no longer valid",
    "survey_gone": "The link is unknown, or it expired: an answer can be changed for 7 days "
    "after it was given. Signed-in customers find their rating on the ticket.",
    "survey_unavailable": "The survey cannot be shown right now. Please try again shortly.",
    "survey_ticket_heading": "Your rating",
    "survey_desk_rating": "Customer rating",
    "survey_desk_none": "not rated yet",
    "survey_desk_value": "{rating} of 5 ({words})",
    "survey_desk_comment": "Customer comment",
    "td_done_survey": "Thank you! Your rating was saved.",
    "survey_profile_opt_out": "Do not send me satisfaction surveys when my tickets are closed",
    "survey_report_answers": "Ratings",
    "survey_report_csat": "Satisfied (4-5)",
    "survey_report_average": "Average rating",
    "survey_report_months": "Customer satisfaction per month",
    "survey_report_months_caption": "Ratings first given from {since} to {until}, by month",
    "survey_report_month": "Month",
    "survey_report_no_answers": "No ratings in this period.",
    "survey_report_note": "Satisfied: ratings of 4 or 5 of all ratings first given in the "
    "period, counted for the organization, agent group and agent of the ticket when it was "
    "closed.",
}

DE: dict[str, str] = {
    "survey_title": "Wie zufrieden sind Sie?",
    "survey_intro": "Ihr Ticket {number} „{title}“ wurde geschlossen. Bitte sagen Sie uns, "
    "wie zufrieden Sie mit unserem Service sind.",
    "survey_question": "Wie zufrieden sind Sie mit der Bearbeitung Ihrer Anfrage?",
    "survey_rating_1": "sehr unzufrieden",
    "survey_rating_2": "unzufrieden",
    "survey_rating_3": "weder zufrieden noch unzufrieden",
    "survey_rating_4": "zufrieden",
    "survey_rating_5": "sehr zufrieden",
    "survey_comment": "Kommentar (freiwillig)",
    "survey_comment_hint": "Was war gut, was können wir besser machen? Höchstens 2000 Zeichen.",
    "survey_send": "Bewertung senden",
    "survey_change": "Bewertung ändern",
    "survey_thanks": "Vielen Dank! Ihre Bewertung wurde gespeichert.",
    "survey_changed": "Ihre Bewertung wurde geändert.",
    "survey_your_rating": "Ihre Bewertung: {rating} von 5 ({words}).",
    "survey_changeable_until": "Sie können sie bis {time} ändern.",
    "survey_open_until": "Sie können bis {time} antworten.",
    "survey_closed": "Diese Umfrage ist abgeschlossen; eine Antwort kann 7 Tage lang "
    "geändert werden.",
    "survey_unanswered_closed": "Diese Umfrage ist abgeschlossen; sie wurde nicht beantwortet.",
    "survey_err_rating": "Wählen Sie eine Bewertung von 1 bis 5.",
    "survey_gone_title": "Dieser Umfragelink gilt nicht mehr",
    "survey_gone": "Der Link ist unbekannt oder abgelaufen: Eine Antwort kann 7 Tage lang "
    "geändert werden. Angemeldet finden Sie Ihre Bewertung im Ticket.",
    "survey_unavailable": "Die Umfrage kann gerade nicht angezeigt werden. Bitte versuchen "
    "Sie es gleich noch einmal.",
    "survey_ticket_heading": "Ihre Bewertung",
    "survey_desk_rating": "Bewertung des Kunden",
    "survey_desk_none": "noch nicht bewertet",
    "survey_desk_value": "{rating} von 5 ({words})",
    "survey_desk_comment": "Kommentar des Kunden",
    "td_done_survey": "Vielen Dank! Ihre Bewertung wurde gespeichert.",
    "survey_profile_opt_out": "Keine Zufriedenheitsumfragen senden, wenn meine Tickets "
    "geschlossen werden",
    "survey_report_answers": "Bewertungen",
    "survey_report_csat": "Zufrieden (4-5)",
    "survey_report_average": "Durchschnittliche Bewertung",
    "survey_report_months": "Kundenzufriedenheit je Monat",
    "survey_report_months_caption": "Vom {since} bis {until} erstmals abgegebene Bewertungen, "
    "je Monat",
    "survey_report_month": "Monat",
    "survey_report_no_answers": "Keine Bewertungen in diesem Zeitraum.",
    "survey_report_note": "Zufrieden: Bewertungen mit 4 oder 5 unter allen im Zeitraum "
    "erstmals abgegebenen, gezählt für Organisation, Agentengruppe und Agent des Tickets beim "
    "Schließen.",
}

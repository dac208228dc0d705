"""The desk's work page, continued: text modules in the reply box, linked tickets,
merging a duplicate, and the agent group."""

from __future__ import annotations

EN: dict[str, str] = {
    # Text modules in the reply box.
    "work_tm_heading": "Insert a text module",
    "work_tm_search": "Search text modules",
    "work_tm_search_hint": (
        "Name, keyword or a word of the text. Choose one to insert it where the cursor is."
    ),
    "work_tm_language": "Language of the text modules",
    "work_tm_lang_de": "German",
    "work_tm_lang_en": "English",
    "work_tm_results": "Matching text modules",
    "work_tm_found_none": "No text module found.",
    "work_tm_choose": "Text module",
    "work_tm_choose_none": "— choose one —",
    "work_tm_insert": "Insert",
    "work_tm_sets": "sets",
    "work_tm_inserted": "“{name}” was inserted. Read it through before sending.",
    "work_tm_none": "There are no text modules yet; administrators write them.",
    "work_tm_pick": "Choose a text module to insert.",
    "work_tm_gone": "This text module does not exist (any more).",
    "work_tm_failed": "The text module could not be filled in for this ticket.",
    "work_tm_also": "When the message is sent (from the text module)",
    "work_tm_set_status": "also set the status to",
    "work_tm_set_priority": "also set the priority to",
    # Linked tickets.
    "work_links_heading": "Linked tickets",
    "work_links_none": "No linked tickets.",
    "work_link_kind_related": "Related",
    "work_link_kind_merged_into": "Merged into",
    "work_link_kind_merged_from": "Merged into this one",
    "work_link_kind_follow_up_of": "Continues",
    "work_link_kind_follow_up": "Continued in",
    "work_link_remove": "Remove link",
    "work_link_remove_to": "Remove the link to {number}",
    "work_link_add": "Link a ticket",
    "work_link_number": "Number of the related ticket",
    "work_link_number_hint": "For example T000123. The link shows on both tickets.",
    "work_link_submit": "Link",
    "work_number_missing": "Enter a ticket number, for example T000123.",
    "work_link_err_unknown": "There is no ticket {number}.",
    "work_link_err_self": "A ticket cannot be linked to itself.",
    "work_link_err_merge": "A merge cannot be undone by removing its link.",
    "work_done_linked": "The tickets are linked.",
    "work_done_unlinked": "The link was removed.",
    # Merging a duplicate.
    "work_merge": "Merge this duplicate into another ticket",
    "work_merge_into": "Number of the ticket to merge into",
    "work_merge_hint": (
        "Its messages, attachments and followers move there and this ticket is closed. "
        "You confirm in the next step."
    ),
    "work_merge_submit": "Merge into …",
    "work_merge_title": "Merge {number} into {into}?",
    "work_merge_what": (
        "Messages, attachments and followers of {number} move to {into}; {number} is closed."
    ),
    "work_merge_undo": "A merge cannot be undone.",
    "work_merge_source": "The duplicate",
    "work_merge_target": "Continues in",
    "work_merge_confirm": "Merge {number} into {into}",
    "work_merge_cancel": "Cancel",
    "work_merge_err_unknown_ticket": "There is no ticket {into}.",
    "work_merge_err_self_merge": "A ticket cannot be merged into itself.",
    "work_merge_err_other_organization": (
        "{into} belongs to another organization than {number}; only tickets of the same "
        "organization can be merged."
    ),
    "work_merge_err_closed": "{into} is closed; merge into an open ticket.",
    "work_merge_err_merged": (
        "{into} was merged into another ticket itself; merge into that one instead."
    ),
    "work_merge_err_source": (
        "{number} is closed or was merged already; only an open ticket can be merged."
    ),
    "work_merged_into": "Merged into",
    "work_merged_note": (
        "The conversation continues there. This ticket is closed and takes no more messages."
    ),
    "work_done_merged": (
        "The duplicate was merged into this ticket: its messages, attachments and followers "
        "are here now."
    ),
    # The agent group.
    "work_group": "Group",
    "work_no_group": "no group",
    "work_err_unknown_group": "Choose a group from the list.",
}

DE: dict[str, str] = {
    # Textbausteine im Antwortfeld.
    "work_tm_heading": "Textbaustein einfügen",
    "work_tm_search": "Textbausteine suchen",
    "work_tm_search_hint": (
        "Name, Stichwort oder ein Wort des Textes. Der gewählte wird an der Cursorposition "
        "eingefügt."
    ),
    "work_tm_language": "Sprache der Textbausteine",
    "work_tm_lang_de": "Deutsch",
    "work_tm_lang_en": "Englisch",
    "work_tm_results": "Passende Textbausteine",
    "work_tm_found_none": "Kein Textbaustein gefunden.",
    "work_tm_choose": "Textbaustein",
    "work_tm_choose_none": "— bitte wählen —",
    "work_tm_insert": "Einfügen",
    "work_tm_sets": "setzt",
    "work_tm_inserted": "„{name}“ wurde eingefügt. Lesen Sie ihn vor dem Senden durch.",
    "work_tm_none": "Es gibt noch keine Textbausteine; Administratoren legen sie an.",
    "work_tm_pick": "Wählen Sie einen Textbaustein zum Einfügen.",
    "work_tm_gone": "Diesen Textbaustein gibt es nicht (mehr).",
    "work_tm_failed": "Der Textbaustein konnte für dieses Ticket nicht ausgefüllt werden.",
    "work_tm_also": "Beim Senden der Nachricht (aus dem Textbaustein)",
    "work_tm_set_status": "auch den Status setzen auf",
    "work_tm_set_priority": "auch die Priorität setzen auf",
    # Verknüpfte Tickets.
    "work_links_heading": "Verknüpfte Tickets",
    "work_links_none": "Keine verknüpften Tickets.",
    "work_link_kind_related": "Verwandt",
    "work_link_kind_merged_into": "Zusammengeführt in",
    "work_link_kind_merged_from": "Hierher zusammengeführt",
    "work_link_kind_follow_up_of": "Setzt fort",
    "work_link_kind_follow_up": "Fortgesetzt in",
    "work_link_remove": "Verknüpfung entfernen",
    "work_link_remove_to": "Die Verknüpfung mit {number} entfernen",
    "work_link_add": "Ticket verknüpfen",
    "work_link_number": "Nummer des verwandten Tickets",
    "work_link_number_hint": "Zum Beispiel T000123. Die Verknüpfung erscheint bei beiden Tickets.",
    "work_link_submit": "Verknüpfen",
    "work_number_missing": "Geben Sie eine Ticketnummer ein, zum Beispiel T000123.",
    "work_link_err_unknown": "Ein Ticket {number} gibt es nicht.",
    "work_link_err_self": "Ein Ticket kann nicht mit sich selbst verknüpft werden.",
    "work_link_err_merge": (
        "Eine Zusammenführung lässt sich nicht durch Entfernen ihrer Verknüpfung rückgängig machen."
    ),
    "work_done_linked": "Die Tickets sind verknüpft.",
    "work_done_unlinked": "Die Verknüpfung wurde entfernt.",
    # Ein Duplikat zusammenführen.
    "work_merge": "Dieses Duplikat in ein anderes Ticket zusammenführen",
    "work_merge_into": "Nummer des Tickets, in das zusammengeführt wird",
    "work_merge_hint": (
        "Seine Nachrichten, Anhänge und Follower wandern dorthin, und dieses Ticket wird "
        "geschlossen. Sie bestätigen im nächsten Schritt."
    ),
    "work_merge_submit": "Zusammenführen in …",
    "work_merge_title": "{number} in {into} zusammenführen?",
    "work_merge_what": (
        "Nachrichten, Anhänge und Follower von {number} wandern zu {into}; {number} wird "
        "geschlossen."
    ),
    "work_merge_undo": "Eine Zusammenführung lässt sich nicht rückgängig machen.",
    "work_merge_source": "Das Duplikat",
    "work_merge_target": "Wird fortgesetzt in",
    "work_merge_confirm": "{number} in {into} zusammenführen",
    "work_merge_cancel": "Abbrechen",
    "work_merge_err_unknown_ticket": "Ein Ticket {into} gibt es nicht.",
    "work_merge_err_self_merge": "Ein Ticket kann nicht in sich selbst zusammengeführt werden.",
    "work_merge_err_other_organization": (
        "{into} gehört zu einer anderen Organisation als {number}; zusammenführen lassen sich "
        "nur Tickets derselben Organisation."
    ),
    "work_merge_err_closed": "{into} ist geschlossen; führen Sie in ein offenes Ticket zusammen.",
    "work_merge_err_merged": (
        "{into} wurde selbst schon in ein anderes Ticket zusammengeführt; führen Sie "
        "stattdessen in jenes zusammen."
    ),
    "work_merge_err_source": (
        "{number} ist geschlossen oder wurde schon zusammengeführt; zusammenführen lässt sich "
        "nur ein offenes Ticket."
    ),
    "work_merged_into": "Zusammengeführt in",
    "work_merged_note": (
        "Die Bearbeitung geht dort weiter. Dieses Ticket ist geschlossen und nimmt keine "
        "Nachrichten mehr an."
    ),
    "work_done_merged": (
        "Das Duplikat wurde in dieses Ticket zusammengeführt: Seine Nachrichten, Anhänge und "
        "Follower sind jetzt hier."
    ),
    # Die Gruppe.
    "work_group": "Gruppe",
    "work_no_group": "keine Gruppe",
    "work_err_unknown_group": "Wählen Sie eine Gruppe aus der Liste.",
}

"""The file exchange pages: one's shares, and the public page behind a link."""

from __future__ import annotations

EN: dict[str, str] = {
    "exchange_intro": (
        "Share large files with people who have no account: create a link, send it, and "
        "they download or upload through it until it expires or you revoke it."
    ),
    "exchange_new": "New share",
    "exchange_name": "Name or purpose",
    "exchange_expires_in": "The link works for",
    "exchange_days_one": "{n} day",
    "exchange_days_other": "{n} days",
    "exchange_password_optional": "Password (optional)",
    "exchange_password_hint": (
        "At least 6 characters. Tell it to the recipients another way than the link."
    ),
    "exchange_allow": "Through the link, recipients may",
    "exchange_allow_upload": "upload files",
    "exchange_allow_download": "download files",
    "exchange_allow_one": "Allow uploads, downloads or both.",
    "exchange_download_limit": "Download limit (optional)",
    "exchange_number_needed": "Enter a whole number.",
    "exchange_create": "Create the link",
    "exchange_mine": "Your shares",
    "exchange_none": "You have not shared anything yet.",
    "exchange_state": "State",
    "exchange_state_active": "active",
    "exchange_state_expired": "expired",
    "exchange_state_revoked": "revoked",
    "exchange_state_exhausted": "download limit reached",
    "exchange_expires": "Expires",
    "exchange_created": "Created",
    "exchange_allowed": "Allowed",
    "exchange_downloads": "Downloads",
    "exchange_protected": "password protected",
    "exchange_fact_password": "Password",
    "exchange_fact_upload": "Uploads allowed",
    "exchange_fact_download": "Downloads allowed",
    "exchange_link": "The link to send",
    "exchange_link_once": (
        "It is shown only now: the portal keeps no copy. Copy it and send it to the recipients."
    ),
    "exchange_copy": "Copy the link",
    "exchange_copied": "The link is copied.",
    "exchange_copy_failed": "Copying did not work. Select the link and copy it yourself.",
    "exchange_revoke": "Revoke the link",
    "exchange_revoke_hint": "A revoked link stops working at once, for everyone.",
    "exchange_done_revoked": "The link is revoked.",
    "exchange_done_uploaded": "The file is uploaded.",
    "exchange_files": "Files",
    "exchange_file_name": "File",
    "exchange_file_size": "Size",
    "exchange_file_added": "Added",
    "exchange_no_files": "No files yet.",
    "exchange_add_files": "Add files",
    "exchange_file": "File",
    "exchange_upload_hint": "Choose a file; with script you can choose several or drop them here.",
    "exchange_upload": "Upload",
    "exchange_choose_file": "Choose a file to upload.",
    "exchange_max_size": "Each file can have up to {size}.",
    "exchange_log": "Access log",
    "exchange_log_empty": "Nobody has used the link yet.",
    "exchange_log_at": "When",
    "exchange_log_action": "Action",
    "exchange_log_outcome": "Outcome",
    "exchange_log_address": "Address",
    "exchange_action_view": "opened",
    "exchange_action_upload": "upload",
    "exchange_action_download": "download",
    "exchange_outcome_ok": "done",
    "exchange_outcome_expired": "link expired",
    "exchange_outcome_throttled": "blocked (too many wrong passwords)",
    "exchange_outcome_wrong_password": "wrong password",
    "exchange_outcome_not_allowed": "not allowed",
    "exchange_outcome_limit_reached": "download limit reached",
    "exchange_missing": "This share does not exist or is not yours.",
    "exchange_public_intro": "Files shared with you through the customer service portal.",
    "exchange_public_expires": "The link works until",
    "exchange_downloads_left_one": "{n} download left.",
    "exchange_downloads_left_other": "{n} downloads left.",
    "exchange_exhausted": (
        "This link has reached its download limit: the files below can no longer be "
        "downloaded. Ask the person who sent it for a new link."
    ),
    "exchange_file_gone": (
        "This file is no longer available through this link. The files it still offers "
        "are listed below."
    ),
    "exchange_protected_title": "This link is protected",
    "exchange_protected_intro": "Enter the password you were given together with the link.",
    "exchange_password_missing": "Enter the password.",
    "exchange_unlock": "Open",
    "exchange_gone_title": "This link does not work",
    "exchange_gone": (
        "The link is mistyped, has expired, was revoked or has reached its download limit. "
        "Ask the person who sent it for a new one."
    ),
}

DE: dict[str, str] = {
    "exchange_intro": (
        "Teilen Sie große Dateien mit Personen ohne Konto: Erstellen Sie einen Link, "
        "schicken Sie ihn, und über ihn wird herunter- oder hochgeladen, bis er abläuft oder "
        "Sie ihn widerrufen."
    ),
    "exchange_new": "Neue Freigabe",
    "exchange_name": "Name oder Zweck",
    "exchange_expires_in": "Der Link funktioniert",
    "exchange_days_one": "{n} Tag",
    "exchange_days_other": "{n} Tage",
    "exchange_password_optional": "Passwort (optional)",
    "exchange_password_hint": (
        "Mindestens 6 Zeichen. Teilen Sie es den Empfängern auf anderem Weg mit als den Link."
    ),
    "exchange_allow": "Über den Link dürfen Empfänger",
    "exchange_allow_upload": "Dateien hochladen",
    "exchange_allow_download": "Dateien herunterladen",
    "exchange_allow_one": "Erlauben Sie Hochladen, Herunterladen oder beides.",
    "exchange_download_limit": "Höchstzahl an Downloads (optional)",
    "exchange_number_needed": "Geben Sie eine ganze Zahl ein.",
    "exchange_create": "Link erstellen",
    "exchange_mine": "Ihre Freigaben",
    "exchange_none": "Sie haben noch nichts freigegeben.",
    "exchange_state": "Zustand",
    "exchange_state_active": "aktiv",
    "exchange_state_expired": "abgelaufen",
    "exchange_state_revoked": "widerrufen",
    "exchange_state_exhausted": "Höchstzahl an Downloads erreicht",
    "exchange_expires": "Läuft ab",
    "exchange_created": "Erstellt",
    "exchange_allowed": "Erlaubt",
    "exchange_downloads": "Downloads",
    "exchange_protected": "passwortgeschützt",
    "exchange_fact_password": "Passwort",
    "exchange_fact_upload": "Hochladen erlaubt",
    "exchange_fact_download": "Herunterladen erlaubt",
    "exchange_link": "Der Link zum Verschicken",
    "exchange_link_once": (
        "Er wird nur jetzt angezeigt: Das Portal behält keine Kopie. Kopieren Sie ihn und "
        "schicken Sie ihn den Empfängern."
    ),
    "exchange_copy": "Link kopieren",
    "exchange_copied": "Der Link ist kopiert.",
    "exchange_copy_failed": (
        "Das Kopieren hat nicht geklappt. Markieren Sie den Link und kopieren Sie ihn selbst."
    ),
    "exchange_revoke": "Link widerrufen",
    "exchange_revoke_hint": "Ein widerrufener Link funktioniert sofort für niemanden mehr.",
    "exchange_done_revoked": "Der Link ist widerrufen.",
    "exchange_done_uploaded": "Die Datei ist hochgeladen.",
    "exchange_files": "Dateien",
    "exchange_file_name": "Datei",
    "exchange_file_size": "Größe",
    "exchange_file_added": "Hinzugefügt",
    "exchange_no_files": "Noch keine Dateien.",
    "exchange_add_files": "Dateien hinzufügen",
    "exchange_file": "Datei",
    "exchange_upload_hint": (
        "Wählen Sie eine Datei; mit Skript können Sie mehrere wählen oder hierher ziehen."
    ),
    "exchange_upload": "Hochladen",
    "exchange_choose_file": "Wählen Sie eine Datei zum Hochladen.",
    "exchange_max_size": "Jede Datei darf bis zu {size} groß sein.",
    "exchange_log": "Zugriffsprotokoll",
    "exchange_log_empty": "Noch niemand hat den Link benutzt.",
    "exchange_log_at": "Wann",
    "exchange_log_action": "Aktion",
    "exchange_log_outcome": "Ergebnis",
    "exchange_log_address": "Adresse",
    "exchange_action_view": "geöffnet",
    "exchange_action_upload": "Hochladen",
    "exchange_action_download": "Herunterladen",
    "exchange_outcome_ok": "erledigt",
    "exchange_outcome_expired": "Link abgelaufen",
    "exchange_outcome_throttled": "gesperrt (zu viele falsche Passwörter)",
    "exchange_outcome_wrong_password": "falsches Passwort",
    "exchange_outcome_not_allowed": "nicht erlaubt",
    "exchange_outcome_limit_reached": "Höchstzahl an Downloads erreicht",
    "exchange_missing": "Diese Freigabe gibt es nicht oder sie gehört nicht Ihnen.",
    "exchange_public_intro": "Dateien, die über das Kundenportal mit Ihnen geteilt werden.",
    "exchange_public_expires": "Der Link funktioniert bis",
    "exchange_downloads_left_one": "Noch {n} Download möglich.",
    "exchange_downloads_left_other": "Noch {n} Downloads möglich.",
    "exchange_exhausted": (
        "Dieser Link hat die Höchstzahl an Downloads erreicht: Die Dateien unten lassen sich "
        "nicht mehr herunterladen. Bitten Sie die Person, die ihn geschickt hat, um einen "
        "neuen Link."
    ),
    "exchange_file_gone": (
        "Diese Datei ist über diesen Link nicht mehr erhältlich. Die Dateien, die er noch "
        "anbietet, stehen unten."
    ),
    "exchange_protected_title": "Dieser Link ist geschützt",
    "exchange_protected_intro": "Geben Sie das Passwort ein, das Sie mit dem Link bekommen haben.",
    "exchange_password_missing": "Geben Sie das Passwort ein.",
    "exchange_unlock": "Öffnen",
    "exchange_gone_title": "Dieser Link funktioniert nicht",
    "exchange_gone": (
        "Der Link ist falsch geschrieben, abgelaufen, widerrufen oder hat die Höchstzahl an "
        "Downloads erreicht. Bitten Sie die Person, die ihn geschickt hat, um einen neuen."
    ),
}

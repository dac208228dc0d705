"""The profile's sign-ins (`/account/sessions`) and the switch of the mail about a
sign-in from a new device."""

from __future__ import annotations

EN: dict[str, str] = {
    "sessions_title": "Your sign-ins",
    "profile_sessions_link": "Show and end",
    "sessions_intro": (
        "Browsers and programs signed in to your account. End a sign-in you do not "
        "recognise, then change your password."
    ),
    "sessions_caption": "Signed-in browsers and programs, most recently used first",
    "sessions_device": "Device",
    "sessions_address": "Address",
    "sessions_started": "Signed in",
    "sessions_last_used": "Last used",
    "sessions_remember": "Remember me",
    "sessions_actions": "Action",
    "sessions_unknown_device": "Unknown browser",
    "sessions_this_device": "This device",
    "sessions_second_factor": "with a second factor",
    "sessions_end": "End session",
    "sessions_end_label": "End the sign-in of {device} from {address}",
    "sessions_end_this": "Sign out here",
    "sessions_end_others": "Sign out all other sessions",
    "sessions_none_others": "You are signed in on this device only.",
    "sessions_done_ended": "The sign-in is ended. That device must sign in again.",
    "sessions_done_others": "All other sign-ins are ended. Only this device stays signed in.",
    "sessions_done_gone": "This sign-in has ended already.",
    "sessions_unavailable": "Your sign-ins cannot be shown right now. Please try again shortly.",
    "account_pref_new_sign_in": "A sign-in to my account from a new device",
}

DE: dict[str, str] = {
    "sessions_title": "Ihre Anmeldungen",
    "profile_sessions_link": "Anzeigen und beenden",
    "sessions_intro": (
        "Browser und Programme, die bei Ihrem Konto angemeldet sind. Beenden Sie eine "
        "Anmeldung, die Sie nicht kennen, und ändern Sie dann Ihr Passwort."
    ),
    "sessions_caption": "Angemeldete Browser und Programme, zuletzt genutzte zuerst",
    "sessions_device": "Gerät",
    "sessions_address": "Adresse",
    "sessions_started": "Angemeldet",
    "sessions_last_used": "Zuletzt genutzt",
    "sessions_remember": "Angemeldet bleiben",
    "sessions_actions": "Aktion",
    "sessions_unknown_device": "Unbekannter Browser",
    "sessions_this_device": "Dieses Gerät",
    "sessions_second_factor": "mit zweitem Faktor",
    "sessions_end": "Sitzung beenden",
    "sessions_end_label": "Die Anmeldung von {device} über {address} beenden",
    "sessions_end_this": "Hier abmelden",
    "sessions_end_others": "Alle anderen Sitzungen abmelden",
    "sessions_none_others": "Sie sind nur auf diesem Gerät angemeldet.",
    "sessions_done_ended": "Die Anmeldung ist beendet. Dieses Gerät muss sich neu anmelden.",
    "sessions_done_others": (
        "Alle anderen Anmeldungen sind beendet. Nur dieses Gerät bleibt angemeldet."
    ),
    "sessions_done_gone": "Diese Anmeldung ist bereits beendet.",
    "sessions_unavailable": (
        "Ihre Anmeldungen können gerade nicht angezeigt werden. Bitte versuchen Sie es gleich "
        "noch einmal."
    ),
    "account_pref_new_sign_in": "Eine Anmeldung bei meinem Konto von einem neuen Gerät",
}

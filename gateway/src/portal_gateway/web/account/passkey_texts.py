"""Passkeys: signing in with one (the sign-in page, the second step) and managing them
on `/account/security`; the messages the page's script shows come from here too."""

from __future__ import annotations

EN: dict[str, str] = {
    # Signing in.
    "passkey_or": "or",
    "passkey_sign_in": "Sign in with a passkey",
    "passkey_use_instead": "Use a passkey instead",
    "passkey_confirm": "Confirm with your passkey",
    "passkey_step_hint": (
        "Your account is protected with a passkey. Confirm the sign-in with it, for "
        "example with your fingerprint, face, screen lock or security key."
    ),
    "passkey_waiting": "Follow your browser's prompt to use your passkey.",
    "passkey_done": "Done. One moment, please.",
    "passkey_cancelled": "The passkey was not used (cancelled or timed out). Try again when ready.",
    "passkey_unsupported": (
        "This browser does not support passkeys. Use your password, or another browser."
    ),
    "passkey_refused": "This passkey was not accepted. Try again, or sign in another way.",
    "passkey_expired": "That took too long. Please try again.",
    "passkey_failed": "Something went wrong with the passkey. Please try again.",
    "passkey_needs_script": "Passkeys need JavaScript to be switched on in the browser.",
    # On /account/security.
    "passkeys_title": "Passkeys",
    "passkeys_intro": (
        "A passkey signs you in without a password: your device confirms it is you with "
        "its screen lock, fingerprint or face, or with a security key. After your password "
        "it also counts as your second factor."
    ),
    "passkeys_none": "You have no passkeys yet.",
    "passkeys_caption": "Your passkeys",
    "passkeys_name": "Name",
    "passkeys_created": "Added",
    "passkeys_last_used": "Last used",
    "passkeys_never": "never",
    "passkeys_actions": "Actions",
    "passkeys_remove": "Remove",
    "passkeys_remove_named": "Remove the passkey {name}",
    "passkeys_add_title": "Add a passkey",
    "passkeys_add_hint": (
        "Give it a name you will recognise, e.g. \u201cLaptop\u201d, confirm with your "
        "current password, then follow your browser."
    ),
    "passkeys_name_label": "Name of the passkey",
    "passkeys_name_missing": "Enter a name for the passkey.",
    "passkeys_add": "Add a passkey",
    "passkeys_exists": "This device holds a passkey for your account already.",
    "passkeys_too_many": "You have as many passkeys as allowed. Remove one first.",
    "passkeys_throttled": "Too many attempts. Wait a few minutes, then try again.",
    "security_done_passkey_added": "The passkey is added. You can sign in with it now.",
    "security_done_passkey_removed": "The passkey is removed.",
    "passkeys_remove_title": "Remove a passkey",
    "passkeys_remove_intro": (
        "Remove the passkey \u201c{name}\u201d? It then no longer signs you in, neither alone "
        "nor after your password."
    ),
    "passkeys_remove_confirm": "Remove the passkey",
    "passkeys_missing": "This passkey does not exist (any more).",
}

DE: dict[str, str] = {
    "passkey_or": "oder",
    "passkey_sign_in": "Mit einem Passkey anmelden",
    "passkey_use_instead": "Stattdessen einen Passkey verwenden",
    "passkey_confirm": "Mit Ihrem Passkey bestätigen",
    "passkey_step_hint": (
        "Ihr Konto ist mit einem Passkey geschützt. Bestätigen Sie die Anmeldung damit, "
        "etwa mit Fingerabdruck, Gesicht, Bildschirmsperre oder Sicherheitsschlüssel."
    ),
    "passkey_waiting": "Folgen Sie der Aufforderung Ihres Browsers, um Ihren Passkey zu verwenden.",
    "passkey_done": "Erledigt. Einen Moment bitte.",
    "passkey_cancelled": (
        "Der Passkey wurde nicht verwendet (abgebrochen oder Zeit abgelaufen). Versuchen Sie "
        "es erneut, wenn Sie bereit sind."
    ),
    "passkey_unsupported": (
        "Dieser Browser unterstützt keine Passkeys. Verwenden Sie Ihr Passwort oder einen "
        "anderen Browser."
    ),
    "passkey_refused": (
        "Dieser Passkey wurde nicht angenommen. Versuchen Sie es erneut oder melden Sie sich "
        "anders an."
    ),
    "passkey_expired": "Das hat zu lange gedauert. Bitte versuchen Sie es erneut.",
    "passkey_failed": "Mit dem Passkey ist etwas schiefgegangen. Bitte versuchen Sie es erneut.",
    "passkey_needs_script": "Passkeys brauchen im Browser eingeschaltetes JavaScript.",
    "passkeys_title": "Passkeys",
    "passkeys_intro": (
        "Ein Passkey meldet Sie ohne Passwort an: Ihr Gerät bestätigt mit Bildschirmsperre, "
        "Fingerabdruck oder Gesicht, dass Sie es sind, oder ein Sicherheitsschlüssel tut es. "
        "Nach Ihrem Passwort gilt er auch als Ihr zweiter Faktor."
    ),
    "passkeys_none": "Sie haben noch keine Passkeys.",
    "passkeys_caption": "Ihre Passkeys",
    "passkeys_name": "Name",
    "passkeys_created": "Hinzugefügt",
    "passkeys_last_used": "Zuletzt verwendet",
    "passkeys_never": "nie",
    "passkeys_actions": "Aktionen",
    "passkeys_remove": "Entfernen",
    "passkeys_remove_named": "Den Passkey {name} entfernen",
    "passkeys_add_title": "Passkey hinzufügen",
    "passkeys_add_hint": (
        "Geben Sie ihm einen Namen, den Sie wiedererkennen, z. B. \u201eLaptop\u201c, "
        "bestätigen Sie mit Ihrem aktuellen Passwort und folgen Sie dann Ihrem Browser."
    ),
    "passkeys_name_label": "Name des Passkeys",
    "passkeys_name_missing": "Geben Sie einen Namen für den Passkey ein.",
    "passkeys_add": "Passkey hinzufügen",
    "passkeys_exists": "Auf diesem Gerät gibt es schon einen Passkey für Ihr Konto.",
    "passkeys_too_many": "Sie haben so viele Passkeys wie erlaubt. Entfernen Sie zuerst einen.",
    "passkeys_throttled": (
        "Zu viele Versuche. Warten Sie einige Minuten und versuchen Sie es dann erneut."
    ),
    "security_done_passkey_added": (
        "Der Passkey ist hinzugefügt. Sie können sich jetzt damit anmelden."
    ),
    "security_done_passkey_removed": "Der Passkey ist entfernt.",
    "passkeys_remove_title": "Passkey entfernen",
    "passkeys_remove_intro": (
        "Den Passkey \u201e{name}\u201c entfernen? Danach meldet er Sie nicht mehr an, weder "
        "allein noch nach Ihrem Passwort."
    ),
    "passkeys_remove_confirm": "Passkey entfernen",
    "passkeys_missing": "Diesen Passkey gibt es nicht (mehr).",
}

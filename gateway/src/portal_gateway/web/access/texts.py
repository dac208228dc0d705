"""Requesting access: the sign-in page's form for people without an account, the mailed
link's confirmation, and the words the administration adds for deciding on them."""

from __future__ import annotations

EN: dict[str, str] = {
    "access_no_account": "No account yet?",
    "access_link": "Request access",
    "access_title": "Request access",
    "access_intro": (
        "Tell us who you are and why you need access to the customer service portal. We send "
        "a link to your e-mail address; once you confirm it, your request reaches us, and if "
        "it is approved you get an invitation e-mail to choose your password."
    ),
    "access_name": "Your name",
    "access_company": "Company",
    "access_email": "E-mail address",
    "access_email_hint": "Your work address: we send the confirmation link there.",
    "access_phone": "Phone (optional)",
    "access_function": "Function (optional)",
    "access_function_hint": "For example: maintenance lead, IT administrator.",
    "access_reason": "Why do you need access?",
    "access_language": "Language of our e-mails",
    "access_website": "Website (leave this field empty)",
    "access_submit": "Send request",
    "access_name_missing": "Enter your name.",
    "access_company_missing": "Enter your company.",
    "access_email_missing": "Enter your e-mail address.",
    "access_reason_missing": "Tell us briefly why you need access.",
    "access_phone_invalid": "Enter a telephone number: digits, spaces and + ( ) / . - only.",
    "access_throttled": (
        "Too many access requests came from your network. Please try again in an hour."
    ),
    "access_sent_title": "Please look into your mailbox",
    "access_sent": (
        "Thank you. We sent a message to the address you gave. Open the link in it to confirm "
        "your request; it works for 24 hours."
    ),
    "access_sent_nothing": (
        "No message after a few minutes? Look into your spam folder, or request access again."
    ),
    "access_confirm_title": "Confirm your access request",
    "access_confirm_intro": (
        "Please confirm that you asked for access to the customer service portal. Your "
        "request then reaches us for a decision."
    ),
    "access_confirm_button": "Confirm my request",
    "access_confirm_no_token": (
        "This link is incomplete. Open the whole link from the e-mail, or request access again."
    ),
    "access_confirm_bad": (
        "This link is invalid, was used already or has expired. Please request access again."
    ),
    "access_confirmed_title": "Thank you, your request has reached us",
    "access_confirmed": (
        "We check your request. If it is approved, you receive an invitation e-mail with a "
        "link to choose your password; then you can sign in."
    ),
    "access_again": "Request access again",
    "access_pending_sr": "pending access requests",
    "access_origin_sign_in": "Asked on the sign-in page",
    "access_origin_colleague": "Asked for a colleague",
    "access_phone_label": "Phone",
    "access_function_label": "Function",
    "access_reason_label": "Reason",
    "access_matched": "Matched organization",
    "access_unmatched": "none (the address's domain belongs to no organization)",
    "access_confirmed_at": "Address confirmed",
    "access_choose_organization": "Choose an organization",
    "access_username_hint": "Suggested from the name; letters and digits only.",
    "access_approve_into": "Approve and invite",
    "access_decide_own": (
        "People who asked on the sign-in page with an address of your organization's domain: "
        "approve them (they join your organization) or reject them."
    ),
    # The profile's e-mail switch for the notice to those who decide.
    "account_pref_access_request": "An access request waits for my decision",
}

DE: dict[str, str] = {
    "access_no_account": "Noch kein Konto?",
    "access_link": "Zugang anfragen",
    "access_title": "Zugang anfragen",
    "access_intro": (
        "Sagen Sie uns, wer Sie sind und wofür Sie den Zugang zum Kundenportal brauchen. Wir "
        "senden einen Link an Ihre E-Mail-Adresse; sobald Sie ihn bestätigen, erreicht uns "
        "Ihre Anfrage, und wird sie genehmigt, erhalten Sie eine Einladung per E-Mail, um Ihr "
        "Passwort zu wählen."
    ),
    "access_name": "Ihr Name",
    "access_company": "Firma",
    "access_email": "E-Mail-Adresse",
    "access_email_hint": "Ihre geschäftliche Adresse: Dorthin senden wir den Bestätigungslink.",
    "access_phone": "Telefon (optional)",
    "access_function": "Funktion (optional)",
    "access_function_hint": "Zum Beispiel: Leitung Instandhaltung, IT-Administration.",
    "access_reason": "Wofür brauchen Sie den Zugang?",
    "access_language": "Sprache unserer E-Mails",
    "access_website": "Webseite (dieses Feld leer lassen)",
    "access_submit": "Anfrage senden",
    "access_name_missing": "Geben Sie Ihren Namen ein.",
    "access_company_missing": "Geben Sie Ihre Firma ein.",
    "access_email_missing": "Geben Sie Ihre E-Mail-Adresse ein.",
    "access_reason_missing": "Sagen Sie uns kurz, wofür Sie den Zugang brauchen.",
    "access_phone_invalid": (
        "Geben Sie eine Telefonnummer ein: nur Ziffern, Leerzeichen und + ( ) / . -"
    ),
    "access_throttled": (
        "Aus Ihrem Netz kamen zu viele Zugangsanfragen. Bitte versuchen Sie es in einer Stunde "
        "noch einmal."
    ),
    "access_sent_title": "Bitte sehen Sie in Ihr Postfach",
    "access_sent": (
        "Vielen Dank. Wir haben eine Nachricht an die angegebene Adresse gesendet. Öffnen Sie "
        "den Link darin, um Ihre Anfrage zu bestätigen; er gilt 24 Stunden."
    ),
    "access_sent_nothing": (
        "Nach einigen Minuten keine Nachricht? Sehen Sie im Spam-Ordner nach, oder fragen Sie "
        "den Zugang erneut an."
    ),
    "access_confirm_title": "Zugangsanfrage bestätigen",
    "access_confirm_intro": (
        "Bitte bestätigen Sie, dass Sie einen Zugang zum Kundenportal angefragt haben. Dann "
        "erreicht uns Ihre Anfrage zur Entscheidung."
    ),
    "access_confirm_button": "Meine Anfrage bestätigen",
    "access_confirm_no_token": (
        "Dieser Link ist unvollständig. Öffnen Sie den ganzen Link aus der E-Mail, oder fragen "
        "Sie den Zugang erneut an."
    ),
    "access_confirm_bad": (
        "Dieser Link ist ungültig, wurde schon benutzt oder ist abgelaufen. Bitte fragen Sie "
        "den Zugang erneut an."
    ),
    "access_confirmed_title": "Vielen Dank, Ihre Anfrage ist bei uns eingegangen",
    "access_confirmed": (
        "Wir prüfen Ihre Anfrage. Wird sie genehmigt, erhalten Sie eine Einladung per E-Mail "
        "mit einem Link, um Ihr Passwort zu wählen; danach können Sie sich anmelden."
    ),
    "access_again": "Zugang erneut anfragen",
    "access_pending_sr": "offene Zugangsanfragen",
    "access_origin_sign_in": "Über die Anmeldeseite angefragt",
    "access_origin_colleague": "Für eine Kollegin oder einen Kollegen angefragt",
    "access_phone_label": "Telefon",
    "access_function_label": "Funktion",
    "access_reason_label": "Begründung",
    "access_matched": "Zugeordnete Organisation",
    "access_unmatched": "keine (die Domain der Adresse gehört zu keiner Organisation)",
    "access_confirmed_at": "Adresse bestätigt",
    "access_choose_organization": "Organisation wählen",
    "access_username_hint": "Aus dem Namen vorgeschlagen; nur Buchstaben und Ziffern.",
    "access_approve_into": "Genehmigen und einladen",
    "access_decide_own": (
        "Personen, die auf der Anmeldeseite mit einer Adresse der Domain Ihrer Organisation "
        "angefragt haben: Genehmigen Sie sie (sie gehören dann zu Ihrer Organisation), oder "
        "lehnen Sie sie ab."
    ),
    "account_pref_access_request": "Eine Zugangsanfrage wartet auf meine Entscheidung",
}

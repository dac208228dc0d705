"""The corpus the seeded tickets are written from: German and English support phrases
over products with a long tail (Zipf weights), error codes, places and a few rare words,
filled in the same way in every seeding worker (`Corpus`), and the searches the scale
benchmark measures over them."""

from __future__ import annotations

import bisect
import random
from typing import Any

# ---------------------------------------------------------------------------------------
# The corpus: German and English support phrases, products with a long tail, rare words.
# ---------------------------------------------------------------------------------------

# (product, subject area, subtype); earlier entries are reported more often (Zipf).
PRODUCTS = [
    ("Microsoft Outlook", "Software", "Office"),
    ("SAP S/4HANA", "Software", "ERP"),
    ("Drucker HP LaserJet", "IT Infrastructure", "Printer"),
    ("VPN-Client", "IT Infrastructure", "Network"),
    ("Citrix Workspace", "Citrix", "Client"),
    ("Microsoft Teams", "Software", "Office"),
    ("Excel", "Software", "Office"),
    ("Windows 11", "IT Infrastructure", "Client"),
    ("WLAN", "IT Infrastructure", "Network"),
    ("DATEV", "Software", "Finance"),
    ("SharePoint", "Software", "Collaboration"),
    ("Active Directory", "IT Infrastructure", "Identity"),
    ("Etikettendrucker Zebra", "IT Infrastructure", "Printer"),
    ("Fräsmaschine DMU 50", "Machines", "Milling"),
    ("KUKA KR 10", "Robotics", "Robot"),
    ("Citrix StoreFront", "Citrix", "Server"),
    ("Backup", "Data", "Backup"),
    ("Reporting", "Data", "Reporting"),
    ("Datenbank", "Data", "Database"),
    ("Drehmaschine CTX", "Machines", "Turning"),
    ("Roboterzelle", "Robotics", "Cell"),
    ("Laserschneider", "Machines", "Laser"),
    ("Kompressor", "Machines", "Air"),
    ("Greifer", "Robotics", "Gripper"),
    ("Tachograph", "Machines", "Telematics"),
]
CODES = ["0x80070005", "E-4711", "ORA-12541", "HTTP 503", "M7 021", "0xC000021A", "E-1042"]
PLACES = {
    "de": ["Büro 2.14", "Lager", "Empfang", "Werkhalle 3", "Besprechungsraum", "Vertrieb"],
    "en": ["office 2.14", "the warehouse", "reception", "hall 3", "the meeting room", "sales"],
}
ACTIONS = {
    "de": ["eine Rechnung buchen", "den Bericht exportieren", "uns anmelden", "speichern"],
    "en": ["post an invoice", "export the report", "sign in", "save a file"],
}
TITLES = {
    "de": [
        "{p}: Fehlermeldung {c}",
        "{p} startet nicht",
        "{p} sehr langsam",
        "Zugang zu {p} benötigt",
        "Drucker druckt nicht",
        "Neue Lizenz für {p}",
        "{p} stürzt ab",
        "Frage zu {p}",
    ],
    "en": [
        "{p}: error {c}",
        "{p} does not start",
        "{p} very slow",
        "Access to {p} needed",
        "Printer does not print",
        "New licence for {p}",
        "{p} crashes",
        "Question about {p}",
    ],
}
CUSTOMER = {
    "de": [
        "Seit heute Morgen funktioniert {p} nicht mehr.",
        "Beim Start von {p} erscheint die Fehlermeldung {c}.",
        "Wir bekommen den Fehler {c}, wenn wir {a}.",
        "Nach dem letzten Update ist {p} sehr langsam.",
        "Der Drucker im Bereich {place} druckt nur leere Seiten.",
        "Die Anmeldung an {p} schlägt fehl, das Passwort wurde bereits zurückgesetzt.",
        "Können Sie bitte die Berechtigung für {p} freischalten?",
        "Bitte um dringenden Rückruf, die Produktion steht.",
        "Das Problem tritt bei mehreren Kollegen auf.",
        "Anbei der Screenshot der Fehlermeldung.",
        "Vielen Dank, das Problem ist behoben.",
        "Leider tritt der Fehler weiterhin auf.",
        "Wir benötigen eine neue Lizenz für {p}.",
        "Bitte installieren Sie {p} auf dem neuen Rechner im Bereich {place}.",
    ],
    "en": [
        "Since this morning {p} has stopped working.",
        "Starting {p} shows the error message {c}.",
        "We get the error {c} when we {a}.",
        "After the last update {p} is very slow.",
        "The printer at {place} only prints blank pages.",
        "Signing in to {p} fails although the password was reset.",
        "Could you please grant us access to {p}?",
        "Please call back urgently, production is down.",
        "Several colleagues are affected.",
        "Attached is a screenshot of the error message.",
        "Thank you, the problem is solved.",
        "Unfortunately the error still occurs.",
        "We need a new licence for {p}.",
        "Please install {p} on the new computer at {place}.",
    ],
}
AGENT = {
    "de": [
        "Vielen Dank für Ihre Meldung, wir prüfen das Verhalten von {p}.",
        "Bitte starten Sie {p} neu und senden Sie uns die Logdatei.",
        "Wir haben ein Update für {p} eingespielt, bitte testen Sie erneut.",
        "Seit wann tritt der Fehler {c} auf?",
        "Die Berechtigung wurde eingerichtet.",
        "Wir melden uns, sobald der Hersteller geantwortet hat.",
        "Der Techniker ist für morgen Vormittag im Bereich {place} eingeplant.",
    ],
    "en": [
        "Thank you for your report, we are looking into {p}.",
        "Please restart {p} and send us the log file.",
        "We installed an update for {p}, please test again.",
        "Since when does the error {c} occur?",
        "Access has been granted.",
        "We will get back to you once the vendor has answered.",
        "A technician is scheduled for tomorrow morning at {place}.",
    ],
}
INTERNAL = [
    "Rücksprache mit dem 2nd Level: an die Entwicklung übergeben.",
    "Bekanntes Problem mit {p}, siehe Wissensartikel KB-{n}.",
    "Kunde hat Wartungsvertrag, Reaktionszeit beachten.",
    "Known issue in {p} release {n}, workaround sent.",
    "Escalated to the vendor, case number {n}.",
    "Remote-Sitzung durchgeführt, Treiber für {p} neu installiert.",
]
SYSTEM = {"de": "Status geändert auf {s}.", "en": "Status changed to {s}."}
# Each appears in about 0.01 % of the tickets: the selective searches.
RARE = [
    "Spektrometer",
    "Wärmebildkamera",
    "Ölstandsensor",
    "Zeiterfassungsterminal",
    "Kassensystem",
    "Hebebühne",
    "Klimaanlage",
    "Beamer",
    "Kaffeevollautomat",
    "Schrankenanlage",
    "Funkscanner",
    "Notstromaggregat",
    "Gabelstapler",
    "Schweißroboter",
    "Brandmeldeanlage",
    "Aufzug",
    "Zutrittskontrolle",
    "Kühlhaus",
    "Palettierer",
    "Hochregallager",
]
RARE_SHARE = 0.002
RARE_SENTENCE = {"de": "Betroffen ist auch {r}.", "en": "The {r} is affected as well."}
FIRST_NAMES = ["Anna", "Jonas", "Lea", "Lukas", "Marie", "Paul", "Sophie", "Felix", "Emma"]
LAST_NAMES = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker"]
COMPANY = ["Maschinenbau", "Logistik", "Handel", "Werkzeuge", "Elektronik", "Software"]

# The searches measured: (label, query).
SEARCHES = [
    ("selective", "spektrometer"),
    ("tail_product", "tachograph"),
    ("common", "fehler"),
    ("prefix_common", "druck*"),
    ("prefix_selective", "spektro*"),
]


def _cumulative(weighted: list[tuple[str, float]] | dict[str, float]) -> tuple[list, list]:
    items = list(weighted.items()) if isinstance(weighted, dict) else weighted
    total, cumulative = 0.0, []
    for _, weight in items:
        total += weight
        cumulative.append(total)
    return [name for name, _ in items], [c / total for c in cumulative]


def _pick(rng: random.Random, table: tuple[list, list]) -> Any:
    names, cumulative = table
    return names[min(bisect.bisect(cumulative, rng.random()), len(names) - 1)]


class Corpus:
    """Filled-in sentences per language and product, the same in every worker. Products
    are drawn by Zipf weights: a few are in many tickets, the tail in few."""

    def __init__(self, seed: int, per_product: int = 60) -> None:
        rng = random.Random(seed)
        self.products = _cumulative([(i, 1 / (i + 1)) for i in range(len(PRODUCTS))])

        def fill(templates: list[str], lang: str, product: int) -> list[str]:
            return [
                rng.choice(templates).format(
                    p=PRODUCTS[product][0],
                    c=rng.choice(CODES),
                    a=rng.choice(ACTIONS[lang]),
                    place=rng.choice(PLACES[lang]),
                    n=rng.randint(1000, 9999),
                )
                for _ in range(per_product)
            ]

        keys = [(lang, p) for lang in ("de", "en") for p in range(len(PRODUCTS))]
        self.titles = {key: fill(TITLES[key[0]], *key) for key in keys}
        self.customer = {key: fill(CUSTOMER[key[0]], *key) for key in keys}
        self.agent = {key: fill(AGENT[key[0]], *key) for key in keys}
        self.internal = {p: fill(INTERNAL, "de", p) for p in range(len(PRODUCTS))}

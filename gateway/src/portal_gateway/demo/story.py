"""The demo story: what the demo customers and the service desk did over the past days.

Acme Robotics (German-speaking, priority contract) and Globex Logistics (English, no
contract: always P4) report about robots, printers, licences and a packaging line; the
agent erik answers. Together the tickets pass through every status, carry attachments,
a case file and an escalation, one waits unanswered past its reaction target and a closed
one carries its customer's satisfaction rating.
Times are given as "this long before the start"; see portal_chassis.demo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta


def ago(days: float = 0, hours: float = 0, minutes: float = 0) -> timedelta:
    return timedelta(days=days, hours=hours, minutes=minutes)


@dataclass(frozen=True)
class Reply:
    at: timedelta
    actor: str
    body: str
    files: tuple[str, ...] = ()
    internal: bool = False


@dataclass(frozen=True)
class Status:
    at: timedelta
    actor: str
    status: str


@dataclass(frozen=True)
class Assign:
    at: timedelta
    actor: str  # the agent takes the ticket


@dataclass(frozen=True)
class Escalate:
    at: timedelta
    actor: str
    body: str


@dataclass(frozen=True)
class Close:
    at: timedelta
    actor: str
    cancel: bool = False


@dataclass(frozen=True)
class Rate:
    at: timedelta
    actor: str  # the ticket's creator answers its satisfaction survey
    rating: int
    comment: str = ""


@dataclass(frozen=True)
class CaseFolder:
    at: timedelta
    actor: str
    folder: str
    files: tuple[str, ...]


Step = Reply | Status | Assign | Escalate | Close | Rate | CaseFolder


@dataclass(frozen=True)
class TicketStory:
    creator: str
    at: timedelta
    title: str
    description: str
    priority: str
    category: str
    template: str | None = None
    # Guide answers; "{opened}" stands for the day the ticket was opened.
    guide: dict[str, str | int] = field(default_factory=dict)
    subject_area: str | None = None
    subtype: str | None = None
    product: str | None = None
    asset_id: str | None = None
    files: tuple[str, ...] = ()
    steps: tuple[Step, ...] = ()
    # Who has read their notifications about this ticket already.
    read_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShareStory:
    owner: str
    name: str
    expires_in_days: int
    # Files someone without an account put in through the share link.
    uploads: tuple[str, ...] = ()


TICKETS: list[TicketStory] = [
    TicketStory(
        creator="ben",
        at=ago(days=2, hours=5),
        title="Roboterzelle 3 stoppt mit Servofehler E-217",
        description=(
            "Seit heute früh bleibt der Schweißroboter in Zelle 3 mehrmals pro Stunde mit "
            "E-217 (Servo-Überstrom Achse 4) stehen. Nach dem Quittieren läuft er einige "
            "Minuten, dann kommt der Fehler wieder. Controller-Log und Foto vom Panel anbei."
        ),
        priority="P1",
        category="incident",
        template="Machine or robot is down",
        guide={
            "machine": "Zelle 3, RX-200 S/N 20-4471",
            "since": "{opened}",
            "impact": "partly",
            "error": "E-217 Servo overcurrent axis 4",
        },
        subject_area="Robotics",
        subtype="Controller",
        product="RX-200 Schweißroboter",
        asset_id="ACME-ZELLE-3",
        files=("controller_log", "panel_photo"),
        steps=(
            Assign(ago(days=2, hours=4, minutes=40), "erik"),
            Reply(
                ago(days=2, hours=4, minutes=35),
                "erik",
                "Danke für das Log. Bitte prüfen Sie den Stecker X4 am Motor der Achse 4 "
                "und die Schleppkette auf sichtbare Schäden. Läuft die Zelle im "
                "Handbetrieb mit reduzierter Geschwindigkeit?",
            ),
            Reply(
                ago(days=2, hours=4, minutes=30),
                "erik",
                "Überstrom an Achse 4 nach ca. 1 h Betrieb: passt zum bekannten "
                "Kabelbruch in der Schleppkette der RX-200-Serie (siehe FAQ). "
                "Motorkabel 4711-22 ist im Lager Hamburg vorrätig.",
                internal=True,
            ),
            Reply(
                ago(days=2, hours=3),
                "ben",
                "Stecker sitzt fest, an der Schleppkette sehen wir nichts. Im Handbetrieb "
                "tritt der Fehler nicht auf. Messwerte vom Stromverlauf anbei.",
                files=("axis_trace",),
            ),
            Escalate(
                ago(days=1, hours=22),
                "ben",
                "Die Linie steht seit heute Morgen komplett, wir verlieren eine Schicht. "
                "Bitte schicken Sie dringend einen Techniker.",
            ),
            Reply(
                ago(days=1, hours=21, minutes=30),
                "erik",
                "Ein Techniker ist morgen um 8:00 Uhr bei Ihnen und bringt ein neues "
                "Motorkabel für Achse 4 mit.",
            ),
            CaseFolder(
                ago(days=1, hours=2), "erik", "Service-Einsatz", ("service_report", "panel_photo")
            ),
            Reply(
                ago(days=1, hours=1, minutes=50),
                "erik",
                "Das Motorkabel wurde getauscht, die Zelle lief im Test 200 Zyklen ohne "
                "Fehler. Den Servicebericht finden Sie in der Fallakte. Bitte melden Sie "
                "sich, falls E-217 erneut auftritt.",
                files=("service_report",),
            ),
        ),
    ),
    TicketStory(
        creator="ben",
        at=ago(days=6, hours=2),
        title="Etikettendrucker LP-40 druckt leere Etiketten",
        description=(
            "Der Etikettendrucker am Wareneingang zieht die Etiketten ein, bedruckt aber "
            "nichts. Farbband ist neu. Statusausdruck anbei."
        ),
        priority="P2",
        category="incident",
        subject_area="IT Infrastructure",
        subtype="Printer",
        product="LP-40 Etikettendrucker",
        files=("printer_log",),
    ),
    TicketStory(
        creator="anna",
        at=ago(days=4, hours=3),
        title="Lizenzschlüssel für VisionSuite läuft Ende des Monats ab",
        description=(
            "Die VisionSuite auf den beiden Prüfplätzen meldet, dass der Lizenzschlüssel "
            "Ende des Monats abläuft. Laut Vertrag ist die Wartung bis nächstes Jahr "
            "bezahlt. Bitte senden Sie uns einen neuen Schlüssel."
        ),
        priority="P3",
        category="service_request",
        subject_area="Software",
        subtype="Licences",
        product="VisionSuite 5",
        steps=(
            Assign(ago(days=3, hours=22), "erik"),
            Reply(
                ago(days=3, hours=22),
                "erik",
                "Gerne. Für den neuen Schlüssel brauchen wir die Host-ID beider Prüfplätze "
                "(VisionSuite > Hilfe > Lizenz > Host-ID kopieren). Bitte antworten Sie "
                "hier mit den beiden IDs.",
            ),
            Status(ago(days=3, hours=22), "erik", "waiting_customer"),
        ),
    ),
    TicketStory(
        creator="anna",
        at=ago(days=8, hours=1),
        title="Neues Benutzerkonto für Jonas Keller",
        description="Jonas Keller beginnt im Einkauf und braucht Zugang zum ERP.",
        priority="P4",
        category="service_request",
        template="New user account",
        guide={"person": "Jonas Keller", "start": "{opened}"},
        steps=(
            Reply(
                ago(days=7, hours=20),
                "erik",
                "Das Konto jkeller ist angelegt; die Zugangsdaten hat Herr Keller per "
                "E-Mail erhalten. Die Rolle Einkauf ist zugewiesen.",
            ),
            Status(ago(days=7, hours=20), "erik", "resolved"),
        ),
        read_by=("anna",),
    ),
    TicketStory(
        creator="anna",
        at=ago(days=10, hours=4),
        title="Firmware-Update für die Verpackungslinie PL-2",
        description=(
            "Wir möchten die Steuerung der Verpackungslinie PL-2 auf Firmware 3.4.1 "
            "aktualisieren (Korrektur Folienzufuhr). Änderungsplan anbei."
        ),
        priority="P3",
        category="change_request",
        template="Change to a configuration",
        guide={"change": "Firmware PL-2 von 3.3.0 auf 3.4.1", "window": "{opened}"},
        subject_area="Machines",
        subtype="Packaging",
        product="PL-2 Verpackungslinie",
        files=("change_plan",),
        steps=(
            Reply(
                ago(days=9, hours=23),
                "erik",
                "Das Update braucht etwa drei Stunden Stillstand. Wir schlagen das "
                "Wartungsfenster Ihrer Betriebsferien vor und stellen das Ticket bis "
                "dahin zurück.",
            ),
            CaseFolder(ago(days=9, hours=22), "erik", "Freigabe", ("release_notes",)),
            Status(ago(days=9, hours=22), "erik", "postponed"),
        ),
        read_by=("anna",),
    ),
    TicketStory(
        creator="ben",
        at=ago(days=3, hours=6),
        title="Citrix-Sitzung friert nach der Anmeldung ein",
        description=(
            "Seit Montag friert die Citrix-Sitzung bei drei Kollegen direkt nach der "
            "Anmeldung ein. Lokal angemeldet funktioniert alles."
        ),
        priority="P3",
        category="incident",
        template="Software error",
        guide={
            "steps": "Anmeldung über Citrix Workspace, Desktop startet, dann Stillstand.",
            "users": 3,
        },
        subject_area="Citrix",
        subtype="Performance",
        steps=(
            Assign(ago(days=3, hours=2), "erik"),
            Reply(
                ago(days=3, hours=2),
                "erik",
                "Wir sehen das Verhalten auch bei einem anderen Kunden und haben den Fall "
                "an unser Citrix-Team (2nd Level) weitergegeben.",
            ),
            Reply(
                ago(days=3, hours=2),
                "erik",
                "Vermutlich Profil-Container nach dem letzten Windows-Update; Hersteller-"
                "Hotfix angefragt, Antwort erwartet bis Freitag.",
                internal=True,
            ),
            Status(ago(days=3, hours=2), "erik", "waiting_internal"),
        ),
    ),
    TicketStory(
        creator="ben",
        at=ago(days=12, hours=3),
        title="Förderband CB-12 macht laute Geräusche",
        description="Das Förderband CB-12 quietscht seit gestern bei voller Last.",
        priority="P3",
        category="incident",
        subject_area="Machines",
        subtype="Conveyor",
        product="CB-12 Förderband",
        steps=(
            Reply(
                ago(days=11, hours=23),
                "erik",
                "Das klingt nach dem Umlenklager. Bitte schmieren Sie es nach Wartungs"
                "anleitung Kapitel 6.2 nach; wenn das Geräusch bleibt, tauschen wir es.",
            ),
            Reply(ago(days=11, hours=4), "ben", "Nach dem Schmieren ist es ruhig. Danke!"),
            Close(ago(days=11, hours=4), "ben"),
            Rate(ago(days=11, hours=4), "ben", 5, "Schnelle, klare Hilfe. Danke!"),
        ),
        read_by=("ben",),
    ),
    TicketStory(
        creator="ben",
        at=ago(days=5, hours=1),
        title="Druckertreiber für das Büro im 2. OG",
        description="Wir brauchen den Treiber für den neuen Farbdrucker im 2. OG.",
        priority="P4",
        category="service_request",
        subject_area="IT Infrastructure",
        subtype="Printer",
        steps=(Close(ago(days=5), "ben", cancel=True),),
        read_by=("ben",),
    ),
    TicketStory(
        creator="dan",
        at=ago(days=1, hours=6),
        title="Hand scanner HS-5 does not pair after Windows update",
        description=(
            "After yesterday's Windows update our HS-5 hand scanners no longer pair via "
            "Bluetooth with the packing desks. With the USB cable they work. Log attached."
        ),
        priority="P2",  # Globex has no priority contract: the service makes it P4
        category="incident",
        subject_area="IT Infrastructure",
        subtype="Network",
        product="HS-5 hand scanner",
        files=("scanner_log",),
        steps=(
            Reply(
                ago(days=1, hours=3),
                "erik",
                "Thanks for the log. Please install the HS-5 firmware 2.1.0 from the "
                "download area; it supports the new Bluetooth stack. Does that help?",
            ),
        ),
    ),
    TicketStory(
        creator="carla",
        at=ago(days=1, hours=2),
        title="Quote for two additional robot grippers",
        description=(
            "We plan a second picking station and need a quote for two GR-40 vacuum "
            "grippers including installation."
        ),
        priority="P4",
        category="service_request",
        subject_area="Robotics",
        subtype="Gripper",
        product="GR-40 vacuum gripper",
    ),
    TicketStory(
        creator="ben",
        at=ago(hours=3),
        title="Lizenzserver antwortet sehr langsam",
        description=(
            "Beim Start von RoboDesign warten die Konstrukteure seit heute bis zu zwei "
            "Minuten auf eine Lizenz vom Lizenzserver."
        ),
        priority="P2",
        category="incident",
        subject_area="Software",
        subtype="Licences",
        product="RoboDesign 2026",
    ),
]

SHARES: list[ShareStory] = [
    ShareStory(
        owner="ben",
        name="Messdaten Zelle 3 für den Techniker",
        expires_in_days=14,
        uploads=("axis_trace",),
    ),
    ShareStory(
        owner="erik",
        name="PL-2 firmware 3.4.1 for Acme",
        expires_in_days=30,
        uploads=("release_notes",),
    ),
]

"""Small real files for the demo story: a controller log, a photo-like PNG and a PDF
report, made on the fly so that nothing binary lives in the repository. They pass the
files service's checks like any upload (type by content, PDF structure)."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    name: str
    content: bytes
    content_type: str


def text_file(name: str, lines: list[str]) -> Sample:
    return Sample(name, ("\n".join(lines) + "\n").encode(), "text/plain")


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def panel_png(width: int = 240, height: int = 150) -> bytes:
    """A machine panel: grey housing, a dark display with a red error bar, two LEDs."""
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter type: none
        for x in range(width):
            pixel = (150, 155, 160)
            if 20 <= x < 170 and 20 <= y < 110:
                pixel = (30, 40, 45)
                if 35 <= x < 155 and 55 <= y < 75:
                    pixel = (205, 40, 40)
            for cx, colour in ((200, (220, 30, 30)), (222, (60, 60, 60))):
                if (x - cx) ** 2 + (y - 40) ** 2 < 64:
                    pixel = colour
            row += bytes(pixel)
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(b"".join(rows), 9)),
            _chunk(b"IEND", b""),
        ]
    )


def _pdf_text(value: str) -> str:
    # WinAnsi covers the German letters; only the string delimiters need escaping.
    return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def report_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF with a title and lines of text (Helvetica, WinAnsi)."""
    text = ["BT", "/F1 16 Tf", "56 780 Td", f"({_pdf_text(title)}) Tj", "/F1 11 Tf", "0 -28 Td"]
    for line in lines:
        text += [f"({_pdf_text(line)}) Tj", "0 -16 Td"]
    text.append("ET")
    stream = "\n".join(text).encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


SAMPLES: dict[str, Sample] = {
    "controller_log": text_file(
        "rx200-zelle3-controller.log",
        [
            "06:41:07 INFO  RX-200 S/N 20-4471 controller boot, firmware 7.2.3",
            "06:41:12 INFO  axes 1-6 referenced",
            "07:58:33 WARN  axis 4 current 11.8 A (limit 12.0 A)",
            "07:58:34 ERROR E-217 servo overcurrent axis 4, drive disabled",
            "07:58:34 INFO  program WELD_P17 stopped at line 212",
            "08:03:10 INFO  operator reset",
            "08:04:52 ERROR E-217 servo overcurrent axis 4, drive disabled",
        ],
    ),
    "panel_photo": Sample("bedienpanel-e217.png", panel_png(), "image/png"),
    "service_report": Sample(
        "Servicebericht-Zelle3.pdf",
        report_pdf(
            "Servicebericht RX-200 Zelle 3",
            [
                "Kunde: Acme Robotics GmbH",
                "Befund: Kabelbruch im Motorkabel Achse 4 (Schleppkette).",
                "Massnahme: Motorkabel 4711-22 getauscht, Achse neu referenziert.",
                "Test: 200 Zyklen WELD_P17 ohne Fehler.",
                "Techniker: M. Keller",
            ],
        ),
        "application/pdf",
    ),
    "printer_log": text_file(
        "lp40-status.txt",
        [
            "LP-40 label printer, S/N LP40-118203",
            "Firmware 3.1.0, ribbon: resin 110 mm, media: 100x50 mm",
            "Print head temperature: 38 C, darkness: 12",
            "Last 20 jobs: printed, no error reported",
            "Sensor calibration: gap sensor 0.0 V (expected 1.2 - 2.8 V)",
        ],
    ),
    "change_plan": Sample(
        "Aenderungsplan-PL2-Firmware.pdf",
        report_pdf(
            "Aenderungsplan Verpackungslinie PL-2",
            [
                "Aenderung: Firmware der Steuerung von 3.3.0 auf 3.4.1",
                "Grund: Korrektur Folienzufuhr bei hoher Taktzahl",
                "Dauer: ca. 3 Stunden inkl. Test, Linie steht in dieser Zeit",
                "Rueckfallplan: Sicherung 3.3.0 liegt auf dem Servicelaptop",
            ],
        ),
        "application/pdf",
    ),
    "scanner_log": text_file(
        "hs5-pairing.log",
        [
            "HS-5 handheld scanner, firmware 2.0.8",
            "Bluetooth pairing with DESKTOP-GLX-014: failed (timeout)",
            "Windows 11 23H2, cumulative update installed yesterday",
            "USB cable mode: works",
        ],
    ),
    "axis_trace": text_file(
        "achse4-messung.txt",
        [
            "time_ms;axis4_current_a;axis4_temp_c",
            "0;6.1;41.2",
            "250;9.8;41.4",
            "500;11.9;41.9",
            "750;12.3;42.1",
        ],
    ),
    "release_notes": Sample(
        "PL2-firmware-3.4.1-release-notes.pdf",
        report_pdf(
            "PL-2 controller firmware 3.4.1",
            [
                "Fixed: film feed stops at more than 40 cycles per minute.",
                "Fixed: wrong counter reset after a power cut.",
                "Install with the service tool 5.2 or later.",
            ],
        ),
        "application/pdf",
    ),
}

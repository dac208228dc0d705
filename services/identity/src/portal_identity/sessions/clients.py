"""The browser or program a sign-in comes from: its user agent, its address and the
gateway's device cookie, as the profile's list of sign-ins shows them ("Firefox
(Linux)") and as a new device is told from one seen before."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

from ua_parser import parse

# The column widths of `sign_in_session`.
USER_AGENT_MAX = 512
DEVICE_MAX = 128
ADDRESS_MAX = 64
# Header through which the gateway passes the browser's long-lived device cookie.
DEVICE_HEADER = "x-portal-device"
DEVICE_COOKIE_MAX = 128
PRODUCT = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,31}")


@dataclass(frozen=True)
class ClientInfo:
    """What a sign-in learns about its client. `device_cookie` is the browser's random
    device value (from the gateway); API clients have none."""

    user_agent: str = ""
    address: str = ""
    device_cookie: str | None = None

    @property
    def device(self) -> str:
        return device_label(self.user_agent)

    @property
    def device_key(self) -> str:
        """SHA-256 of the device cookie, else of the user agent: the same browser keeps
        its key across sign-ins; the value itself is never stored."""
        basis = self.device_cookie or self.user_agent
        return hashlib.sha256(basis.encode()).hexdigest()


@lru_cache(maxsize=512)
def device_label(user_agent: str) -> str:
    """ "Firefox (Linux)", "Mobile Safari (iOS, iPhone)", or the program's name; empty for
    no user agent. People recognise their browser by its name, not its version; the
    label reads the same in German and English."""
    if not user_agent.strip():
        return ""
    found = parse(user_agent[:USER_AGENT_MAX])
    browser = found.user_agent.family if found.user_agent else ""
    system = found.os.family if found.os else ""
    device = found.device.family if found.device else ""
    if browser in ("", "Other"):
        # Not a browser the rules know (curl, an API client): its product name names it,
        # if it is one. The label goes into mails: a name that looks like an address
        # ("secure-account.example") is a sender's words, not a program's.
        first = user_agent.split("/", 1)[0].split(" ", 1)[0].strip()
        browser = first if PRODUCT.fullmatch(first) else "Other"
    about = [system] if system and system != "Other" else []
    # The device's model only when it says more than the system ("Mac" on "Mac OS X").
    generic = device in ("", "Other", "Generic Smartphone", "Spider")
    if not generic and not system.startswith(device):
        about.append(device)
    label = f"{browser} ({', '.join(about)})" if about else browser
    return label[:DEVICE_MAX]

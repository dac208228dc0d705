"""What every service client shares: the call on the viewer's behalf, and the one place
where a service's answer becomes a typed result or a `ServiceError`."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, ClassVar, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict

from portal_gateway.edge.proxy import Upstreams
from portal_gateway.web.i18n import TEXTS, field_message, translate

T = TypeVar("T", bound=BaseModel)
A = TypeVar("A")


class Result(BaseModel):
    """A service's answer as a page reads it. The fields a page's code uses are declared;
    the others stay readable by templates (`extra="allow"`) without being typed here."""

    model_config = ConfigDict(extra="allow", frozen=True)


class Page(Result):
    """A cursor page of a list (`items` typed by the subclass)."""

    total: int | None = None
    next_cursor: str | None = None


class ServiceError(Exception):
    """A service refused or could not answer: its status and problem answer."""

    def __init__(self, answer: httpx.Response) -> None:
        super().__init__(f"{answer.request.method} {answer.request.url.path}: {answer.status_code}")
        self.answer = answer
        self.status = answer.status_code

    @property
    def missing(self) -> bool:
        return self.status == 404

    @property
    def unavailable(self) -> bool:
        return self.status >= 500

    @property
    def errors(self) -> list[dict[str, Any]]:
        """The field errors of the problem answer ({field, code, message} each), empty
        when it names none."""
        try:
            body = self.answer.json()
        except ValueError:
            return []
        errors = body.get("errors") if isinstance(body, dict) else None
        return [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []

    def messages(self, lang: str) -> dict[str, str]:
        """Field name -> sentence in the reader's language, the general one under ""."""
        return problem_messages(self.answer, lang)

    def message(self, lang: str) -> str:
        messages = self.messages(lang)
        return messages.get("") or next(iter(messages.values()), TEXTS[lang]["service_unavailable"])


async def settle(call: Awaitable[A]) -> A | ServiceError:
    """The answer, or the refusal as a value: for pages that show what they can when one
    of the calls made together fails."""
    try:
        return await call
    except ServiceError as error:
        return error


def problem_messages(answer: httpx.Response, lang: str) -> dict[str, str]:
    """A service's problem answer as messages for a form: field name -> message, and
    the general message under "" (translated where the page knows the words)."""
    try:
        body = answer.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    messages: dict[str, str] = {}
    for error in body.get("errors") or []:
        field = str(error.get("field", "")).split(".")[-1]
        messages.setdefault(field, field_message(error, lang))
    general = body.get("detail") or body.get("title")
    if general and not messages:
        messages[""] = translate(str(general), lang)
    elif "" not in messages and messages:
        messages[""] = TEXTS[lang]["form_has_errors"]
    if not messages:
        messages[""] = TEXTS[lang]["service_unavailable"]
    return messages


class ServiceClient:
    """Calls one service on behalf of one viewer (their bearer token, if any)."""

    service: ClassVar[str]

    def __init__(self, upstreams: Upstreams, headers: dict[str, str]) -> None:
        self._upstreams = upstreams
        self._headers = headers

    async def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """The raw answer, whatever its status (for the few callers that stream or
        inspect headers); everything else uses the typed helpers below."""
        return await self._upstreams.call(
            self.service, method, path, headers=self._headers, **kwargs
        )

    async def _ok(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        answer = await self.call(method, path, **kwargs)
        if answer.status_code >= 400:
            raise ServiceError(answer)
        return answer

    async def get(self, model: type[T], path: str, **kwargs: Any) -> T:
        return model.model_validate((await self._ok("GET", path, **kwargs)).json())

    async def send(self, method: str, path: str, model: type[T], **kwargs: Any) -> T:
        return model.model_validate((await self._ok(method, path, **kwargs)).json())

    async def act(self, method: str, path: str, **kwargs: Any) -> None:
        """A call whose answer carries nothing the page needs (204 and the like)."""
        await self._ok(method, path, **kwargs)

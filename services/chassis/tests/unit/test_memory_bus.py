from portal_chassis.bus import InMemoryBus, RetryPolicy
from portal_chassis.envelope import Envelope


def _event(type_: str = "tickets.ticket.created") -> Envelope:
    return Envelope(type=type_, producer="test", data={"n": 1})


async def test_each_queue_gets_only_the_topics_it_bound() -> None:
    bus = InMemoryBus()
    got: dict[str, list[str]] = {"notify": [], "faq": []}

    async def notify(e: Envelope) -> None:
        got["notify"].append(e.type)

    async def faq(e: Envelope) -> None:
        got["faq"].append(e.type)

    bus.subscribe("notify", ["tickets.#"], notify)
    bus.subscribe("faq", ["faq.article.published"], faq)
    await bus.start()
    await bus.publish([_event(), _event("faq.article.published"), _event("identity.user.created")])
    await bus.join()
    await bus.close()
    assert got == {"notify": ["tickets.ticket.created"], "faq": ["faq.article.published"]}


async def test_failing_handler_is_retried_then_dead_lettered() -> None:
    bus = InMemoryBus(retry=RetryPolicy(max_retries=2, base_seconds=0.01))
    attempts = 0

    async def always_fails(_e: Envelope) -> None:
        nonlocal attempts
        attempts += 1
        raise RuntimeError("boom")

    bus.subscribe("notify", ["#"], always_fails)
    await bus.start()
    event = _event()
    await bus.publish([event])
    await bus.join()
    await bus.close()
    assert attempts == 3  # the first delivery and two retries
    assert [e.id for e in bus.dead_letters["notify"]] == [event.id]


async def test_handler_that_recovers_is_not_dead_lettered() -> None:
    bus = InMemoryBus(retry=RetryPolicy(max_retries=3, base_seconds=0.01))
    attempts = 0

    async def flaky(_e: Envelope) -> None:
        nonlocal attempts
        attempts += 1
        if attempts < 2:
            raise RuntimeError("transient")

    bus.subscribe("notify", ["#"], flaky)
    await bus.start()
    await bus.publish([_event()])
    await bus.join()
    await bus.close()
    assert attempts == 2
    assert not bus.dead_letters["notify"]


def test_retry_backoff_is_exponential() -> None:
    policy = RetryPolicy(max_retries=4, base_seconds=0.5)
    assert [policy.delay(a) for a in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 4.0]


async def test_events_published_before_start_wait_for_the_consumer() -> None:
    bus = InMemoryBus()
    got: list[str] = []

    async def handler(e: Envelope) -> None:
        got.append(e.type)

    bus.subscribe("notify", ["#"], handler)
    await bus.publish([_event()])  # e.g. a relay of a service that started first
    await bus.start()
    await bus.join()
    await bus.close()
    assert got == ["tickets.ticket.created"]

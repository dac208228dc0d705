"""Read models: a service's own copy of another service's facts, fed by its events.

Events may arrive late or twice (retries, redelivery); every row remembers when the
fact it holds was true (`as_of`) so that an older event never overwrites a newer one.
The consumers that keep plain copies are made by `portal_chassis.copier`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession


async def upsert_latest(
    session: AsyncSession, model: type[Any], *, key: str = "id", **fields: Any
) -> bool:
    """Insert or update the row `fields[key]` (its primary key) unless it already
    reflects a newer change.

    `model` needs an `as_of` column; returns whether anything was written.
    """
    row = await session.get(model, fields[key], with_for_update=True)
    if row is None:
        session.add(model(**fields))
        return True
    if row.as_of > fields["as_of"]:
        return False  # an older event arrived late: keep the newer state
    for key, value in fields.items():
        setattr(row, key, value)
    return True

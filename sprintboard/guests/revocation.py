"""The revocation poll: `revoke` ends open sessions, though it runs in another process.

`revoke` only changes the invitations file; the server looks at that file's size and
time (`Invitations.stamp`) about once a second and, when it changed, reads which of the
invitations its guests joined with are revoked now. Either entry (SSH, browser) gives
the poll who is in (`joined`) and what ending means (`end`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection
from datetime import UTC, datetime

from ..i18n import _
from ..invitations import Invitations
from ..safe_text import visible


async def watch(
    store: Invitations,
    joined: Callable[[], Collection[str]],
    end: Callable[[set[str]], None],
    log: Callable[[str], None],
    every: float = 1.0,
) -> None:
    """Poll `store` every `every` seconds until cancelled; `end(ids)` for the invitations
    among `joined()` revoked since. Runs on whatever goes wrong (said once until it
    works again): a poll that died would let revoked guests stay."""
    seen: tuple[int, int] | None = None
    troubled = False
    while True:
        try:
            stamp = await asyncio.to_thread(store.stamp)
            if stamp != seen:
                seen = stamp
                revoked = await _revoked(store, set(joined()))
                if revoked:
                    end(revoked)
            troubled = False
        except Exception as error:
            if not troubled:
                log(_("cannot read the invitations: {error}").format(error=visible(str(error))))
            troubled = True
        await asyncio.sleep(every)


async def _revoked(store: Invitations, joined: set[str]) -> set[str]:
    if not joined:
        return set()
    now = datetime.now(UTC)
    every = await asyncio.to_thread(store.all)
    return {i.id for i in every if i.id in joined and i.state(now) == "revoked"}

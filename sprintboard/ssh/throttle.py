"""The rate limit on invitation codes: repeated wrong codes from one address are slowed.

A code has 45 bits, and three wrong answers close a connection, but nothing stops a
client from connecting again. So every wrong code is counted against its address: after
`RateLimit.free` failures within `RateLimit.window`, each further answer from that
address waits before it is checked, twice as long each time (`base`, doubled, at most
`cap`), and answers from one address wait in turn, so that many connections at once buy
no more guesses than one. A right code forgets the address's failures.

The table is bounded (`RateLimit.addresses`): the address seen longest ago goes first, so
an attacker with many addresses cannot grow it without limit. IPv6 addresses are counted
by their /64 network, which one machine usually holds whole.
"""

from __future__ import annotations

import ipaddress
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RateLimit:
    """How wrong codes from one address are slowed."""

    free: int = 3
    """Failures within `window` before answers are slowed."""
    window: float = 600.0
    """Seconds a failure is remembered."""
    base: float = 2.0
    """Seconds the first slowed answer waits; each further one waits twice as long."""
    cap: float = 30.0
    """The longest wait."""
    addresses: int = 4096
    """Addresses remembered at most."""


@dataclass
class _Record:
    failures: deque[float] = field(default_factory=deque)
    free_at: float = 0.0
    """When the next slowed answer of this address may be checked (answers take turns)."""


def address_key(host: str) -> str:
    """What one party is counted by: the IPv4 address, or the /64 network of an IPv6 one
    (an IPv4 address mapped into IPv6 is the IPv4 address)."""
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class Throttle:
    """The failures of each address, and how long its next answer must wait."""

    def __init__(self, rate: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self._clock = clock
        self._records: OrderedDict[str, _Record] = OrderedDict()

    def __len__(self) -> int:
        return len(self._records)

    def _record(self, key: str, now: float) -> _Record:
        record = self._records.get(key)
        if record is None:
            record = self._records[key] = _Record()
            while len(self._records) > self.rate.addresses:
                self._records.popitem(last=False)
        else:
            self._records.move_to_end(key)
        while record.failures and record.failures[0] <= now - self.rate.window:
            record.failures.popleft()
        return record

    def wait(self, host: str) -> float:
        """Seconds the answer from `host` arriving now waits before it is checked (0: none),
        its turn taken: the next answer from there waits after this one."""
        now = self._clock()
        key = address_key(host)
        if key not in self._records:
            return 0.0
        record = self._record(key, now)
        over = len(record.failures) - self.rate.free
        if over < 0:
            return 0.0
        delay = min(self.rate.cap, self.rate.base * 2.0**over)
        start = max(now, record.free_at)
        record.free_at = start + delay
        return record.free_at - now

    def failed(self, host: str) -> None:
        """An answer from `host` that is (or may yet prove) wrong: the server counts each
        before checking it, so that answers at once all count; `succeeded` forgets."""
        now = self._clock()
        record = self._record(address_key(host), now)
        record.failures.append(now)
        # bounded per address too: more than the window can hold says nothing new
        while len(record.failures) > self.rate.free + 32:
            record.failures.popleft()

    def succeeded(self, host: str) -> None:
        """A right code from `host`: its failures are forgotten."""
        self._records.pop(address_key(host), None)

"""Keys handled one at a time, in the order they were typed, however fast they come.

Textual hands each key to the focused widget through that widget's message queue and
goes straight on to the next key; bindings are looked up when a key has bubbled back
up to the app. Keys that arrive together — a paste, a fast typist, SSH over a slow
link — are then handled against a state the keys before them have not made yet:

- a priority binding (ctrl+s in the card editor) runs when it arrives, before the text
  typed just before it has reached the field: the save misses that text;
- a key that moves the focus (l, or L which follows the card it moves) does it after
  the next key has already been sent to the old column: `L L` moved two cards;
- a key that opens a screen: the next keys reach the screen before it has focused its
  first field, or while it is still being built as the app closes.

`KeysInOrder` holds each key (and each bracketed paste) until the one before it has
been handled all the way: by the widget it was sent to and every widget it bubbled
through, by the app's bindings, and by whatever screen it opened or closed. Only then
is the next key sent, to whatever then has the focus — exactly as if typed slowly.

How it knows: a message queue is first in, first out, so a callback posted to a
widget after the key runs once that widget has handled the key (and passed it on to
its parent, if it bubbles). The callback then posts itself to the parent, and so on
up to the app; then up the same chain once more, behind any message the key made on
its way (enter's `Input.Submitted`, which closes a dialog, bubbles one step behind the
first pass); then once through the screen now on top (its mount and focus come
first) and the app again (where a deferred `focus()` runs). A key taken as text by the
focused field stops there, and opens or closes nothing: that field's queue is enough.

Keys can also be held back for a while (`hold_keys`): a board screen holds them from
its first frame, drawn from the board's outline, until the board is open. Held keys
are kept in the same queue and let go in order when the last holder lets go
(`let_keys_go`); a key is never dropped for waiting.
"""

from __future__ import annotations

import time
from collections import deque
from typing import TypeVar

from rich.console import RenderableType
from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.timer import Timer
from textual.widget import Widget

ReturnType = TypeVar("ReturnType")

STUCK = 5.0
"""Seconds after which a key that never reports back (a widget removed while it
had the key) stops holding up the keys after it. Generous: opening the card editor
for the first time takes over a second on a loaded machine, and keys released
before it is done would go astray again."""


class KeysInOrder(App[ReturnType]):
    """An app that handles keys and pastes strictly one after the other.

    One shortcut keeps a paste typed key by key quick: a key the focused field takes
    as text (a printable key in an Input or TextArea) goes straight behind the text
    keys still on their way to that field — one queue keeps them in order, and no
    binding can act on them. Any other key waits for all of them.

    Once the app is exiting, keys still arriving are dropped: they would open screens
    in an app that is being taken down.
    """

    def __init__(self) -> None:
        super().__init__()
        self._held: deque[events.Key | events.Paste] = deque()
        self._released: events.Key | events.Paste | None = None
        self._pending: dict[int, float] = {}  # keys being handled: number → since when
        self._typing_into: Widget | None = None  # all pending keys are text for it
        self._count = 0
        self._exiting = False
        self._watchdog: Timer | None = None
        self._holders: set[object] = set()  # while any: every key waits in `_held`

    @property
    def exiting(self) -> bool:
        """Whether the app is closing: no more keys are handled."""
        return self._exiting

    @property
    def keys_waiting(self) -> bool:
        """Whether keys that arrived are still being handled or waiting their turn, or
        keys are held (`hold_keys`): a key typed now would not act yet."""
        return bool(self._held or self._pending or self._holders) or self._released is not None

    def hold_keys(self, holder: object) -> None:
        """Hold every key from now on, in order, until `holder` lets them go."""
        self._holders.add(holder)

    def let_keys_go(self, holder: object) -> None:
        """`holder` no longer holds the keys (again: nothing); when nobody does, the keys
        held act one after the other, exactly as if typed now."""
        if holder in self._holders:
            self._holders.discard(holder)
            self._release_next()

    def exit(
        self,
        result: ReturnType | None = None,
        return_code: int = 0,
        message: RenderableType | None = None,
    ) -> None:
        self._exiting = True
        self._held.clear()
        super().exit(result, return_code, message)

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, (events.Key, events.Paste)) or event.is_forwarded:
            await super().on_event(event)
            return
        if self._exiting:
            return
        if event is self._released:
            self._released = None
            if self._holders or not self._may_go(event):  # held, or the focus moved since
                self._held.appendleft(event)
                return
            await self._handle(event)
        elif self._holders or self._held or self._released is not None or not self._may_go(event):
            self._held.append(event)
        else:
            await self._handle(event)
        # text behind text for the same field goes straight on: one queue keeps the order
        while self._held and self._pending and not self._holders and self._may_go(self._held[0]):
            await self._handle(self._held.popleft())
        self._release_next()

    def _takes_as_text(self, widget: Widget | None, event: events.Key | events.Paste) -> bool:
        return (
            widget is not None
            and isinstance(event, events.Key)
            and widget.check_consume_key(event.key, event.character)
        )

    def _may_go(self, event: events.Key | events.Paste) -> bool:
        """Whether `event` may be handled before the keys now pending are done."""
        if not self._pending:
            return True
        typing_into = self._typing_into
        return typing_into is self.focused and self._takes_as_text(typing_into, event)

    def _release_next(self) -> None:
        """Send the next held key round the app's queue, behind what is queued there now."""
        held = self._held
        if (
            held
            and self._released is None
            and not self._holders
            and not self._exiting
            and self._may_go(held[0])
        ):
            self._released = self._held.popleft()
            self.post_message(self._released)

    async def _handle(self, event: events.Key | events.Paste) -> None:
        """Handle the key now (the way Textual does), then follow it to its end."""
        if self._watchdog is None:
            self._watchdog = self.set_interval(STUCK / 2, self._unstick)
        self._count += 1
        number = self._count
        target = self.focused
        text = self._takes_as_text(target, event)
        self._typing_into = target if text else None  # pending ones are text for it too
        self._pending[number] = time.monotonic()
        await super().on_event(event)
        if text and target is not None:
            # taken as text: it stops at the field, opens and closes nothing
            self._pass_on([target], number, last_round=True)
            return
        where = target or self.screen  # where Textual sent it
        # Twice up the chain: a message the key made (enter's Input.Submitted, which
        # closes a dialog) bubbles up one step behind the first pass; the second
        # follows it, so the next key waits for what that message does.
        chain: list[MessagePump] = list(where.ancestors_with_self)
        self._pass_on(chain + chain, number, last_round=False)

    def _pass_on(self, nodes: list[MessagePump], number: int, *, last_round: bool) -> None:
        """Call back from each of `nodes` in turn, once it has handled what it was sent."""
        while nodes:
            node = nodes.pop(0)
            if node.call_later(self._pass_on, nodes, number, last_round=last_round):
                return
            # closed: nothing more comes out of it
        if number not in self._pending or self._exiting:
            return  # given up on (see `_unstick`), or no screens left to look at
        if not last_round:
            self._pass_on([self.screen, self], number, last_round=True)
            return
        self._done(number)

    def _done(self, *numbers: int) -> None:
        for number in numbers:
            self._pending.pop(number, None)
        if not self._pending:
            self._typing_into = None
        self._release_next()

    def _unstick(self) -> None:
        now = time.monotonic()
        self._done(*[n for n, since in self._pending.items() if now - since > STUCK])

"""What the invitation commands parse and print: durations, the server's address, the
invitation as a mail carries it, and the JSON objects of `invite --json` and `invites --json`.

Apart from `invite` (the commands) so that each stays readable; light to import, as the
parser imports `invite` for its `register`.
"""

from __future__ import annotations

import argparse
import os
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..i18n import N_, _
from .common import UserError, local_zone

if TYPE_CHECKING:
    from ..invitations import Invitation

DEFAULT_EXPIRY = "8h"
LONGEST = timedelta(days=30)
PORT = 2222
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_DURATION = re.compile(r"^\s*([0-9]{1,6})\s*([mhdw])\s*$")
# a host name or an address; never starting with "-", which ssh would take as an option
_HOST = re.compile(r"^[A-Za-z0-9_.:][A-Za-z0-9_.:-]{0,252}$")

# --- arguments -----------------------------------------------------------------------


def a_duration(text: str) -> timedelta:
    """``30m``, ``8h``, ``2d``, ``1w``: more than nothing, at most 30 days."""
    found = _DURATION.match(text)
    length = timedelta(**{_UNITS[found[2]]: int(found[1])}) if found else timedelta(0)
    if not timedelta(0) < length <= LONGEST:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a time like 30m, 8h, 2d or 1w (at most 30 days)").format(text=text)
        )
    return length


def a_server(text: str) -> tuple[str, int]:
    """``HOST[:PORT]`` (an IPv6 address in brackets when it has a port); port 2222."""
    host, port = text, str(PORT)
    if text.startswith("["):
        host, closed, rest = text[1:].partition("]")
        if not closed or (rest and not rest.startswith(":")):
            host = ""  # refused below
        elif rest:
            port = rest[1:]
    elif text.count(":") == 1:
        host, _sep, port = text.partition(":")
    if not _HOST.match(host) or not port.isascii() or not port.isdigit():
        raise argparse.ArgumentTypeError(
            _("'{text}' is not HOST or HOST:PORT (a host name or address, a port 1-65535)").format(
                text=text
            )
        )
    if not 1 <= int(port) <= 65535:
        raise argparse.ArgumentTypeError(_("'{text}': the port must be 1-65535").format(text=text))
    return host, int(port)


def server(given: tuple[str, int] | None) -> tuple[str, int]:
    """--server, else $SPRINTBOARD_SSH_SERVER, else this machine's fully qualified name."""
    if given is not None:
        return given
    named = os.environ.get("SPRINTBOARD_SSH_SERVER")
    if named:
        try:
            return a_server(named)
        except argparse.ArgumentTypeError as error:
            raise UserError(_("SPRINTBOARD_SSH_SERVER: {error}").format(error=error)) from None
    import socket

    found = socket.getfqdn()
    return (found if _HOST.match(found) else "localhost"), PORT


def ssh_command(host: str, port: int) -> str:
    """The line a guest types: ``ssh -t -p 2222 join@HOST`` (no -p for port 22)."""
    return f"ssh -t -p {port} join@{host}" if port != 22 else f"ssh -t join@{host}"


# --- what is printed ------------------------------------------------------------------


def new_json(
    invitation: Invitation, name: str, code: str | None, host: str, port: int, fingerprint: str
) -> dict[str, Any]:
    return {
        "id": invitation.id,
        "board": str(invitation.board),
        "member": invitation.member,
        "name": name,
        "kind": invitation.kind,
        "code": code,
        "command": ssh_command(host, port),
        "fingerprint": fingerprint,
        "expires": utc(invitation.expires),
        "once": invitation.once,
    }


def new_text(
    title: str,
    name: str,
    invitation: Invitation,
    code: str | None,
    host: str,
    port: int,
    fingerprint: str,
) -> list[str]:
    """The invitation as a mail can carry it; every line one line of plain text."""
    opening = _('You are invited to the sprint board "{title}", as {name}.').format(
        title=title, name=name
    )
    if opening.endswith(".."):  # "as Anna B..": a name's own full stop ends the sentence
        opening = opening[:-1]
    lines = [
        opening,
        "",
        _(
            "1. In a terminal (Terminal on a Mac, PowerShell or Windows Terminal on Windows, "
            "any terminal on Linux), type:"
        ),
        f"     {ssh_command(host, port)}",
    ]
    if code is not None:
        lines.append(_('2. When asked "Invitation code:", type: {code}').format(code=code))
    else:
        lines.append(
            _("2. Connect with your key (the one whose public half you sent): no code is asked.")
        )
    lines += [
        "",
        _("The first time, ssh asks whether to trust the server. Its fingerprint must be:"),
        f"     {fingerprint}",
        _("If ssh shows another one, do not go on: tell whoever invited you."),
        "",
        _ends(invitation),
    ]
    return lines


def _ends(invitation: Invitation) -> str:
    until = local(invitation.expires)
    if invitation.once:
        return _("The invitation works once, until {until}.").format(until=until)
    return _("The invitation works until {until}.").format(until=until)


def local(moment: datetime | None) -> str:
    """A moment in this machine's time, with its zone: ``2026-12-02 17:55 CET``."""
    if moment is None:
        return _("never")
    return moment.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M %Z").strip()


def utc(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# --- invites, revoke -------------------------------------------------------------------


def invitation_json(invitation: Invitation, now: datetime) -> dict[str, Any]:
    """One invitation as the stable JSON object of `invites --json` (never a code)."""
    return {
        "id": invitation.id,
        "board": str(invitation.board),
        "member": invitation.member,
        "kind": invitation.kind,
        "state": invitation.state(now),
        "created": utc(invitation.created),
        "expires": utc(invitation.expires),
        "once": invitation.once,
        "uses": invitation.uses,
        "last_used": utc(invitation.last_used),
        "revoked": utc(invitation.revoked),
        "key": invitation.key,
        "by": invitation.by,
    }


def when(invitation: Invitation, now: datetime) -> str:
    state = invitation.state(now)
    if state == "revoked":
        return _("revoked {when}").format(when=local(invitation.revoked))
    if state == "used":
        return _("used {when}").format(when=local(invitation.last_used))
    if state == "expired":
        return _("expired {when}").format(when=local(invitation.expires))
    if invitation.last_used is not None:
        return _("until {until}, last used {when}").format(
            until=local(invitation.expires), when=local(invitation.last_used)
        )
    return _("until {until}").format(until=local(invitation.expires))


STATES = {
    "active": N_("active"),
    "expired": N_("expired"),
    "used": N_("used"),
    "revoked": N_("revoked"),
}

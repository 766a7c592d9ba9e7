"""What the invitation commands parse and print: durations, the server's address, the web
entry's public origin (`a_web_url`, also `serve-web --public-url`), the invitation as a mail
carries it, and the JSON objects of `invite --json` and `invites --json`.

Apart from `invite` (the commands) so that each stays readable; light to import, as the
parser imports `invite` for its `register`.
"""

from __future__ import annotations

import argparse
import os
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from ..guests.prompt import PROMPT
from ..i18n import N_, _
from ..safe_text import visible
from .common import UserError, local_zone

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..invitations import Invitation

T = TypeVar("T")

DEFAULT_EXPIRY = "8h"
LONGEST = timedelta(days=30)
PORT = 2222
WEB_PORT = 8000
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_DURATION = re.compile(r"^\s*([0-9]{1,6})\s*([mhdw])\s*$")
# a host name or an address; never starting with "-", which ssh would take as an option
_HOST = re.compile(r"^[A-Za-z0-9_.:][A-Za-z0-9_.:-]{0,252}$")
LONGEST_URL = 2048
_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")
_DEFAULT_PORTS = {"http": 80, "https": 443}

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


def a_web_url(text: str) -> str:
    """The origin the web entry is reached at, ``http(s)://host[:port]``, normalized: scheme
    and host lower-cased, the default port dropped, no trailing slash (``HTTPS://Sprint.dk:443/``
    → ``https://sprint.dk``). No path, query, fragment or user info: textual-serve's page
    builds its download addresses from the origin alone, so a prefix could not work."""
    found = _web_url_parts(text)
    if isinstance(found, str):
        shown = visible(text if len(text) <= 80 else text[:77] + "...")
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a web address like https://sprint.example.org ({reason})").format(
                text=shown, reason=found
            )
        )
    scheme, host, port = found
    return f"{scheme}://{host}" if port == _DEFAULT_PORTS[scheme] else f"{scheme}://{host}:{port}"


def _web_url_parts(text: str) -> str | tuple[str, str, int]:
    """Why `text` is no web origin (one clause), or its scheme, host and port."""
    if len(text) > LONGEST_URL:
        return _("longer than {count} characters").format(count=LONGEST_URL)
    if any(ord(symbol) < 33 or 127 <= ord(symbol) < 160 for symbol in text):
        return _("it holds a space or a control character")
    scheme, separator, rest = text.partition("://")
    scheme = scheme.lower()
    if not separator or scheme not in _DEFAULT_PORTS:
        return _("it must begin with http:// or https://")
    if "?" in rest or "#" in rest:
        return _("no query or fragment: the origin alone")
    authority, slash, path = rest.partition("/")
    if slash and path:
        return _("no path: the link's path is added to it")
    if "@" in authority:
        return _("no user name or password in it")
    host, port_text = authority, None
    if authority.startswith("["):
        inner, closed, after = authority[1:].partition("]")
        if not closed or (after and not after.startswith(":")):
            return _("an IPv6 address goes in brackets, followed by :PORT at most")
        port_text = after[1:] if after else None
        found = _ipv6(inner)
        if found is None:
            return _("not an IPv6 address in the brackets")
        host = f"[{found}]"
    else:
        if ":" in authority:
            host, _sep, port_text = authority.partition(":")
        found = _host_name(host)
        if found is None:
            return _("no host name or address") if not host else _("not a host name or address")
        host = found
    port = _DEFAULT_PORTS[scheme]
    if port_text is not None:
        if not (port_text.isascii() and port_text.isdigit() and 1 <= int(port_text) <= 65535):
            return _("the port must be 1-65535")
        port = int(port_text)
    return scheme, host, port


def _ipv6(text: str) -> str | None:
    import ipaddress

    if "%" in text:  # a zone names an interface of this machine, not a place on the web
        return None
    try:
        return ipaddress.IPv6Address(text).compressed
    except ValueError:
        return None


def _host_name(text: str) -> str | None:
    """`text` as a lower-case host name or IPv4 address (a Unicode name in its IDNA form),
    None when it is neither."""
    if not text.isascii():
        try:
            text = text.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    name = text.lower()
    labels = name.split(".")
    if len(name) > 253 or not all(_LABEL.match(label) for label in labels):
        return None
    if all(label.isdigit() for label in labels):  # looks like an IPv4 address: must be one
        import ipaddress

        try:
            return str(ipaddress.IPv4Address(name))
        except ValueError:
            return None
    return name


def server(given: tuple[str, int] | None) -> tuple[str, int]:
    """--server, else $SPRINTBOARD_SSH_SERVER, else this machine's fully qualified name."""
    if given is not None:
        return given
    return _named("SPRINTBOARD_SSH_SERVER", a_server) or (_this_machine(), PORT)


def web_url(given: str | None) -> str:
    """--url, else $SPRINTBOARD_WEB_URL, else ``http://`` this machine's fully qualified
    name ``:8000`` (where `serve-web` listens by default); always as `a_web_url` gives it."""
    if given is not None:
        return given
    named = _named("SPRINTBOARD_WEB_URL", a_web_url)
    if named is not None:
        return named
    try:
        return a_web_url(f"http://{_this_machine()}:{WEB_PORT}")
    except argparse.ArgumentTypeError:  # a name that is no web host ("my_box:1"): ours
        return f"http://localhost:{WEB_PORT}"


def _named(variable: str, parse: Callable[[str], T]) -> T | None:
    """$`variable` read as its option is (None when unset or empty); one line when wrong."""
    named = os.environ.get(variable)
    if not named:
        return None
    try:
        return parse(named)
    except argparse.ArgumentTypeError as error:
        raise UserError(_("{variable}: {error}").format(variable=variable, error=error)) from None


def _this_machine() -> str:
    import socket

    found = socket.getfqdn()
    return found if _HOST.match(found) else "localhost"


def ssh_command(host: str, port: int) -> str:
    """The line a guest types: ``ssh -t -p 2222 join@HOST`` (no -p for port 22)."""
    return f"ssh -t -p {port} join@{host}" if port != 22 else f"ssh -t join@{host}"


# --- what is printed ------------------------------------------------------------------


def new_json(
    invitation: Invitation, name: str, code: str | None, host: str, port: int, fingerprint: str
) -> dict[str, Any]:
    return {
        **_new_json(invitation, name),
        "code": code,
        "command": ssh_command(host, port),
        "fingerprint": fingerprint,
        "expires": utc(invitation.expires),
        "once": invitation.once,
    }


def _new_json(invitation: Invitation, name: str) -> dict[str, Any]:
    """What `invite --json` says of every kind: which invitation, for whom, where."""
    return {
        "id": invitation.id,
        "board": str(invitation.board),
        "member": invitation.member,
        "name": name,
        "kind": invitation.kind,
        "language": invitation.language,
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
    lines = [
        _opening(title, name),
        "",
        _(
            "1. In a terminal (Terminal on a Mac, PowerShell or Windows Terminal on Windows, "
            "any terminal on Linux), type:"
        ),
        f"     {ssh_command(host, port)}",
    ]
    if code is not None:
        # the prompt as the SSH entry asks it: one message, so the two always agree
        asked = _(PROMPT)
        lines.append(_('2. When asked "{prompt}", type: {code}').format(prompt=asked, code=code))
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


def link_json(invitation: Invitation, name: str, link: str) -> dict[str, Any]:
    """`invite --web --json`: the keys of a code's `new_json` that fit a link, and it."""
    return {
        **_new_json(invitation, name),
        "link": link,
        "expires": utc(invitation.expires),
        "once": invitation.once,
    }


def link_text(title: str, name: str, invitation: Invitation, link: str) -> list[str]:
    """A link invitation as a mail can carry it: the board, who, the link, that it works
    once in one browser, and until when; nothing of the server."""
    return [
        _opening(title, name),
        "",
        _("Open this link in the web browser you will use:"),
        f"     {link}",
        "",
        _(
            "It works once, in one browser: the browser that opens it first can come back "
            "to the board until {until}."
        ).format(until=local(invitation.expires)),
    ]


def _opening(title: str, name: str) -> str:
    opening = _('You are invited to the sprint board "{title}", as {name}.').format(
        title=title, name=name
    )
    if opening.endswith(".."):  # "as Anna B..": a name's own full stop ends the sentence
        opening = opening[:-1]
    return opening


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
        "opened": utc(invitation.opened),
        "language": invitation.language,
    }


def when(invitation: Invitation, now: datetime) -> str:
    state = invitation.state(now)
    if state == "revoked":
        return _("revoked {when}").format(when=local(invitation.revoked))
    if state == "used":
        return _("used {when}").format(when=local(invitation.last_used))
    if state == "expired":
        return _("expired {when}").format(when=local(invitation.expires))
    if invitation.kind == "link":
        return _link_when(invitation)
    if invitation.last_used is not None:
        return _("until {until}, last used {when}").format(
            until=local(invitation.expires), when=local(invitation.last_used)
        )
    return _("until {until}").format(until=local(invitation.expires))


def _link_when(invitation: Invitation) -> str:
    """An active link: until when, and whether (when) it was opened and last joined."""
    until = local(invitation.expires)
    if invitation.opened is None:
        return _("until {until}, not opened yet").format(until=until)
    if invitation.last_used is not None and invitation.last_used > invitation.opened:
        return _("until {until}, opened {opened}, last used {when}").format(
            until=until, opened=local(invitation.opened), when=local(invitation.last_used)
        )
    return _("until {until}, opened {opened}").format(until=until, opened=local(invitation.opened))


KINDS = {"code": N_("code"), "key": N_("key"), "link": N_("link")}
"""How `invites` names each kind (translated; the JSON keeps the kind's own name)."""
STATES = {
    "active": N_("active"),
    "expired": N_("expired"),
    "used": N_("used"),
    "revoked": N_("revoked"),
}

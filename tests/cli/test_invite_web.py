"""`invite --web`: a link invitation for a browser, run as people run it (the executable,
a state folder of the test's own), and how `invites` and `revoke` treat links."""

from __future__ import annotations

import argparse
import json
import re
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sprintboard.cli.invitation_text import a_web_url
from sprintboard.invitations import Invitation, is_token

from .helpers import Demo, assert_user_error, ok, run, snapshot, toml
from .test_invite import env, state, store

WEB = "https://sprint.example.org"
LINK = re.compile(r"^     (https?://[^/\s]+)/join/(\S+)$", re.M)
NOW = datetime(2026, 12, 2, 9, tzinfo=UTC)


def web_env(root: Path, **changes: str | None) -> dict[str, str]:
    values: dict[str, str | None] = {"SPRINTBOARD_WEB_URL": WEB}
    values.update(changes)
    return env(root, **values)


def invite_web(demo: Demo, *args: str, **changes: str | None) -> str:
    return ok(demo.root, "invite", "demo", *args, "--web", env=web_env(demo.root, **changes))


def opened_by(demo: Demo, out: str) -> tuple[str, Invitation]:
    """The printed link's origin, and the invitation its token opens in the store."""
    found = LINK.search(out)
    assert found is not None, out
    assert is_token(found[2])
    invitation = store(demo.root).match_link(found[2])
    assert invitation is not None
    return found[1], invitation


def test_the_printed_link_opens_its_invitation(demo: Demo) -> None:
    out = invite_web(demo, "omar")
    origin, invitation = opened_by(demo, out)
    assert origin == WEB
    assert (invitation.kind, invitation.member, invitation.board) == ("link", "omar", demo.path)
    assert (invitation.once, invitation.opened, invitation.state(NOW)) == (False, None, "active")
    assert store(demo.root).open_link(invitation.id, NOW) is not None
    assert store(demo.root).open_link(invitation.id, NOW) is None
    lines = out.splitlines()
    assert lines == [
        'You are invited to the sprint board "Families, art and culture", as Omar S.',
        "",
        "Open this link in the web browser you will use:",
        lines[3],
        "",
        "It works once, in one browser: the browser that opens it first can come back to the "
        "board until 2026-12-02 18:00 CET.",
    ]
    # nothing of the server: no paths, no ssh, no fingerprint
    for private in (str(demo.root), str(state(demo.root)), "ssh", "SHA256", "join@"):
        assert private not in out


def test_a_new_member_is_made_from_the_name(demo: Demo) -> None:
    out = invite_web(demo, "Liv Hansen", "--role", "citizen", "--expires", "2d")
    assert toml(demo.path)["members"]["liv-hansen"] == {
        "name": "Liv Hansen",
        "side": "external",
        "role": "citizen",
    }
    invitation = opened_by(demo, out)[1]
    assert invitation.member == "liv-hansen"
    assert "until 2026-12-04 10:00 CET." in out
    # an existing member by name: the same key, no second member
    assert opened_by(demo, invite_web(demo, "liv hansen"))[1].member == "liv-hansen"
    assert sorted(toml(demo.path)["members"]) == ["anna", "liv-hansen", "omar"]


def test_on_a_board_with_facilitators_only_they_invite_by_link(tmp_path: Path) -> None:
    ok(tmp_path, "new", "led", "--title", "Led", "--facilitator", "nanna")
    before = snapshot(tmp_path)
    result = run(tmp_path, "invite", "led", "Omar", "--web", env=web_env(tmp_path))
    assert_user_error(result, r"boards/led\.toml: Only a facilitator \(nanna\)")
    assert snapshot(tmp_path) == before
    out = ok(tmp_path, "--as", "nanna", "invite", "led", "Omar", "--web", env=web_env(tmp_path))
    assert LINK.search(out) is not None
    assert store(tmp_path).all()[0].by == "nanna"


@pytest.mark.parametrize(
    ("given", "origin"),
    [
        ("HTTPS://Board.Example.ORG:443/", "https://board.example.org"),
        ("http://[::1]:8080", "http://[::1]:8080"),
        ("http://10.0.0.5", "http://10.0.0.5"),
    ],
)
def test_the_address_from_the_option_or_the_environment(
    demo: Demo, given: str, origin: str
) -> None:
    assert opened_by(demo, invite_web(demo, "omar", "--url", given))[0] == origin
    assert opened_by(demo, invite_web(demo, "omar", SPRINTBOARD_WEB_URL=given))[0] == origin
    # the option wins over the environment
    out = invite_web(demo, "omar", "--url", given, SPRINTBOARD_WEB_URL="http://other.example")
    assert opened_by(demo, out)[0] == origin


def test_the_default_address_is_this_machine_on_port_8000(demo: Demo) -> None:
    found = socket.getfqdn()
    try:
        expected = a_web_url(f"http://{found}:8000")
    except argparse.ArgumentTypeError:  # a name no browser could use: the command says localhost
        expected = "http://localhost:8000"
    assert opened_by(demo, invite_web(demo, "omar", SPRINTBOARD_WEB_URL=None))[0] == expected
    assert opened_by(demo, invite_web(demo, "omar", SPRINTBOARD_WEB_URL=""))[0] == expected


@pytest.mark.parametrize(
    "url",
    ["ftp://h", "https://h/board", "https://a@h", "https://h?x", "https://h:0", "h\x1b[2J", ""],
)
def test_a_bad_address_is_refused_and_changes_nothing(demo: Demo, url: str) -> None:
    before = snapshot(demo.root)
    result = run(demo.root, "invite", "demo", "New", "--web", "--url", url, env=web_env(demo.root))
    assert result.returncode == 2 and "--url" in result.stderr, result.stderr
    assert "\x1b" not in result.stderr
    bad = run(
        demo.root, "invite", "demo", "New", "--web", env=web_env(demo.root, SPRINTBOARD_WEB_URL=url)
    )
    if url:
        assert_user_error(bad, r"SPRINTBOARD_WEB_URL: '.*' is not a web address")
        assert "\x1b" not in bad.stderr
    else:  # an empty variable is no variable: the default
        assert bad.returncode == 0
        before = snapshot(demo.root)
    assert snapshot(demo.root) == before


@pytest.mark.parametrize(
    ("options", "why"),
    [
        (("--web", "--once"), r"--web links open once anyway \(the browser that opened one"),
        (("--web", "--key", "anna.pub"), r"--web makes a link for a browser, not a key"),
        (("--web", "--server", "h:22"), r"--server is the SSH entry's address: with --web"),
        (("--url", WEB), r"--url is the address of the link --web makes"),
        (("--url", WEB, "--once"), r"--url is the address of the link --web makes"),
    ],
)
def test_options_that_do_not_go_with_web_are_refused(
    demo: Demo, options: tuple[str, ...], why: str
) -> None:
    (demo.root / "anna.pub").write_text(
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBbHHAQWtTg3tYnPHaTzFxdQkQLHGO4r8ClZtvhWV1cR a\n"
    )
    before = snapshot(demo.root)
    result = run(demo.root, "invite", "demo", "New Person", *options, env=web_env(demo.root))
    assert_user_error(result, why)
    assert snapshot(demo.root) == before


def test_json(demo: Demo) -> None:
    data = json.loads(invite_web(demo, "anna", "--json", "--expires", "2d"))
    assert set(data) == {
        "id", "board", "member", "name", "kind", "link", "expires", "once", "language",
    }  # fmt: skip
    assert (data["member"], data["name"], data["kind"], data["once"]) == (
        "anna",
        "Anna K.",
        "link",
        False,
    )
    assert (data["board"], data["expires"]) == (str(demo.path), "2026-12-04T09:00:00Z")
    origin, invitation = opened_by(demo, f"     {data['link']}")
    assert (origin, invitation.id) == (WEB, data["id"])


def test_invites_shows_links_and_whether_they_were_opened(demo: Demo) -> None:
    tokens = [LINK.search(invite_web(demo, who))[2] for who in ("omar", "anna")]  # type: ignore[index]
    first, second = (i.id for i in store(demo.root).all())
    out = ok(demo.root, "invites", env=env(demo.root))
    assert out.splitlines() == [
        f"{first}  omar  demo  link  active  until 2026-12-02 18:00 CET, not opened yet",
        f"{second}  anna  demo  link  active  until 2026-12-02 18:00 CET, not opened yet",
    ]
    # the browser entry opens the first at 10:00 CET, and the same browser joins again later
    store(demo.root).open_link(first, NOW)
    opened = ok(demo.root, "invites", env=env(demo.root))
    assert f"{first}  omar  demo  link  active  until 2026-12-02 18:00 CET, opened " in opened
    assert opened.splitlines()[0].endswith("opened 2026-12-02 10:00 CET")
    store(demo.root).use(first, datetime(2026, 12, 2, 11, tzinfo=UTC))
    again = ok(demo.root, "invites", env=env(demo.root))
    assert again.splitlines()[0].endswith(
        "until 2026-12-02 18:00 CET, opened 2026-12-02 10:00 CET, last used 2026-12-02 12:00 CET"
    )
    listed = json.loads(ok(demo.root, "invites", "--json", env=env(demo.root)))
    assert [(i["id"], i["kind"], i["opened"], i["uses"]) for i in listed] == [
        (first, "link", "2026-12-02T09:00:00Z", 2),
        (second, "link", None, 0),
    ]
    # never a token, nor its hash
    hashes = [r["hash"] for r in json.loads(store(demo.root).path.read_text())["invitations"]]
    for text in (out, opened, again, json.dumps(listed)):
        assert not any(token in text for token in tokens)
        assert not any(digest in text for digest in hashes)


def test_an_opened_link_expired_is_listed_with_all(demo: Demo) -> None:
    invite_web(demo, "omar", "--expires", "1h")
    (invitation,) = store(demo.root).all()
    store(demo.root).open_link(invitation.id, NOW)
    later = env(demo.root, SPRINTBOARD_NOW="2026-12-02T10:30:00Z")
    assert ok(demo.root, "invites", env=later) == "no active invitations\n"
    assert ok(demo.root, "invites", "--all", env=later) == (
        f"{invitation.id}  omar  demo  link  expired  expired 2026-12-02 11:00 CET\n"
    )


def test_revoke_ends_links(demo: Demo) -> None:
    token = LINK.search(invite_web(demo, "omar"))[2]  # type: ignore[index]
    other = LINK.search(invite_web(demo, "anna"))[2]  # type: ignore[index]
    first = store(demo.root).match_link(token).id  # type: ignore[union-attr]
    result = ok(demo.root, "revoke", first, env=env(demo.root))
    assert result == f"revoked {first}: omar on demo; their open sessions end within a second\n"
    assert store(demo.root).match_link(token).state(NOW) == "revoked"  # type: ignore[union-attr]
    assert store(demo.root).open_link(first, NOW) is None
    assert ok(demo.root, "revoke", "Anna K.", env=env(demo.root)).startswith("revoked ")
    assert store(demo.root).match_link(other).state(NOW) == "revoked"  # type: ignore[union-attr]


def probed(demo: Demo, probe: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -c PROBE ARGS` in the demo's folder, with the tests' environment."""
    result = subprocess.run(
        [sys.executable, "-c", probe, *args],
        cwd=demo.root,
        env=web_env(demo.root),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_web_needs_neither_asyncssh_nor_a_host_key(demo: Demo, tmp_path: Path) -> None:
    # asyncssh made unimportable inside the interpreter, then the command's own main
    probe = (
        "import sys\n"
        "sys.modules['asyncssh'] = None\n"
        "from sprintboard.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "loaded = [m for m, module in sys.modules.items() if module is not None\n"
        "          and (m.partition('.')[0] == 'asyncssh' or m.startswith('sprintboard.ssh'))]\n"
        "print('LOADED', loaded, file=sys.stderr) if loaded else None\n"
        "raise SystemExit(code if not loaded else 3)\n"
    )
    result = probed(demo, probe, "invite", "demo", "New Person", "--web")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert opened_by(demo, result.stdout)[1].member == "new-person"
    assert sorted(p.name for p in (state(demo.root) / "sprintboard").iterdir()) == [
        "invitations.json",
        "invitations.json.lock",
    ]
    # and as the installed command sees it with no asyncssh at all (the ssh extra missing)
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "asyncssh.py").write_text("raise ImportError('no asyncssh here', name='asyncssh')\n")
    out = run(
        demo.root,
        "invite",
        "demo",
        "omar",
        "--web",
        env=web_env(demo.root, PYTHONPATH=str(blocker)),
        python=[],
    )
    assert out.returncode == 0 and out.stderr == "", out.stderr
    assert opened_by(demo, out.stdout)[1].member == "omar"


def test_the_probe_above_would_see_asyncssh(demo: Demo) -> None:
    """The import check is not vacuous: the SSH form of `invite` does import asyncssh."""
    probe = (
        "import sys\n"
        "from sprintboard.cli import main\n"
        "main(sys.argv[1:])\n"
        "print(sys.modules.get('asyncssh') is not None, file=sys.stderr)\n"
    )
    result = probed(demo, probe, "invite", "demo", "omar")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "True"

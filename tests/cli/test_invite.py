"""`invite`, `invites` and `revoke`, run as people run them (the executable, a state
folder of the test's own)."""

from __future__ import annotations

import json
import os
import re
import socket
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sprintboard.invitations import Invitations

from .helpers import (
    SPRINTBOARD,
    Demo,
    assert_user_error,
    make_env,
    ok,
    run,
    snapshot,
    toml,
)

CODE = re.compile(
    r'When asked "Invitation code:", type: ([0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3})$', re.M
)
NOW = "2026-12-02T09:00:00Z"
ED25519 = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBbHHAQWtTg3tYnPHaTzFxdQkQLHGO4r8ClZtvhWV1cR anna@laptop\n"
)

PRIVATE = "\n".join(
    [
        "-----BEGIN OPENSSH PRIVATE KEY-----",
        "b3BlbnNzaC1rZXktdjEAAAAA",
        "-----END OPENSSH PRIVATE KEY-----",
    ]
)


def state(root: Path) -> Path:
    return root / "state"


def env(root: Path, **changes: str | None) -> dict[str, str]:
    """The tests' environment: its own state folder, a fixed clock, a named server."""
    values: dict[str, str | None] = {
        "XDG_STATE_HOME": str(state(root)),
        "SPRINTBOARD_NOW": NOW,
        "SPRINTBOARD_SSH_SERVER": "sprint.example.org",
        "TZ": "Europe/Copenhagen",
    }
    values.update(changes)
    return make_env(root, **values)


def store(root: Path) -> Invitations:
    return Invitations(state(root) / "sprintboard")


def invite(demo: Demo, *args: str, **changes: str | None) -> str:
    return ok(demo.root, "invite", "demo", *args, env=env(demo.root, **changes))


def test_the_printed_invitation_lets_its_code_in(demo: Demo) -> None:
    out = invite(demo, "omar", "--once")
    found = CODE.search(out)
    assert found is not None, out
    code = found[1]
    now = datetime(2026, 12, 2, 9, tzinfo=UTC)
    invitation = store(demo.root).match_code(code, now)
    assert invitation is not None
    assert (invitation.member, invitation.board, invitation.once) == ("omar", demo.path, True)
    assert invitation.expires == now + timedelta(hours=8)
    assert invitation.by == "tester"
    # what it says, line by line: the board, the person, the command, the fingerprint, the end
    assert 'sprint board "Families, art and culture", as Omar S.' in out
    assert "\n     ssh -t -p 2222 join@sprint.example.org\n" in out
    assert "PowerShell or Windows Terminal" in out
    pub = (state(demo.root) / "sprintboard" / "ssh_host_ed25519_key.pub").read_text()
    assert pub.startswith("ssh-ed25519 ")
    fingerprint = re.search(r"^     (SHA256:[A-Za-z0-9+/]{43})$", out, re.M)
    assert fingerprint is not None, out
    assert "The invitation works once, until 2026-12-02 18:00 CET." in out
    assert out.count(code) == 1
    # the host key is made once, and every invitation names the same one
    again = invite(demo, "anna")
    assert (
        fingerprint[1] in again
        and pub == (state(demo.root) / "sprintboard" / "ssh_host_ed25519_key.pub").read_text()
    )
    assert "The invitation works until 2026-12-02 18:00 CET." in again
    assert stat.S_IMODE(os.stat(store(demo.root).path).st_mode) == 0o600


def test_json_and_the_server_option(demo: Demo) -> None:
    data = json.loads(invite(demo, "anna", "--json", "--server", "[::1]:22", "--expires", "2d"))
    assert set(data) == {
        "id", "board", "member", "name", "kind", "code",
        "command", "fingerprint", "expires", "once", "language",
    }  # fmt: skip
    assert data["command"] == "ssh -t join@::1"
    assert (data["member"], data["name"], data["kind"], data["once"]) == (
        "anna",
        "Anna K.",
        "code",
        False,
    )
    assert data["expires"] == "2026-12-04T09:00:00Z"
    assert data["board"] == str(demo.path)
    assert data["fingerprint"].startswith("SHA256:")
    now = datetime(2026, 12, 2, 9, tzinfo=UTC)
    assert store(demo.root).match_code(data["code"], now).id == data["id"]  # type: ignore[union-attr]
    out = invite(demo, "anna", "--server", "sprint.example.org:2200", SPRINTBOARD_SSH_SERVER=None)
    assert "ssh -t -p 2200 join@sprint.example.org" in out
    out = invite(demo, "anna", SPRINTBOARD_SSH_SERVER="host.example:4000")
    assert "ssh -t -p 4000 join@host.example" in out


@pytest.mark.parametrize(
    "server", ["a b", "-oProxyCommand=x", "host:0", "host:65536", "host:x", "[::1", "h\x1b[2J", ""]
)
def test_a_bad_server_is_a_usage_error(demo: Demo, server: str) -> None:
    before = snapshot(demo.root)
    result = run(demo.root, "invite", "demo", "omar", "--server", server, env=env(demo.root))
    assert result.returncode == 2 and "--server" in result.stderr, result.stderr
    assert "\x1b" not in result.stderr
    bad = run(
        demo.root,
        "invite",
        "demo",
        "omar",
        env=env(demo.root, SPRINTBOARD_SSH_SERVER=server or "a b"),
    )
    assert_user_error(bad, r"SPRINTBOARD_SSH_SERVER: ")
    assert snapshot(demo.root) == before


@pytest.mark.parametrize(
    "expires", ["0m", "0h", "31d", "5w", "8", "h", "8 hours", "-1h", "1.5h", ""]
)
def test_a_bad_expiry_is_a_usage_error(demo: Demo, expires: str) -> None:
    result = run(demo.root, "invite", "demo", "omar", "--expires", expires, env=env(demo.root))
    assert result.returncode == 2 and "--expires" in result.stderr, result.stderr
    assert not state(demo.root).exists()


@pytest.mark.parametrize(
    ("expires", "until"),
    [
        ("30m", "2026-12-02 10:30 CET"),
        ("2d", "2026-12-04 10:00 CET"),
        ("1w", "2026-12-09 10:00 CET"),
        ("30d", "2027-01-01 10:00 CET"),
        (" 8h ", "2026-12-02 18:00 CET"),
    ],
)
def test_expiry_parsing(demo: Demo, expires: str, until: str) -> None:
    assert f"until {until}." in invite(demo, "omar", "--expires", expires)


def test_a_new_member_is_added_once(demo: Demo) -> None:
    out = invite(demo, "José Müller-Lund", "--role", "citizen")
    assert "as José Müller-Lund." in out
    members = toml(demo.path)["members"]
    assert members["jose-muller-lund"] == {
        "name": "José Müller-Lund", "side": "external", "role": "citizen",
    }  # fmt: skip
    before = demo.path.read_bytes()
    # the same person again, by name whatever the case and spacing, or by key: no change
    invite(demo, "  josé   müller-lund ")
    invite(demo, "jose-muller-lund", "--role", "citizen", "--side", "external")
    assert demo.path.read_bytes() == before
    # someone else of the same first words gets a key of their own
    invite(demo, "Jose Muller Lund!", "--side", "internal")
    members = toml(demo.path)["members"]
    assert members["jose-muller-lund-2"] == {"name": "Jose Muller Lund!", "side": "internal"}
    assert [i.member for i in store(demo.root).all()] == [
        "jose-muller-lund", "jose-muller-lund", "jose-muller-lund", "jose-muller-lund-2",
    ]  # fmt: skip


def test_letters_without_an_ascii_base_are_spelt_out_in_the_key(demo: Demo) -> None:
    # æ, ø and ß decompose to nothing: dropped, "Søren Æbelø" would be "sren-bel"
    out = invite(demo, "Søren Æbelø Strauß B.")
    assert "as Søren Æbelø Strauß B.\n" in out  # the name's own full stop ends the sentence
    assert toml(demo.path)["members"]["soeren-aebeloe-strauss-b"]["name"] == (
        "Søren Æbelø Strauß B."
    )


def test_side_or_role_of_an_existing_member_must_be_theirs(demo: Demo) -> None:
    before = snapshot(demo.root)
    result = run(demo.root, "invite", "demo", "Omar S.", "--side", "internal", env=env(demo.root))
    assert_user_error(result, r"boards/demo\.toml: omar is a member already, external")
    # the side as the members list names it, in the language spoken, not the file's word
    args = ("--lang", "da", "invite", "demo", "Omar S.", "--side", "internal")
    result = run(demo.root, *args, env=env(demo.root))
    assert_user_error(result, r"boards/demo\.toml: omar er allerede deltager, ekstern med")
    result = run(demo.root, "invite", "demo", "anna", "--role", "citizen", env=env(demo.root))
    assert_user_error(result, r"boards/demo\.toml: anna is a member already")
    assert snapshot(demo.root) == before


def test_on_a_board_with_facilitators_only_they_invite(tmp_path: Path) -> None:
    ok(tmp_path, "new", "led", "--title", "Led", "--facilitator", "nanna")
    board = tmp_path / "boards" / "led.toml"
    before = board.read_bytes()
    for who in ("tester", "omar"):
        result = run(tmp_path, "--as", who, "invite", "led", "Omar", env=env(tmp_path))
        assert_user_error(result, r"boards/led\.toml: Only a facilitator \(nanna\)")
        result = run(tmp_path, "--as", who, "invite", "led", "nanna", env=env(tmp_path))
        assert_user_error(result, r"boards/led\.toml: Only a facilitator \(nanna\)")
    assert board.read_bytes() == before
    assert not (state(tmp_path) / "sprintboard" / "invitations.json").exists()
    out = ok(tmp_path, "--as", "nanna", "invite", "led", "Omar", env=env(tmp_path))
    assert "as Omar." in out
    assert toml(board)["members"]["omar"] == {"name": "Omar", "side": "external"}
    assert store(tmp_path).all()[0].by == "nanna"


def test_a_bound_key(demo: Demo) -> None:
    key_file = demo.root / "anna.pub"
    key_file.write_text(ED25519)
    out = invite(demo, "anna", "--key", str(key_file))
    assert "Invitation code" not in out and CODE.search(out) is None
    assert "Connect with your key (the one whose public half you sent)" in out
    data = json.loads(invite(demo, "anna", "--key", str(key_file), "--json"))
    assert data["code"] is None and data["kind"] == "key"
    now = datetime(2026, 12, 2, 9, tzinfo=UTC)
    found = store(demo.root).match_key(ED25519.replace("anna@laptop", ""), now)
    assert [i.member for i in found] == ["anna", "anna"]
    listed = json.loads(ok(demo.root, "invites", "--json", env=env(demo.root)))
    assert [i["key"] for i in listed] == [ED25519.rsplit(" ", 1)[0]] * 2


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (PRIVATE, "is a private key"),
        ("ssh-ed25519 AAAA!!!!\n", "is not an OpenSSH public key"),
        ("ssh-dss AAAAB3NzaC1kc3MAAACBAP\n", "is not a public key of a kind"),
        ("hello\n", "is not one OpenSSH public key line"),
        ("", "is not one OpenSSH public key line"),
    ],
)  # fmt: skip
def test_a_bad_key_file_is_refused(demo: Demo, content: str, why: str) -> None:
    key_file = demo.root / "key.pub"
    key_file.write_text(content)
    before = snapshot(demo.root)
    result = run(
        demo.root, "invite", "demo", "New Person", "--key", str(key_file), env=env(demo.root)
    )
    assert_user_error(result, re.escape(f"{key_file}: {why}"))
    assert snapshot(demo.root) == before


def test_a_missing_or_strange_key_file_is_refused(demo: Demo) -> None:
    before = snapshot(demo.root)
    result = run(demo.root, "invite", "demo", "x", "--key", "nope.pub", env=env(demo.root))
    assert_user_error(result, r"nope\.pub: no such file")
    os.mkfifo(demo.root / "fifo.pub")
    result = run(demo.root, "invite", "demo", "x", "--key", "fifo.pub", env=env(demo.root))
    assert_user_error(result, r"fifo\.pub: is a named pipe")
    result = run(demo.root, "invite", "demo", "x", "--key", "boards", env=env(demo.root))
    assert_user_error(result, r"boards: is a directory")
    (demo.root / "fifo.pub").unlink()  # reading a named pipe would wait for a writer
    assert snapshot(demo.root) == before
    result = run(demo.root, "invite", "demo", "omar", "--key", "k", "--once", env=env(demo.root))
    assert_user_error(result, r"--once is for codes")


def test_invites_lists_without_codes(demo: Demo) -> None:
    codes = [CODE.search(invite(demo, who))[1] for who in ("omar", "anna")]  # type: ignore[index]
    once = CODE.search(invite(demo, "omar", "--once", "--expires", "1h"))[1]  # type: ignore[index]
    out = ok(demo.root, "invites", env=env(demo.root))
    lines = out.splitlines()
    assert len(lines) == 3
    ids = [i.id for i in store(demo.root).all()]
    for line, id_, who in zip(lines, ids, ("omar", "anna", "omar"), strict=True):
        assert re.fullmatch(
            rf"{id_}  {who} +demo  code(, once)?  active  until 2026-12-02 1\d:00 CET", line
        )
    # an hour and a half later the once-only code has expired; used, it is "used"
    later = env(demo.root, SPRINTBOARD_NOW="2026-12-02T10:30:00Z")
    assert len(ok(demo.root, "invites", env=later).splitlines()) == 2
    every = ok(demo.root, "invites", "--all", env=later)
    assert f"{ids[2]}  omar  demo  code, once  expired  expired 2026-12-02 11:00 CET" in every
    store(demo.root).use(ids[0], datetime(2026, 12, 2, 10, tzinfo=UTC))
    listed = json.loads(ok(demo.root, "invites", "--all", "--json", env=later))
    assert [(i["id"], i["state"], i["uses"]) for i in listed] == [
        (ids[0], "active", 1), (ids[1], "active", 0), (ids[2], "expired", 0),
    ]  # fmt: skip
    assert listed[0]["last_used"] == "2026-12-02T10:00:00Z"
    assert set(listed[0]) == {
        "id", "board", "member", "kind", "state", "created", "expires", "once", "uses",
        "last_used", "revoked", "key", "by", "opened", "language",
    }  # fmt: skip
    assert listed[0]["opened"] is None  # a code is never opened: links are
    assert "last used 2026-12-02 11:00 CET" in ok(demo.root, "invites", env=later)
    # narrowed to a board
    assert ok(demo.root, "invites", "other", env=later) == "no active invitations\n"
    assert len(ok(demo.root, "invites", "demo", env=later).splitlines()) == 2
    # never a code, in any form, nor its hash
    hashes = [r["hash"] for r in json.loads(store(demo.root).path.read_text())["invitations"]]
    for text in (out, every, json.dumps(listed)):
        for code in [*codes, once]:
            for form in (code, code.replace("-", ""), code.lower()):
                assert form not in text
        assert not any(h in text for h in hashes)


def test_revoke_by_id_and_by_name(demo: Demo) -> None:
    out = invite(demo, "omar")
    code = CODE.search(out)[1]  # type: ignore[index]
    invite(demo, "anna")
    invite(demo, "Anna K.")
    first, anna1, anna2 = (i.id for i in store(demo.root).all())
    result = ok(demo.root, "revoke", first, env=env(demo.root))
    assert result == f"revoked {first}: omar on demo; their open sessions end within a second\n"
    now = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)
    assert store(demo.root).match_code(code, now) is None
    assert store(demo.root).get(first).state(now) == "revoked"  # type: ignore[union-attr]
    # by name, whatever the case; only the active ones
    result = ok(demo.root, "revoke", "anna k.", env=env(demo.root))
    assert result.splitlines() == [
        f"revoked {i}: anna on demo; their open sessions end within a second"
        for i in sorted([anna1, anna2])
    ]
    for who in ("anna", first, "nobody"):
        assert_user_error(
            run(demo.root, "revoke", who, env=env(demo.root)),
            r"no active invitation matches '",
        )
    # the records stay, for invites --all
    assert len(ok(demo.root, "invites", "--all", env=env(demo.root)).splitlines()) == 3


def test_revoke_narrowed_to_a_board(demo: Demo) -> None:
    ok(demo.root, "new", "other", "--title", "Other")
    invite(demo, "Omar S.")
    ok(demo.root, "invite", "other", "omar", env=env(demo.root))
    assert_user_error(
        run(demo.root, "revoke", "omar", "third", env=env(demo.root)), r"no active invitation"
    )
    result = ok(demo.root, "revoke", "omar", "other", env=env(demo.root))
    assert result.startswith("revoked ") and " omar on other;" in result
    assert len(ok(demo.root, "invites", env=env(demo.root)).splitlines()) == 1


def test_an_unusable_state_folder_changes_nothing(demo: Demo) -> None:
    state(demo.root).mkdir()
    (state(demo.root) / "sprintboard").write_text("a file where the folder should be")
    before = snapshot(demo.root)
    for args in (("invite", "demo", "New Person"), ("invites",), ("revoke", "anna")):
        result = run(demo.root, *args, env=env(demo.root))
        assert_user_error(
            result, rf"{re.escape(str(state(demo.root)))}/sprintboard: .*state folder"
        )
    assert snapshot(demo.root) == before
    assert "new-person" not in toml(demo.path)["members"]


def test_a_read_only_state_folder_changes_nothing(demo: Demo) -> None:
    folder = state(demo.root) / "sprintboard"
    folder.mkdir(parents=True)
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("permission bits do not bind this user (root)")
        before = snapshot(demo.root)
        result = run(demo.root, "invite", "demo", "New Person", env=env(demo.root))
        assert_user_error(result, r".*sprintboard: the state folder cannot be written")
        assert snapshot(demo.root) == before
    finally:
        folder.chmod(0o700)


def test_a_corrupt_store_is_left_and_stops_invite(demo: Demo) -> None:
    invite(demo, "omar")
    path = store(demo.root).path
    path.write_text("{ not json")
    before = snapshot(demo.root)
    for args in (("invite", "demo", "New Person"), ("invites",), ("revoke", "omar")):
        result = run(demo.root, *args, env=env(demo.root))
        assert_user_error(result, rf"{re.escape(str(path))}: is not an invitations file")
    assert path.read_text() == "{ not json"
    # the board is changed only once the invitation could be made: a new member stays
    # out of a board whose store is broken
    assert "new-person" not in toml(demo.path)["members"]
    assert snapshot(demo.root) == before


def test_a_missing_board(demo: Demo) -> None:
    result = run(demo.root, "invite", "nothere", "omar", env=env(demo.root))
    assert_user_error(result, r"boards/nothere\.toml: no such board file")
    assert not state(demo.root).exists()


@pytest.mark.parametrize(
    "name",
    ["Anna\x1b[2J\x07", "[red]Mallory[/red]", "x" * 10_000, "two\nlines", "\u202eevil", "   "],
)
def test_a_hostile_name_is_refused_or_shown_escaped(demo: Demo, name: str) -> None:
    result = run(demo.root, "invite", "demo", name, env=env(demo.root))
    text = result.stdout + result.stderr
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    if result.returncode == 0:
        assert name == "[red]Mallory[/red]"
        assert "as [red]Mallory[/red]." in result.stdout  # plain text, not markup
        assert toml(demo.path)["members"]["red-mallory-red"]["name"] == name
    else:
        assert_user_error(result, r"NAME: .* is not a usable name")
        assert len(result.stderr) < 300
        assert set(toml(demo.path)["members"]) == {"anna", "omar"}


def test_a_hostile_board_title_is_shown_escaped(tmp_path: Path) -> None:
    ok(tmp_path, "new", "b", "--title", "T")
    board = tmp_path / "boards" / "b.toml"
    hostile = 'title = "T\\u009b31m[red]x\\u202e"'
    board.write_text(board.read_text().replace('title = "T"', hostile))
    out = ok(tmp_path, "invite", "b", "Omar", env=env(tmp_path))
    assert "\x9b" not in out and "\u202e" not in out
    assert 'board "T\\x9b31m[red]x\\u202e", as Omar.' in out


def test_without_the_ssh_extra_one_line(demo: Demo, tmp_path: Path) -> None:
    # an interpreter that cannot import asyncssh: a module of that name that fails
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "asyncssh.py").write_text("raise ImportError('no asyncssh here', name='asyncssh')\n")
    before = snapshot(demo.root / "boards")
    result = run(
        demo.root,
        "invite",
        "demo",
        "New Person",
        env=env(demo.root, PYTHONPATH=str(blocker)),
        python=[],
    )
    assert_user_error(
        result, r"sprintboard invite needs the ssh extra: pip install 'sprintboard\[ssh\]'"
    )
    assert snapshot(demo.root / "boards") == before


def test_two_invites_at_once_both_land(demo: Demo) -> None:
    commands = [
        subprocess.Popen(
            [SPRINTBOARD, "invite", "demo", f"Person {n}"],
            cwd=demo.root,
            env=env(demo.root),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    try:
        results = [command.communicate(timeout=120) for command in commands]
    finally:
        for command in commands:
            if command.poll() is None:
                command.kill()
                command.wait()
    assert all(command.returncode == 0 for command in commands), results
    assert sorted(i.member for i in store(demo.root).all()) == [f"person-{n}" for n in range(4)]
    assert {f"person-{n}" for n in range(4)} <= set(toml(demo.path)["members"])


@pytest.mark.parametrize(
    ("argv", "handler"),
    [
        (("invite", "b", "anna", "--expires", "2d", "--server", "h:22"), "cmd_invite"),
        (("invite", "b", "anna", "--web", "--url", "https://h"), "cmd_invite"),
        (("invites", "--all"), "cmd_invites"),
        (("revoke", "anna", "b"), "cmd_revoke"),
        (("list", "b"), "cmd_list"),
        (("open", "b"), "cmd_open"),
    ],
)
def test_the_commands_import_the_store_and_ssh_only_when_they_run(
    argv: tuple[str, ...], handler: str
) -> None:
    # parsing (what `--help` and every other command pay for) loads none of it
    probe = (
        "import sys, json\n"
        "from sprintboard.cli.parser import build_parser\n"
        "args = build_parser(sys.argv[1:]).parse_args(sys.argv[1:])\n"
        "print(json.dumps([args.func.__name__, sorted(sys.modules)]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *argv], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    name, modules = json.loads(result.stdout)
    assert name == handler
    heavy = {"asyncssh", "sprintboard.invitations", "sprintboard.ssh", "sprintboard.state"}
    assert [m for m in modules if any(m == h or m.startswith(h + ".") for h in heavy)] == []


def test_a_name_two_members_share_is_refused(demo: Demo) -> None:
    ok(demo.root, "member", "demo", "o2", "--name", "omar s.", "--side", "external")
    before = snapshot(demo.root)
    result = run(demo.root, "invite", "demo", "Omar S.", env=env(demo.root))
    assert_user_error(result, r"boards/demo\.toml: 'Omar S\.' may be any of o2, omar: give the")
    assert snapshot(demo.root) == before
    assert "as omar s." in invite(demo, "o2")


def test_the_default_server_is_this_machine(demo: Demo) -> None:
    found = socket.getfqdn()
    data = json.loads(invite(demo, "omar", "--json", SPRINTBOARD_SSH_SERVER=None))
    assert data["command"] == f"ssh -t -p 2222 join@{found if found else 'localhost'}"


DANISH_CODE = re.compile(
    r'Når du bliver spurgt om "Invitationskode:", så skriv: ([0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3})$',
    re.M,
)


def test_a_language_named_on_the_command_line_is_the_invitations(demo: Demo) -> None:
    out = ok(demo.root, "--lang", "da", "invite", "demo", "omar", env=env(demo.root))
    # printed in Danish, quoting the prompt as the Danish entry asks it
    found = DANISH_CODE.search(out)
    assert found is not None, out
    now = datetime(2026, 12, 2, 9, tzinfo=UTC)
    danish = store(demo.root).match_code(found[1], now)
    assert danish is not None and danish.language == "da"
    # after the command too
    data = json.loads(
        ok(demo.root, "invite", "demo", "anna", "--json", "--lang", "da", env=env(demo.root))
    )
    assert data["language"] == "da"
    # not named: the guest's own, whatever the inviter's own language is
    plain = json.loads(invite(demo, "nanna", "--json", SPRINTBOARD_LANG="da"))
    assert plain["language"] is None
    assert store(demo.root).get(plain["id"]).language is None  # type: ignore[union-attr]
    listed = {
        line.split()[0]: line for line in ok(demo.root, "invites", env=env(demo.root)).splitlines()
    }
    assert " · da  " in listed[danish.id] and " · da  " in listed[data["id"]]
    assert "·" not in listed[plain["id"]]
    rows = json.loads(ok(demo.root, "invites", "--json", env=env(demo.root)))
    assert {row["id"]: row["language"] for row in rows} == {
        danish.id: "da",
        data["id"]: "da",
        plain["id"]: None,
    }

"""The SSH entry: invited guests join a board with `ssh`, no shell account needed.

Each SSH session gets its own pseudo-terminal and its own app process (`sprintboard
open --guest`, as the invited member, on the invited board); the server only
authenticates, starts, relays and ends them. Imports asyncssh (the ``ssh`` extra), so
nothing outside this package and `sprintboard serve-ssh` / `invite` imports it.

- `host_key`: the server's ed25519 key in the state folder, and its fingerprint.
- `server`: the SSH server (`start` → `SSHEntry`): codes and bound keys, refusals of
  everything but one session, the revocation poll.
- `throttle`: the rate limit on wrong codes per address (bounded, no asyncssh).
- `sessions`: the `Hub` of guest sessions: each starts its app, relays, resizes,
  enforces the limits and ends the app's process group with the session.
- `terminal`: an app process on its own pty (its controlling terminal).

What the browser entry shares with this one (the guest, the limits, the app's command
and environment, the revocation poll) is in `sprintboard.guests`.
"""

"""What the two entries for guests share (SSH and the browser), free of both servers.

- `limits`: `Guest` (who joined, with which invitation, onto which board) and the
  `Limits` of a session (how many at once, idle, longest, grace), `span` to say one.
- `child`: the guest's app command (`sprintboard --as MEMBER open --guest BOARD`) and
  the clean, checked environment it starts with; the window size a client may ask for.
- `prompt`: the SSH entry's question, which the printed invitation quotes.
- `revocation`: the poll of the invitations file that ends revoked guests' sessions.
"""

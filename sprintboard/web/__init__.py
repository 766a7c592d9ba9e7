"""The browser entry: invited guests open a link and get the board in their browser.

Each page's websocket gets its own app process (`sprintboard open --guest`, as the
invited member, on the invited board), spoken to in textual-serve's protocol; the
server only checks the link and the cookie, starts, relays and ends them. Imports
aiohttp and textual-serve (the ``web`` extra), so nothing outside this package and
`sprintboard serve-web` imports them.
"""

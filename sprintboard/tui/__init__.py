"""The Textual app: the only layer of sprintboard that imports Textual.

`app.make_app` builds the app for the command line and for every test; screens live
in `screens/` (one per file), widgets in `widgets/` (one family per file).
"""

"""The library layer: what the CLI, the notebook API and the demo all call.

`app.collection` runs a collection's lifecycle (open or resume a snapshot, collect, close it with
the status it earned); `app.assessment` loads a snapshot and scores it. Nothing here prints.
"""

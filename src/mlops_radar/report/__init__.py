"""The report stage: the model's typed results in words and formats, one renderer per format
behind one interface (`report.base`): JSON and terminal now; the HTML site and Markdown lists
next. `values` is the one place that turns table values into JSON values, `words` the one place
that puts verdicts into English, `export` writes snapshots for other tools.

Nothing is imported here, so `report.terminal.printable` costs the CLI no pandas or SQLAlchemy.
"""

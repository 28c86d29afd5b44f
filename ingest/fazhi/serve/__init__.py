"""Stage "serve": what analysts see of the warehouse.

evidence.py  the shared query layer: facts, evidence sentences, conflicts, lookups
explain.py   `fazhi explain`: renderers for a terminal, a pipe, JSON
report.py    `fazhi report`: one static HTML file
"""

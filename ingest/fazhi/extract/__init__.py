"""Stages "find quantities" and "attribute": normalised text -> indicator candidates.

quantities.py  numbers with measure words and qualifiers (where a number is parsed)
zeros.py       zeros stated in words (无行政败诉案件) as quantities of 0
attribute.py   quantity -> indicator (cue + domain context) and scope label
"""

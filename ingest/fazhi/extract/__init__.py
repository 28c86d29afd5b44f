"""Stages "find quantities" and "attribute": normalised text -> indicator candidates.

quantities.py  numbers with measure words and qualifiers (where a number is parsed)
words.py       the lexicon's words in a text (seeds/lexicon.csv)
grammar.py     the clause grammar: a number's action, object and domain -> indicator frames
zeros.py       zeros stated in words (未收到…申请, 无行政败诉, 申请数为零) as quantities of 0, and their reading
scope.py       total | subunit | other_period | other
attribute.py   the per-document loop: quantities -> candidates with evidence and confidence
wraps.py       sentences wrapped across lines of a plain text, joined for the reading of prose
candidates.py  a report's candidates: table cells (fazhi.tables) and prose (the above)
"""

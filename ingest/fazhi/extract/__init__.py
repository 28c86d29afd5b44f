"""Stages "find quantities" and "attribute": normalised text -> indicator candidates.

quantities.py  numbers with measure words and qualifiers (where a number is parsed)
words.py       the lexicon's words in a text (seeds/lexicon.csv)
grammar.py     the clause grammar: a number's action, object and domain -> indicator frames
zeros.py       zeros stated in words (未收到…申请, 无行政败诉) as quantities of 0
scope.py       total | subunit | other_period | other
attribute.py   the per-document loop: quantities -> candidates with evidence and confidence
"""

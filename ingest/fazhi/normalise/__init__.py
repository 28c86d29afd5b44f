"""Stage "normalise": original text -> a simplified, half-width view with an offset map back.

chars.py      character tables (CJK class, common chars, the view's mapping, t2s)
view.py       `normalise()`: the view and its offset map
mojibake.py   misaligned-GBK detection and repair
sentences.py  the one notion of sentence and clause
"""
from fazhi.normalise.view import Normalised, normalise

__all__ = ["Normalised", "normalise"]

"""Stage "serve": full-text search over the sentences of every report.

terms.py      jieba segmentation (with the catalog's words and place names) -> index terms
sentences.py  a report's sentences with offsets, normalised view and terms (landed by ingest)
query.py      `fazhi search`: BM25 over search.search_sentence_terms, highlights
"""

"""Stage "place and year": which report this is, for where and for which year.

metadata.py      title, issuer, document number, dates, report year
jurisdiction.py  the gazetteer (MCA list + seeds) and issuer / doc number / place names -> jurisdiction
"""

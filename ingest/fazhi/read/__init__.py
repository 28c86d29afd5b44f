"""Stage "read": bytes on disk -> the report's original text.

files.py    the bytes of a file, safely (size limit, regular files only)
decode.py   bytes -> text: BOM, UTF-8/16, GB18030, Big5, refusals of binary formats
html.py     HTML -> main text
"""
from fazhi.read.decode import Decoded, UnreadableFile, decode_bytes, read_file

__all__ = ["Decoded", "UnreadableFile", "decode_bytes", "read_file"]

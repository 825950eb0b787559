"""Text put right before it is read: mojibake undone.

Feeds and scraped archives often carry UTF-8 that was decoded once as
cp1252 or Latin-1 ("itâ€™s", "cafÃ©" for "it’s", "café").  ``ftfy`` knows
the byte patterns of those mistakes and reverses them only where the result
is more plausible text, so correct accented, Turkish or Arabic text is left
as it is.  Only the encoding is repaired: quotes, ligatures, full-width
letters, HTML entities and line breaks stay as written.
"""

from __future__ import annotations

import ftfy

_ENCODING_ONLY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


def repair_text(text: str) -> str:
    """``text`` with mis-decoded characters restored; ASCII text is returned at once."""
    if text.isascii():
        return text
    return ftfy.fix_text(text, _ENCODING_ONLY)

"""The words a page in one language must not show in its chrome, shared by the test-client crawl
(tests/test_page_language.py) and the browser sweep (tests/e2e/test_phone_sweep.py).

Only the page's chrome is read — labels, buttons, table headers, legends, summaries, navigation, captions, the
empty choice of a select, and the placeholder / aria-label / title attributes — so people's own content
(product, store and pesantren names, descriptions, addresses) may be in any language. Words are matched whole
and case-sensitively.
"""

import re

# Unambiguous Indonesian UI words that an English page must not show in its chrome.
INDONESIAN_WORDS = [
    "Simpan",
    "Batal",
    "Cari",
    "Keranjang",
    "Pesanan",
    "Kembali",
    "Lihat",
    "Tambah",
    "Hapus",
    "Ubah",
    "Pilih",
    "Belum",
    "Sudah",
    "dan",
    "atau",
    "Sabtu",
    "Kamis",
    "a.n.",
    "Kirim",
    "Masuk",
    "Keluar",
]
# English UI words that a Bahasa Indonesia page must not show in its chrome.
ENGLISH_WORDS = [
    "Save",
    "Cancel",
    "Search",
    "Cart",
    "Orders",
    "Back",
    "Select an option",
    "Submit",
    "Delete",
    "Edit",
    "Add",
    "Choose",
]
CHROME_TAGS = {"label", "button", "th", "legend", "summary", "nav", "caption"}
CHROME_ATTRIBUTES = ("placeholder", "aria-label")
# A title is chrome on a button or a label; on a data cell it holds the data (a mapping's notes).
CHROME_TITLE_TAGS = CHROME_TAGS | {"a", "input", "select", "abbr"}


def pattern(words: list[str]) -> re.Pattern:
    return re.compile(r"(?<![\w.])(" + "|".join(re.escape(word) for word in words) + r")(?![\w])")


def foreign_words(language: str) -> re.Pattern:
    """The words a page in `language` must not show: Indonesian ones on an English page, and the reverse."""
    return pattern(INDONESIAN_WORDS if language == "en" else ENGLISH_WORDS)

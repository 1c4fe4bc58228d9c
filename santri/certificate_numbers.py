"""Certificate numbers of the santri programme, one scheme for every kind: `<series>-<year>-<region>-<seq>-<check>`.

`SP` numbers competition certificates (Santripreneur), `SK` activity certificates (sertifikat kegiatan); the
check character is Luhn mod 36 over the letters and digits, so one mistyped or swapped character is caught.
Pure functions (no models), so data migrations use them too."""

CHECK_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
COMPETITION_SERIES = "SP"
ACTIVITY_SERIES = "SK"
SERIES = (COMPETITION_SERIES, ACTIVITY_SERIES)
MAX_LENGTH = 24


def certificate_check_character(body: str) -> str:
    """Luhn mod 36 over the number's letters and digits: one mistyped or swapped character is caught."""
    n = len(CHECK_ALPHABET)
    factor, total = 2, 0
    for char in reversed([c for c in body.upper() if c in CHECK_ALPHABET]):
        addend = factor * CHECK_ALPHABET.index(char)
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return CHECK_ALPHABET[(n - total % n) % n]


def certificate_prefix(*, series: str, year: int, kabupaten_kota_id: str) -> str:
    """`SP-2026-3517-`: the part a sequence counts on within (series, year, kabupaten/kota)."""
    return f"{series}-{year}-{kabupaten_kota_id.replace('.', '')}-"


def certificate_number(*, prefix: str, seq: int) -> str:
    body = f"{prefix}{seq:04d}"
    return f"{body}-{certificate_check_character(body.replace('-', ''))}"


def certificate_sequence_after(last_number: str | None) -> int:
    """The next sequence after the highest number issued under a prefix (None: the first)."""
    return int(last_number.split("-")[3]) + 1 if last_number else 1


def certificate_series(number: str) -> str | None:
    """The series (`SP`, `SK`) of a well-formed number whose check character matches, else None."""
    parts = (number or "").strip().upper().split("-")
    if len(parts) != 5 or parts[0] not in SERIES or len(parts[4]) != 1:
        return None
    if not (parts[1].isdigit() and len(parts[1]) == 4 and parts[2].isdigit() and parts[3].isdigit()):
        return None
    if certificate_check_character("".join(parts[:4])) != parts[4]:
        return None
    return parts[0]


def certificate_number_is_valid(number: str) -> bool:
    return certificate_series(number) is not None

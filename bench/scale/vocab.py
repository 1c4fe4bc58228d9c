"""Words the scale generator builds names from: Indonesian people, pesantren, businesses and products.

Drawn from the demo modules (`*/demo.py`) and the programme's domain notes, widened so that a
million santri and a hundred thousand products do not all look alike.
"""

import csv
from functools import lru_cache
from pathlib import Path

MALE = [
    "Ahmad",
    "Muhammad",
    "Abdul",
    "Rizki",
    "Ilham",
    "Fajar",
    "Hasan",
    "Yusuf",
    "Fikri",
    "Zainal",
    "Imam",
    "Bambang",
    "Agus",
    "Slamet",
    "Hadi",
    "Ali",
    "Umar",
    "Khoirul",
    "Syaiful",
    "Mahfudz",
    "Ridwan",
    "Nur",
    "Arif",
    "Lukman",
    "Hamid",
    "Anwar",
    "Faisal",
    "Ridho",
    "Rohman",
    "Zaki",
    "Habib",
    "Nizar",
]
FEMALE = [
    "Siti",
    "Nur",
    "Fatimah",
    "Aisyah",
    "Zahra",
    "Laila",
    "Khusnul",
    "Ummi",
    "Annisa",
    "Rohmah",
    "Dewi",
    "Aminah",
    "Khadijah",
    "Maryam",
    "Salma",
    "Nabila",
    "Hafshah",
    "Intan",
    "Lailatul",
    "Rina",
    "Wulan",
    "Fitri",
    "Umi",
    "Zulaikha",
    "Halimah",
    "Naila",
    "Syarifah",
    "Izzah",
]
LAST = [
    "Fauzi",
    "Hidayat",
    "Maulana",
    "Hakim",
    "Aminah",
    "Khoiriyah",
    "Arifin",
    "Rahmawati",
    "Mubarok",
    "Syarifah",
    "Hariyanto",
    "Kusumawati",
    "Ridwan",
    "Syaifuddin",
    "Mahmudah",
    "Hasanah",
    "Wahyudi",
    "Santoso",
    "Setiawan",
    "Rosyidi",
    "Zuhri",
    "Anshori",
    "Baidowi",
    "Musthofa",
    "Ma'ruf",
    "Shodiq",
    "Munir",
    "Asy'ari",
    "Nawawi",
    "Qomariyah",
    "Fitriyah",
    "Safitri",
]
PESANTREN_WORDS = [
    "Darul Ulum",
    "Miftahul Huda",
    "Nurul Jadid",
    "Salafiyah",
    "Al-Amien",
    "Al-Falah",
    "Nurul Huda",
    "Darussalam",
    "Mambaul Ulum",
    "Bahrul Ulum",
    "Hidayatullah",
    "Raudlatul Ulum",
    "Al-Hikmah",
    "Manbaul Hikam",
    "Al-Anwar",
    "Riyadlul Jannah",
    "Sabilul Muttaqin",
    "Annuqayah",
    "Al-Ishlah",
    "Darul Falah",
    "Roudlotut Tholibin",
    "Tarbiyatul Islam",
    "Al-Munawwir",
    "Nurul Islam",
    "Al-Mubarok",
    "Ihyaul Ulum",
    "Miftahul Ulum",
    "Al-Khoirot",
    "Sirojul Huda",
    "Zainul Hasan",
    "Bustanul Ulum",
    "Hidayatul Mubtadiin",
]
PESANTREN_SUFFIX = ["", "", "", " Putri", " 2", " Al-Jadid", " Timur", " Barat"]
SKILLS = [
    "Menjahit",
    "Barista",
    "Desain grafis",
    "Budidaya lele",
    "Sablon",
    "Kuliner",
    "Hidroponik",
    "Fotografi",
    "Kaligrafi",
    "Bordir",
    "Servis ponsel",
    "Pertukangan",
    "Peternakan kambing",
    "Pemasaran digital",
]
INTERESTS = [
    "Kuliner",
    "Fesyen muslim",
    "Pertanian",
    "Peternakan",
    "Digital marketing",
    "Kerajinan",
    "Perikanan",
    "Otomotif",
    "Desain",
    "Kitab dan penerbitan",
]
SECTORS = ["food", "agriculture", "livestock", "fashion", "craft", "retail", "services", "other"]
BUSINESS_WORDS = {
    "food": ["Kopi", "Keripik", "Sambal", "Kue Kering", "Jamu", "Madu", "Kerupuk", "Dodol"],
    "agriculture": ["Beras", "Jagung", "Tani", "Hidroponik", "Kebun"],
    "livestock": ["Lele", "Kambing", "Ayam Kampung", "Susu Sapi", "Bandeng"],
    "fashion": ["Batik", "Sarung", "Konveksi", "Bordir", "Kopiah"],
    "craft": ["Anyaman", "Ukir", "Kaligrafi", "Gerabah", "Rotan"],
    "retail": ["Mart", "Grosir", "Toko"],
    "services": ["Sablon", "Percetakan", "Servis", "Laundry"],
    "other": ["Kreasi", "Usaha", "Karya"],
}
BANKS = ["Bank Jatim Syariah", "BSI", "Bank Jatim", "BRI Syariah", "Bank Muamalat"]

# Category tree of OPOP Mart (as marketplace/demo.py) with product templates per leaf:
# (name, lowest price, highest price, weight in grams, food?)
CATEGORIES = [
    ("Makanan & Minuman", ["Kopi", "Camilan", "Bumbu & Sambal"]),
    ("Busana Muslim", ["Batik", "Sarung", "Kopiah"]),
    ("Kerajinan", []),
    ("Pertanian & Agribisnis", ["Beras", "Madu"]),
    ("Herbal & Kesehatan", []),
    ("Kosmetik", []),
    ("Buku & Kitab", []),
    ("Jasa", []),
]
PRODUCTS = {
    "Makanan & Minuman": [
        ("Air Minum Kemasan 600 ml (1 dus)", 35000, 45000, 15000, True),
        ("Kurma Premium 1 kg", 80000, 120000, 1000, True),
        ("Gula Semut Aren", 25000, 35000, 500, True),
        ("Teh Rosella", 20000, 30000, 200, True),
        ("Susu Kambing Etawa Bubuk", 60000, 90000, 250, True),
    ],
    "Kopi": [
        ("Kopi Robusta", 45000, 70000, 250, True),
        ("Kopi Arabika", 65000, 110000, 200, True),
        ("Kopi Rempah Santri (sachet isi 10)", 20000, 30000, 250, True),
        ("Kopi Luwak Liar", 120000, 200000, 100, True),
    ],
    "Camilan": [
        ("Keripik Tempe", 12000, 20000, 200, True),
        ("Keripik Pisang Agung", 15000, 25000, 250, True),
        ("Kerupuk Ikan", 15000, 30000, 250, True),
        ("Dodol Apel", 20000, 35000, 300, True),
        ("Kue Kering Nastar", 45000, 85000, 500, True),
        ("Opak Gambir", 15000, 25000, 250, True),
    ],
    "Bumbu & Sambal": [
        ("Sambal Bawang Santri 150 g", 18000, 26000, 200, True),
        ("Petis Madura 250 g", 22000, 32000, 300, True),
        ("Garam Krosok Madura 1 kg", 10000, 15000, 1000, True),
        ("Bumbu Pecel", 15000, 25000, 250, True),
    ],
    "Batik": [
        ("Batik Tulis", 250000, 650000, 300, False),
        ("Kemeja Batik Cap Santri", 140000, 220000, 300, False),
        ("Kain Batik Sogan", 180000, 350000, 300, False),
    ],
    "Sarung": [
        ("Sarung Tenun Gresikan", 150000, 300000, 500, False),
        ("Sarung Santri Motif Kotak", 70000, 120000, 450, False),
    ],
    "Kopiah": [("Kopiah Rajut Santri", 25000, 45000, 100, False), ("Peci Hitam Beludru", 35000, 75000, 100, False)],
    "Kerajinan": [
        ("Tas Anyaman Pandan", 60000, 120000, 400, False),
        ("Tikar Pandan Motif Madura", 90000, 160000, 2000, False),
        ("Kaligrafi Ukir Jepara", 250000, 900000, 3000, False),
        ("Tasbih Kayu Kokka", 30000, 90000, 100, False),
    ],
    "Pertanian & Agribisnis": [
        ("Bibit Cabai Hidroponik", 15000, 30000, 300, False),
        ("Pupuk Organik Cair 1 l", 25000, 40000, 1100, False),
    ],
    "Beras": [("Beras Organik 5 kg", 75000, 95000, 5000, True), ("Beras Merah 2 kg", 40000, 55000, 2000, True)],
    "Madu": [("Madu Hutan 500 g", 100000, 140000, 600, True), ("Madu Klanceng 250 g", 90000, 130000, 300, True)],
    "Herbal & Kesehatan": [
        ("Jamu Kunyit Asam 500 ml", 15000, 25000, 550, True),
        ("Habbatussauda Kapsul 100", 55000, 75000, 150, True),
        ("Wedang Uwuh (isi 10)", 20000, 30000, 200, True),
        ("Minyak Kayu Putih 60 ml", 25000, 40000, 100, False),
    ],
    "Kosmetik": [
        ("Sabun Sereh Alami", 15000, 25000, 100, False),
        ("Minyak Zaitun Murni 250 ml", 45000, 65000, 300, False),
    ],
    "Buku & Kitab": [
        ("Kitab Safinatun Najah Terjemah", 20000, 35000, 200, False),
        ("Kitab Fathul Qorib Makna Pegon", 30000, 45000, 300, False),
        ("Al-Quran Tajwid Warna", 90000, 160000, 800, False),
    ],
    "Jasa": [
        ("Jasa Sablon Kaos Santri", 35000, 55000, 250, False),
        ("Jasa Desain Logo UMKM", 150000, 400000, 0, False),
    ],
}
PRODUCT_QUALIFIERS = ["", "", "Premium", "Asli", "Khas Pesantren", "Spesial", "Original", "Super", "Pilihan"]

# Vehicle plate prefixes by kabupaten/kota (../shared/docs/domain.md).
PLATE_PREFIX = {
    **dict.fromkeys(["35.78"], "L"),
    **dict.fromkeys(["35.26", "35.27", "35.28", "35.29"], "M"),
    **dict.fromkeys(["35.07", "35.73", "35.79", "35.14", "35.75", "35.13", "35.74", "35.08"], "N"),
    **dict.fromkeys(["35.09", "35.10", "35.11", "35.12"], "P"),
    **dict.fromkeys(["35.22", "35.23", "35.24", "35.17", "35.16", "35.76"], "S"),
    **dict.fromkeys(["35.15", "35.25"], "W"),
    **dict.fromkeys(["35.19", "35.77", "35.02", "35.20", "35.21", "35.01"], "AE"),
    **dict.fromkeys(["35.06", "35.71", "35.05", "35.72", "35.04", "35.03", "35.18"], "AG"),
}

WILAYAH = Path(__file__).resolve().parents[2] / "opop" / "data" / "jatim_wilayah.csv"


@lru_cache(maxsize=1)
def villages() -> dict[str, list[tuple[str, str, str]]]:
    """(kecamatan, desa, postal code) per kabupaten/kota code, from the Kemendagri list the portal checks against."""
    kecamatan: dict[str, tuple[str, str]] = {}
    result: dict[str, list[tuple[str, str, str]]] = {}
    with WILAYAH.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["tingkat"] == "kecamatan":
                kecamatan[row["kode"]] = (row["kode_induk"], row["nama"])
            elif row["tingkat"] in ("desa", "kelurahan") and row["kode_induk"] in kecamatan and row["kodepos"]:
                region, name = kecamatan[row["kode_induk"]]
                result.setdefault(region, []).append((name, row["nama"], row["kodepos"]))
    return result

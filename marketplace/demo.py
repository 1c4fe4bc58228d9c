"""OPOP Mart demo data: stores of all three pillars, several dozen products with generated photos, and the
demo shopper's past orders in every state. Idempotent: a second run finds everything and changes nothing."""

import colorsys
import hashlib
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from marketplace.b2b import demo as b2b_demo
from marketplace.balance import demo as balance_demo
from marketplace.cart.services import cart_set
from marketplace.catalogue import curation_demo
from marketplace.catalogue.services import (
    category_create,
    product_create,
    product_photo_add,
    shipping_rate_set,
    store_create,
    variant_create,
)
from marketplace.checkout import services as checkout
from marketplace.models import Address, Category, Order, Product, Store
from marketplace.orders import services as orders
from marketplace.orders.demo import seed_complaint_rejected
from marketplace.orders.reviews import review_create
from marketplace.payments.bank_transfer import transfer_proof_upload
from marketplace.payments.sandbox import sandbox_receive
from marketplace.payments.services import checkout_payment_of, seller_confirm_payment
from marketplace.seller.opening_demo import seed_store_opening
from marketplace.shipping import demo as shipping_demo
from opop import wilayah
from opop.demo import demo_organisation, demo_user
from opop.demo_privacy import seed_privacy
from opop.mail import mail_muted
from opop.models import KabupatenKota, Membership, Organisation, User
from opop.services import membership_add

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

# organisation name → (kind, kabupaten/kota, store name, seller e-mail or None for the pesantren admin)
STORES = {
    "Pondok Pesantren Darul Ulum": (Organisation.Kind.PESANTREN, "35.17", "Koppontren Darul Ulum", None),
    "Pondok Pesantren Sidogiri": (
        Organisation.Kind.PESANTREN,
        "35.14",
        "Kopontren Sidogiri Mart",
        "penjual.sidogiri@opop.test",
    ),
    "Kopi Santri Bululawang": (
        Organisation.Kind.SANTRI_BUSINESS,
        "35.07",
        "Kopi Santri Bululawang",
        "penjual.kopi@opop.test",
    ),
    "Anyaman Santri Sumenep": (
        Organisation.Kind.SANTRI_BUSINESS,
        "35.29",
        "Anyaman Santri Sumenep",
        "penjual.anyaman@opop.test",
    ),
    "Batik Alumni Tebuireng": (
        Organisation.Kind.ALUMNI_BUSINESS,
        "35.17",
        "Batik Alumni Tebuireng",
        "penjual.batik@opop.test",
    ),
    "Herbal Alumni Lirboyo": (
        Organisation.Kind.ALUMNI_BUSINESS,
        "35.71",
        "Herbal Alumni Lirboyo",
        "penjual.herbal@opop.test",
    ),
}

# store → where it ships from: (street, kecamatan, desa); the codes and postal code come from opop.wilayah.
PICKUP = {
    "Koppontren Darul Ulum": ("Kompleks PP Darul Ulum, Jl. Raya Rejoso", "Peterongan", "Keplaksari"),
    "Kopontren Sidogiri Mart": ("Jl. Raya Sidogiri", "Kraton", "Sidogiri"),
    "Kopi Santri Bululawang": ("Jl. Raya Bululawang No. 12", "Bululawang", "Bululawang"),
    "Anyaman Santri Sumenep": ("Jl. Trunojoyo No. 8", "Kota Sumenep", "Pandian"),
    "Batik Alumni Tebuireng": ("Jl. Irian Jaya, depan PP Tebuireng", "Diwek", "Cukir"),
    "Herbal Alumni Lirboyo": ("Jl. KH Abdul Karim, Lirboyo", "Mojoroto", "Lirboyo"),
}

# store → [(name, category, price, stock, extras)]; extras: halal, flagship, variants, min_order, weight, bpom, pirt
PRODUCTS = {
    "Koppontren Darul Ulum": [
        (
            "Beras Organik Darul Ulum 5 kg",
            "Beras",
            85000,
            40,
            {"flagship": True, "weight": 5000, "pirt": "2063517010123-27"},
        ),
        (
            "Sarung Tenun Gresikan Darul Ulum",
            "Sarung",
            175000,
            15,
            {"variants": [("Hijau", 175000, 6), ("Marun", 175000, 9)]},
        ),
        ("Kopiah Rajut Santri", "Kopiah", 35000, 60, {"min_order": 2}),
        (
            "Air Minum Darul Ulum 600 ml (1 dus)",
            "Makanan & Minuman",
            42000,
            0,
            {"halal": "ID35110000456780922", "weight": 15000},
        ),
        ("Keripik Tempe Jombang", "Camilan", 15000, 80, {"halal": "ID35110000123450922", "pirt": "2063517020456-26"}),
        ("Kitab Safinatun Najah Terjemah", "Buku & Kitab", 28000, 25, {}),
        (
            "Sambal Bawang Santri 150 g",
            "Bumbu & Sambal",
            22000,
            30,
            {"halal": "ID35110000987650922", "variants": [("Original", 22000, 12), ("Ekstra Pedas", 24000, 18)]},
        ),
    ],
    "Kopontren Sidogiri Mart": [
        (
            "Kurma Sidogiri Premium 1 kg",
            "Makanan & Minuman",
            95000,
            50,
            {"flagship": True, "halal": "ID35140000111220922", "weight": 1000},
        ),
        ("Madu Hutan Sidogiri 500 g", "Madu", 120000, 20, {"halal": "ID35140000333440922", "bpom": "MD 251128001234"}),
        ("Minyak Kayu Putih Sidogiri 60 ml", "Herbal & Kesehatan", 32000, 0, {"bpom": "TR 203646781"}),
        (
            "Air Mineral Santri 1 dus",
            "Makanan & Minuman",
            38000,
            100,
            {"halal": "ID35140000555660922", "weight": 12000, "min_order": 2},
        ),
        ("Kitab Fathul Qorib Makna Pegon", "Buku & Kitab", 35000, 40, {}),
        ("Gula Semut Aren Pasuruan", "Makanan & Minuman", 30000, 35, {"halal": "ID35140000777880922"}),
        ("Jasa Sablon Kaos Santri", "Jasa", 45000, 999, {"min_order": 12}),
    ],
    "Kopi Santri Bululawang": [
        (
            "Kopi Robusta Bululawang 250 g",
            "Kopi",
            55000,
            70,
            {"flagship": True, "halal": "ID35070000123120922", "variants": [("Biji", 55000, 30), ("Bubuk", 55000, 40)]},
        ),
        ("Kopi Arabika Dampit 200 g", "Kopi", 75000, 25, {"halal": "ID35070000456450922"}),
        ("Kopi Luwak Liar Malang 100 g", "Kopi", 150000, 0, {}),
        (
            "Kopi Rempah Santri (sachet isi 10)",
            "Kopi",
            25000,
            120,
            {"halal": "ID35070000789780922", "pirt": "2073507010888-27"},
        ),
        ("Keripik Pisang Agung Malang", "Camilan", 18000, 45, {"pirt": "2073507020999-26"}),
        ("Kopi Ekspor Grade 1 (5 kg)", "Kopi", 650000, 8, {"weight": 5000}),
    ],
    "Anyaman Santri Sumenep": [
        (
            "Tas Anyaman Pandan Sumenep",
            "Kerajinan",
            85000,
            20,
            {"variants": [("Kecil", 65000, 8), ("Besar", 95000, 12)]},
        ),
        ("Tikar Pandan Motif Madura", "Kerajinan", 120000, 10, {}),
        ("Keris Hias Aeng Tong-Tong", "Kerajinan", 450000, 3, {"flagship": True}),
        ("Garam Krosok Madura 1 kg", "Bumbu & Sambal", 12000, 200, {"halal": "ID35290000121210922", "min_order": 3}),
        ("Topi Anyaman Bambu", "Kerajinan", 40000, 0, {}),
        ("Petis Madura 250 g", "Bumbu & Sambal", 27000, 30, {"halal": "ID35290000343430922"}),
    ],
    "Batik Alumni Tebuireng": [
        ("Batik Tulis Jombangan Motif Cinde", "Batik", 385000, 7, {"flagship": True}),
        (
            "Kemeja Batik Cap Santri",
            "Batik",
            165000,
            25,
            {"variants": [("M", 165000, 8), ("L", 165000, 10), ("XL", 175000, 7)]},
        ),
        ("Kain Batik Sogan Tebuireng", "Batik", 250000, 12, {}),
        ("Masker Batik (isi 3)", "Batik", 30000, 0, {}),
        ("Mukena Batik Katun", "Busana Muslim", 210000, 14, {}),
        ("Gamis Batik Alumni", "Busana Muslim", 275000, 9, {}),
    ],
    "Herbal Alumni Lirboyo": [
        (
            "Jamu Kunyit Asam Lirboyo 500 ml",
            "Herbal & Kesehatan",
            20000,
            50,
            {"halal": "ID35710000565650922", "pirt": "2073571010777-25"},
        ),
        (
            "Habbatussauda Kapsul 100",
            "Herbal & Kesehatan",
            65000,
            30,
            {"halal": "ID35710000787870922", "bpom": "TR 213300551"},
        ),
        ("Sabun Sereh Alami", "Kosmetik", 18000, 80, {"halal": "ID35710000909090922", "bpom": "NA 18210100123"}),
        ("Minyak Zaitun Murni 250 ml", "Kosmetik", 55000, 0, {"bpom": "NA 18190200456"}),
        (
            "Wedang Uwuh Kediri (isi 10)",
            "Herbal & Kesehatan",
            25000,
            60,
            {"halal": "ID35710000121230922", "flagship": True},
        ),
        ("Madu Klanceng Kediri 250 g", "Madu", 110000, 15, {"halal": "ID35710000454560922"}),
        ("Teh Daun Kelor 50 g", "Herbal & Kesehatan", 28000, 40, {}),
    ],
}

SHIPPING = {"35.78": 18000, "35.17": 12000, "35.07": 20000, "35.14": 15000, "35.15": 16000}


def halal_numbers() -> dict[str, str]:
    """{product name: the halal certificate number its seller states}: the halal demo has staff verify them
    (a product's own number is written only by the halal sync, never here)."""
    return {name: extra["halal"] for rows in PRODUCTS.values() for name, *_rest, extra in rows if extra.get("halal")}


def _digits(text: str, length: int) -> str:
    """Stable made-up numbers (account, NIB) derived from a name."""
    return str(int(hashlib.sha256(text.encode()).hexdigest(), 16))[:length]


def _colour(name: str) -> tuple[int, int, int]:
    hue = int(hashlib.sha256(name.encode()).hexdigest()[:4], 16) / 0xFFFF
    r, g, b = colorsys.hsv_to_rgb(hue, 0.45, 0.85)
    return int(r * 255), int(g * 255), int(b * 255)


def product_image(name: str, *, size: int = 600) -> SimpleUploadedFile:
    """A square product 'photo': a coloured backdrop, a package shape and the product's name."""
    colour = _colour(name)
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    dark = tuple(max(0, c - 90) for c in colour)
    draw.ellipse((size * 0.15, size * 0.62, size * 0.85, size * 0.78), fill=tuple(max(0, c - 40) for c in colour))
    draw.rounded_rectangle(
        (size * 0.28, size * 0.18, size * 0.72, size * 0.7), radius=24, fill=(250, 248, 240), outline=dark, width=6
    )
    draw.rectangle((size * 0.28, size * 0.3, size * 0.72, size * 0.42), fill=dark)
    font = ImageFont.load_default(size=30)
    words, lines, line = name.split(), [], ""
    for word in words:
        if len(line) + len(word) > 20:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    for i, text in enumerate(lines[:3]):
        draw.text((size / 2, size * 0.82 + i * 34), text, fill=(30, 30, 30), font=font, anchor="mm")
    draw.text((size / 2, size * 0.36), "OPOP", fill=(250, 248, 240), font=ImageFont.load_default(size=40), anchor="mm")
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile(f"{name}.jpg", buffer.getvalue(), content_type="image/jpeg")


# The demo categories' English names (Category.name_en), shown when the portal speaks English.
CATEGORY_NAMES_EN = {
    "Makanan & Minuman": "Food & Drink",
    "Kopi": "Coffee",
    "Camilan": "Snacks",
    "Bumbu & Sambal": "Spices & Sambal",
    "Busana Muslim": "Muslim Fashion",
    "Batik": "Batik",
    "Sarung": "Sarongs",
    "Kopiah": "Caps (kopiah)",
    "Kerajinan": "Handicrafts",
    "Pertanian & Agribisnis": "Farming & Agribusiness",
    "Beras": "Rice",
    "Madu": "Honey",
    "Herbal & Kesehatan": "Herbal & Health",
    "Kosmetik": "Cosmetics",
    "Buku & Kitab": "Books & Kitab",
    "Jasa": "Services",
}


def _categories() -> dict[str, Category]:
    found = {category.name: category for category in Category.objects.all()}
    for position, (name, children) in enumerate(CATEGORIES):
        if name not in found:
            found[name] = category_create(name=name, name_en=CATEGORY_NAMES_EN.get(name, ""), position=position)
        for child_position, child in enumerate(children):
            if child not in found:
                found[child] = category_create(
                    name=child, name_en=CATEGORY_NAMES_EN.get(child, ""), parent=found[name], position=child_position
                )
    for name, category in found.items():  # a database seeded before the English names existed gets them
        if not category.name_en and CATEGORY_NAMES_EN.get(name):
            category.name_en = CATEGORY_NAMES_EN[name]
            category.save(update_fields=["name_en"])
    return found


def _stores(users: dict[str, User]) -> dict[str, Store]:
    stores = {}
    for org_name, (kind, kode, store_name, seller_email) in STORES.items():
        organisation = demo_organisation(org_name, kind, kode)
        seller = (
            users["pesantren admin"] if seller_email is None else demo_user(seller_email, f"Penjual {store_name}", "")
        )
        if not Membership.objects.filter(user=seller, organisation=organisation).exists():
            membership_add(organisation=organisation, user=seller, role=Membership.Role.OWNER)
        store = Store.objects.filter(organisation=organisation).first()
        if store is None:
            street, kecamatan, desa = PICKUP[store_name]
            codes = wilayah.address_codes(kabupaten_code=kode, kecamatan=kecamatan, desa=desa)
            store = store_create(
                organisation=organisation,
                name=store_name,
                description=f"Toko resmi {org_name} di OPOP Mart: produk asli Jawa Timur, langsung dari pembuatnya.",
                pickup_address=street,
                origin=KabupatenKota.objects.get(kode=kode),
                origin_kecamatan=codes["kecamatan"],
                origin_kecamatan_code=codes["kecamatan_code"],
                origin_desa=codes["desa"],
                origin_desa_code=codes["desa_code"],
                origin_postal_code=codes["postal_code"],
                default_shipping_rate=45000,
                bank_name="Bank Jatim Syariah",
                bank_account_number=_digits(store_name, 10),
                bank_account_name=store_name,
            )
            for region, price in SHIPPING.items():
                shipping_rate_set(store=store, kabupaten_kota=KabupatenKota.objects.get(kode=region), price=price)
        stores[store_name] = store
    return stores


def _products(stores: dict[str, Store], categories: dict[str, Category]) -> dict[str, Product]:
    products = {p.name: p for p in Product.objects.filter(store__in=stores.values())}
    for store_name, rows in PRODUCTS.items():
        for name, category, price, stock, extra in rows:
            if name in products:
                continue
            product = product_create(
                store=stores[store_name],
                category=categories[category],
                name=name,
                price=price,
                stock=0 if extra.get("variants") else stock,
                description=(
                    f"{name} dari {store_name}. Dibuat oleh santri dan pengurus dengan bahan pilihan, "
                    "dikemas rapi dan dikirim dari Jawa Timur."
                ),
                weight_grams=extra.get("weight", 300),
                min_order=extra.get("min_order", 1),
                nib=_digits(f"NIB {store_name}", 13),
                pirt=extra.get("pirt", ""),
                bpom_md=extra.get("bpom", ""),
                is_flagship=extra.get("flagship", False),
            )
            for position, (variant, variant_price, variant_stock) in enumerate(extra.get("variants", [])):
                variant_create(
                    product=product, name=variant, price=variant_price, stock=variant_stock, position=position
                )
            product_photo_add(product=product, upload=product_image(name))
            curation_demo.demo_listing_approve(product)  # the demo catalogue was curated before its history
            product.refresh_from_db()
            products[name] = product
    return products


def _address(shopper: User) -> Address:
    address = shopper.addresses.first()
    if address is None:
        address = Address(
            user=shopper,
            label="Rumah",
            recipient_name=shopper.get_full_name(),
            phone=shopper.phone or "+6281234500001",
            kabupaten_kota=KabupatenKota.objects.get(kode="35.78"),
            kabupaten_code="35.78",
            **wilayah.address_codes(kabupaten_code="35.78", kecamatan="Wonokromo", desa="Jagir"),
            street="Jl. Jagir Wonokromo No. 27",
            rt_rw="003/006",
            is_default=True,
        )
        address.full_clean()
        address.save()
    return address


def _orders(shopper: User, products: dict[str, Product], stores: dict[str, Store]) -> None:
    """Past orders of the demo shopper, one in every state of the order state machine."""
    if Order.objects.filter(buyer=shopper).exists():
        return
    address = _address(shopper)
    S = Order.Status

    def buy(name, quantity, method="bank_transfer", delivery="shipping"):
        product = products[name]
        variant = product.variants.filter(stock__gte=quantity).first()
        cart_set(user=shopper, session={}, product=product, variant=variant, quantity=quantity)
        (order,) = checkout.order_place(
            buyer=shopper, session={}, address=address, choices={product.store_id: (delivery, method)}
        )
        return order

    def seller(order):
        return Membership.objects.filter(organisation=order.store.organisation).first().user

    def pay(order):
        if order.payment_method == "gateway":
            # The sandbox collects the money, then calls our signed webhook, as on the payment page.
            sandbox_receive(checkout_payment=checkout_payment_of(order))
        else:
            seller_confirm_payment(order=order, actor=seller(order))

    def advance(order, upto):
        path = [S.PAID, S.PROCESSING, S.SHIPPED, S.DELIVERED, S.COMPLETED]
        for step in path[: path.index(upto) + 1]:
            if step == S.PAID:
                pay(order)
            elif step == S.PROCESSING:
                orders.order_start_processing(order=order, actor=seller(order))
            elif step == S.SHIPPED:
                orders.order_ship(
                    order=order, actor=seller(order), courier="JNE", tracking_number=f"JNE{order.pk:010d}"
                )
            elif step == S.DELIVERED:
                orders.order_mark_delivered(order=order, actor=seller(order))
            elif step == S.COMPLETED:
                orders.order_confirm_receipt(order=order, buyer=shopper)
        return order

    # One checkout from two stores, one virtual account for both orders: awaiting payment.
    for name, quantity in (("Kopi Robusta Bululawang 250 g", 2), ("Madu Hutan Sidogiri 500 g", 1)):
        variant = products[name].variants.filter(stock__gte=quantity).first()
        cart_set(user=shopper, session={}, product=products[name], variant=variant, quantity=quantity)
    checkout.order_place(buyer=shopper, session={}, address=address, choices={}, payment_method="gateway")
    buy("Sambal Bawang Santri 150 g", 3)  # awaiting payment by transfer
    advance(buy("Madu Hutan Sidogiri 500 g", 1, method="gateway"), S.PAID)
    advance(buy("Kemeja Batik Cap Santri", 1), S.PROCESSING)
    advance(buy("Habbatussauda Kapsul 100", 2, method="gateway"), S.SHIPPED)
    advance(buy("Tas Anyaman Pandan Sumenep", 1), S.DELIVERED)
    for name, stars, text in [
        ("Kurma Sidogiri Premium 1 kg", 5, "Kurmanya lembut dan manis, pengiriman cepat."),
        ("Kopi Arabika Dampit 200 g", 5, "Aromanya wangi, cocok untuk V60."),
        ("Wedang Uwuh Kediri (isi 10)", 4, "Hangat dan segar, kemasan rapi."),
        ("Beras Organik Darul Ulum 5 kg", 5, "Pulen, langganan tiap bulan."),
    ]:
        order = advance(buy(name, 1, method="gateway"), S.COMPLETED)
        review_create(buyer=shopper, order_item=order.items.get(), rating=stars, text=text)
    pickup = buy("Keripik Tempe Jombang", 4, method="cash_on_pickup", delivery="pickup")
    pay(pickup)
    orders.order_start_processing(order=pickup, actor=seller(pickup))
    orders.order_mark_delivered(order=pickup, actor=seller(pickup))
    orders.order_confirm_receipt(order=pickup, buyer=shopper)
    orders.order_cancel_by_buyer(order=buy("Kain Batik Sogan Tebuireng", 1), buyer=shopper)
    orders.order_expire(order=buy("Garam Krosok Madura 1 kg", 5))
    cancelled = advance(buy("Tikar Pandan Motif Madura", 1), S.PAID)
    orders.order_cancel_by_seller(order=cancelled, actor=seller(cancelled), reason="Stok rusak terkena hujan.")
    requested = advance(buy("Jamu Kunyit Asam Lirboyo 500 ml", 3, method="gateway"), S.DELIVERED)
    orders.order_request_refund(order=requested, buyer=shopper, reason="Dua botol bocor saat diterima.")
    refunded = advance(buy("Gula Semut Aren Pasuruan", 2), S.SHIPPED)
    orders.order_request_refund(order=refunded, buyer=shopper, reason="Paket tidak sampai.")
    orders.order_refund(order=refunded, actor=seller(refunded))


# Seller centre demo: (product, stock movements (kind, quantity, reason)), applied once.
STOCK_HISTORY = {
    "Beras Organik Darul Ulum 5 kg": [
        ("restock", 30, "Panen sawah pesantren, gabah digiling di koppontren"),
        ("correction", -2, "Stock opname: 2 karung basah terkena bocor gudang"),
    ],
    "Keripik Tempe Jombang": [("restock", 40, "Produksi dapur santri putri")],
    "Kitab Safinatun Najah Terjemah": [("correction", -22, "Dipakai untuk santri baru angkatan 2026")],
    "Kopiah Rajut Santri": [("correction", -56, "Dikirim ke bazar OPOP Surabaya, belum kembali")],
}
# (store, product) → [(minimum quantity, unit price)]: grosir for pesantren buying from each other.
WHOLESALE = {
    "Beras Organik Darul Ulum 5 kg": [(10, 80000), (50, 76000)],
    "Air Mineral Santri 1 dus": [(10, 35000), (50, 33000)],
    "Kurma Sidogiri Premium 1 kg": [(10, 88000)],
    "Garam Krosok Madura 1 kg": [(20, 10000), (100, 9000)],
}


def _seller_centre(users: dict[str, User], products: dict[str, Product], stores: dict[str, Store]) -> None:
    """Stock history, low stock, wholesale prices, a staff member of Darul Ulum's store and a B2B order."""
    from marketplace.catalogue.stock import stock_move
    from marketplace.models import StockMovement, StoreInvitation, WholesaleTier
    from marketplace.seller.team import invitation_accept, invitation_send, invitation_token

    admin = users["pesantren admin"]
    for name, moves in STOCK_HISTORY.items():
        product = products[name]
        for kind, quantity, reason in moves:
            if not StockMovement.objects.filter(product=product, reason=reason).exists():
                stock_move(product=product, quantity=quantity, kind=kind, actor=admin, reason=reason)
    Product.objects.filter(name="Kitab Safinatun Najah Terjemah").update(low_stock_threshold=5)
    Product.objects.filter(name="Kopiah Rajut Santri").update(low_stock_threshold=10)
    for name, tiers in WHOLESALE.items():
        for minimum, price in tiers:
            WholesaleTier.objects.get_or_create(
                product=products[name], min_quantity=minimum, defaults={"unit_price": price}
            )
    darul_ulum = stores["Koppontren Darul Ulum"]
    staff = demo_user("staf.koppontren@opop.test", "Ahmad Fauzi", "+6281331234567")
    users["store staff (Darul Ulum)"] = staff
    if not StoreInvitation.objects.filter(store=darul_ulum, email=staff.email).exists():
        invitation = invitation_send(store=darul_ulum, email=staff.email, role="staff", actor=admin)
        invitation_accept(token=invitation_token(invitation), user=staff)
    if not StoreInvitation.objects.filter(store=darul_ulum, email="bendahara.koppontren@opop.test").exists():
        invitation_send(store=darul_ulum, email="bendahara.koppontren@opop.test", role="owner", actor=admin)
    _sales_history(users, products, darul_ulum)
    if Order.objects.filter(is_pesantren_trade=True).exists():
        return
    # Transaksi bilateral: the rice-producing Darul Ulum buys drinking water and dates from Sidogiri for the pondok.
    address = admin.addresses.first() or Address.objects.create(
        user=admin,
        label="Pondok",
        recipient_name="Koppontren Darul Ulum",
        phone=admin.phone or "+6281330001111",
        kabupaten_kota=KabupatenKota.objects.get(kode="35.17"),
        kabupaten_code="35.17",
        **wilayah.address_codes(kabupaten_code="35.17", kecamatan="Peterongan", desa="Keplaksari"),
        street="Kompleks PP Darul Ulum, Jl. Raya Rejoso",
        latitude="-7.545120",
        longitude="112.280300",
        is_default=True,
    )
    cart_set(user=admin, session={}, product=products["Air Mineral Santri 1 dus"], variant=None, quantity=20)
    cart_set(user=admin, session={}, product=products["Kurma Sidogiri Premium 1 kg"], variant=None, quantity=10)
    (order,) = checkout.order_place(
        buyer=admin, session={}, address=address, choices={}, on_behalf_of=darul_ulum.organisation
    )
    seller = Membership.objects.filter(organisation=order.store.organisation).first().user
    seller_confirm_payment(order=order, actor=seller)
    orders.order_start_processing(order=order, actor=seller)


def _sales_history(users: dict[str, User], products: dict[str, Product], store: Store) -> None:
    """A month of completed sales at Darul Ulum's store, so the sales report and its chart have a shape."""
    from datetime import timedelta

    from django.utils import timezone

    from opop.figures import figures_mark_dirty

    buyer = demo_user("wali.santri@opop.test", "Hj. Khadijah Mahmudah", "+6281335550123")
    users["store customer (wali santri)"] = buyer
    if Order.objects.filter(buyer=buyer).exists():
        return
    address = buyer.addresses.first() or Address.objects.create(
        user=buyer,
        label="Rumah",
        recipient_name=buyer.get_full_name(),
        phone=buyer.phone,
        kabupaten_kota=KabupatenKota.objects.get(kode="35.15"),
        kabupaten_code="35.15",
        **wilayah.address_codes(kabupaten_code="35.15", kecamatan="Waru", desa="Kureksari"),
        street="Perum Griya Kureksari Blok C-12",
        rt_rw="012/004",
        is_default=True,
    )
    seller = users["pesantren admin"]
    basket = [
        ("Beras Organik Darul Ulum 5 kg", 2),
        ("Keripik Tempe Jombang", 5),
        ("Beras Organik Darul Ulum 5 kg", 1),
        ("Kitab Safinatun Najah Terjemah", 1),
        ("Keripik Tempe Jombang", 3),
        ("Beras Organik Darul Ulum 5 kg", 3),
        ("Keripik Tempe Jombang", 10),
        ("Beras Organik Darul Ulum 5 kg", 2),
    ]
    now = timezone.now()
    for days_ago, (name, quantity) in zip(range(26, 0, -3), basket, strict=False):
        product = Product.objects.get(pk=products[name].pk)
        cart_set(user=buyer, session={}, product=product, variant=None, quantity=quantity)
        (order,) = checkout.order_place(
            buyer=buyer, session={}, address=address, choices={store.pk: ("shipping", "bank_transfer")}
        )
        seller_confirm_payment(order=order, actor=seller)
        orders.order_start_processing(order=order, actor=seller)
        orders.order_ship(order=order, actor=seller, courier="J&T", tracking_number=f"JT{order.pk:010d}")
        orders.order_mark_delivered(order=order, actor=seller)
        orders.order_confirm_receipt(order=order, buyer=buyer)
        # Demo history: the order happened `days_ago` days ago.
        when = now - timedelta(days=days_ago)
        Order.objects.filter(pk=order.pk).update(
            created_at=when, paid_at=when + timedelta(hours=2), completed_at=when + timedelta(days=2)
        )
        figures_mark_dirty(when=when, kabupaten_kota_id=store.organisation.kabupaten_kota_id)
    # Today's work: a paid order to process, and the demo shopper's transfer proof to check.
    cart_set(
        user=buyer,
        session={},
        product=Product.objects.get(pk=products["Kopiah Rajut Santri"].pk),
        variant=None,
        quantity=2,
    )
    (waiting,) = checkout.order_place(
        buyer=buyer, session={}, address=address, choices={store.pk: ("shipping", "bank_transfer")}
    )
    seller_confirm_payment(order=waiting, actor=seller)
    pending = Order.objects.filter(
        store=store, status=Order.Status.AWAITING_PAYMENT, payment_method="bank_transfer"
    ).first()
    if pending is not None:
        transfer_proof_upload(order=pending, buyer=pending.buyer, upload=product_image("Bukti transfer Bank Jatim"))


def seed(users: dict[str, User]) -> None:
    with mail_muted():
        categories = _categories()
        stores = _stores(users)
        products = _products(stores, categories)
        _orders(users["shopper"], products, stores)
        _seller_centre(users, products, stores)
        curation_demo.seed_curation_demo()
        seed_complaint_rejected(users)
        shipping_demo.seed(users)  # couriers per store, an order ready to ship, one with tracking
        seed_store_opening(users)
        balance_demo.seed(users)  # store balances, payouts in every state, the finance officer
    seed_privacy(users)
    b2b_demo.seed(users)  # bilateral trade, after the stores

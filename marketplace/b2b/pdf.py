"""A4 PDFs of a purchase order and an invoice (fpdf2), for the treasurer's file; the style of the Samsat receipt
(pesantren/samsat/receipt_pdf.py): built-in Helvetica in Windows-1252, label/value rows, one table of lines."""

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from opop.formatting import format_rupiah

FONT = "Helvetica"
BOLD = FontFace(emphasis="BOLD")


def _text(value) -> str:
    """The built-in PDF fonts speak Windows-1252; a character outside it prints as '?' instead of failing."""
    return str(value).encode("cp1252", "replace").decode("cp1252")


def _party(organisation) -> str:
    region = organisation.kabupaten_kota.label if organisation.kabupaten_kota_id else ""
    return "\n".join(part for part in (organisation.name, region) if part)


def _document(title: str) -> FPDF:
    pdf = FPDF(unit="mm", format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, 18)
    pdf.set_title(_text(title))
    pdf.set_creator("OPOP Jatim")
    pdf.add_page()
    pdf.set_font(FONT, "B", 9)
    pdf.cell(0, 5, _text(_("OPOP MART B2B · EKO-TREN OPOP JAWA TIMUR")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 10, _text(title), new_x="LMARGIN", new_y="NEXT")
    return pdf


def _rows(pdf: FPDF, pairs) -> None:
    pdf.set_font(FONT, "", 10)
    with pdf.table(
        borders_layout="NONE", col_widths=(2, 5), first_row_as_headings=False, line_height=5.5, padding=(0.3, 0)
    ) as table:
        for label, value in pairs:
            row = table.row()
            row.cell(_text(label), style=BOLD)
            row.cell(_text(value))
    pdf.ln(3)


def _parties(pdf: FPDF, buyer, supplier) -> None:
    pdf.set_font(FONT, "", 10)
    with pdf.table(borders_layout="HORIZONTAL_LINES", line_height=5.5, padding=1.5) as table:
        head = table.row()
        head.cell(_text(_("Buyer")))
        head.cell(_text(_("Supplier")))
        row = table.row()
        row.cell(_text(_party(buyer)))
        row.cell(_text(_party(supplier)))
    pdf.ln(4)


def _lines(pdf: FPDF, rows, total: int) -> None:
    pdf.set_font(FONT, "", 10)
    with pdf.table(
        col_widths=(6, 2, 2, 3, 3), text_align=("LEFT", "RIGHT", "LEFT", "RIGHT", "RIGHT"), line_height=5.5, padding=1
    ) as table:
        head = table.row()
        for label in (_("Item"), _("Quantity"), _("Unit"), _("Price per unit"), _("Amount")):
            head.cell(_text(label))
        for name, quantity, unit, price in rows:
            row = table.row()
            for value in (name, quantity, unit, format_rupiah(price), format_rupiah(price * quantity)):
                row.cell(_text(value))
        last = table.row(style=BOLD)
        last.cell(_text(_("Total")), colspan=4, align="RIGHT")
        last.cell(_text(format_rupiah(total)))
    pdf.ln(4)


def purchase_order_pdf(po, lines) -> bytes:
    """`po` with buyer, supplier (and their regions), rfq and delivery region loaded; `lines` its PO lines."""
    pdf = _document(_("Purchase order %(number)s") % {"number": po.number})
    _rows(
        pdf,
        [
            (_("Revision"), po.revision),
            (_("Issued"), timezone.localtime(po.created_at).strftime("%d-%m-%Y")),
            (_("Status"), po.get_status_display()),
            (_("Request"), f"{po.rfq.number} · {po.rfq.title}"),
            (_("Deliver to"), f"{po.delivery_address}, {po.delivery_region.label}"),
            (_("Deliver by"), po.delivery_date.strftime("%d-%m-%Y")),
            (_("Payment terms"), po.terms_label()),
        ],
    )
    _parties(pdf, po.buyer, po.supplier)
    _lines(pdf, [(line.name, line.quantity, line.get_unit_display(), line.unit_price) for line in lines], po.total)
    if po.confirmed_at:
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(
            0,
            5,
            _text(
                _("Confirmed by the supplier on %(date)s.")
                % {"date": timezone.localtime(po.confirmed_at).strftime("%d-%m-%Y %H:%M")}
            ),
        )
    return bytes(pdf.output())


def invoice_pdf(invoice, lines) -> bytes:
    """`invoice` with its PO's buyer and supplier (and regions) loaded; `lines` its lines with their PO line."""
    po = invoice.purchase_order
    pdf = _document(_("Invoice %(number)s") % {"number": invoice.number})
    _rows(
        pdf,
        [
            (_("Purchase order"), po.number),
            (_("Issued on"), invoice.issued_on.strftime("%d-%m-%Y")),
            (_("Due on"), invoice.due_on.strftime("%d-%m-%Y")),
            (_("Payment terms"), po.terms_label()),
            (_("Status"), invoice.get_status_display()),
        ],
    )
    _parties(pdf, po.buyer, po.supplier)
    _lines(
        pdf,
        [(line.po_line.name, line.quantity, line.po_line.get_unit_display(), line.unit_price) for line in lines],
        invoice.total,
    )
    store = getattr(po.supplier, "store", None)
    if store is not None and store.bank_account_number:
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(
            0,
            5,
            _text(
                _("Pay by transfer to %(bank)s %(account)s in the name of %(holder)s.")
                % {"bank": store.bank_name, "account": store.bank_account_number, "holder": store.bank_account_name}
            ),
        )
    return bytes(pdf.output())

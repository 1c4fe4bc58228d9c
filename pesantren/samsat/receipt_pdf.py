"""The Samsat OPOP receipt as a PDF (fpdf2): thermal 58/80 mm wide with the height fitted to the content, or A4.

It draws the context the printable receipt page uses (`views._receipt_context`), with the same strings.
"""

from io import BytesIO

import qrcode
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from opop.formatting import format_rupiah

# size -> page width (mm), margin (mm), font size (pt), QR code side (mm)
LAYOUTS = {"58": (58, 3, 7, 30), "80": (80, 4, 8.5, 36), "a4": (210, 20, 11, 45)}
A4_HEIGHT = 297
PROBE_HEIGHT = 2000  # a thermal receipt is drawn once on a long page to measure it, then on a fitted one
FONT = "Helvetica"
PT_TO_MM = 25.4 / 72
BOLD = FontFace(emphasis="BOLD")


def _text(value) -> str:
    """The built-in PDF fonts speak Windows-1252; a character outside it prints as '?' instead of failing."""
    return str(value).encode("cp1252", "replace").decode("cp1252")


def _qr_png(url: str) -> bytes:
    buffer = BytesIO()
    qrcode.make(url, box_size=8, border=1).save(buffer, format="PNG")
    return buffer.getvalue()


def receipt_pdf_bytes(context: dict) -> bytes:
    """The receipt of `context` (outlet, payment, bill, size, copy, verify_url, simulation) as PDF bytes."""
    qr_png = _qr_png(context["verify_url"])
    margin = LAYOUTS[context["size"]][1]
    if context["size"] == "a4":
        return bytes(_render(context, qr_png, height=A4_HEIGHT).output())
    probe = _render(context, qr_png, height=PROBE_HEIGHT)
    return bytes(_render(context, qr_png, height=probe.get_y() + margin + 1).output())


def _render(context: dict, qr_png: bytes, *, height: float) -> FPDF:
    outlet, payment, bill = context["outlet"], context["payment"], context["bill"]
    width, margin, font_size, qr_side = LAYOUTS[context["size"]]
    thermal = context["size"] != "a4"
    pdf = FPDF(unit="mm", format=(width, height))
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_margins(margin, margin, margin)
    pdf.set_auto_page_break(not thermal, margin)
    pdf.set_title(_text(f"{_('Receipt')} {payment.receipt_number}"))
    pdf.set_creator("OPOP Jatim")
    pdf.add_page()
    leading = font_size * PT_TO_MM * 1.3

    def paragraph(text, *, style="", scale=1.0, align="C"):
        pdf.set_font(FONT, style, font_size * scale)
        pdf.multi_cell(pdf.epw, leading * scale, _text(text), align=align, new_x="LMARGIN", new_y="NEXT")

    def rows(pairs, *, col_widths=(2, 5), bold_last=False):
        pdf.set_font(FONT, "", font_size)
        with pdf.table(
            borders_layout="NONE",
            col_widths=col_widths,
            text_align=("LEFT", "RIGHT"),
            first_row_as_headings=False,
            line_height=leading,
            padding=(0.3, 0),
        ) as table:
            for index, (label, value) in enumerate(pairs):
                style = BOLD if bold_last and index == len(pairs) - 1 else None
                row = table.row(style=style)
                row.cell(_text(label))
                row.cell(_text(value))

    def rule():
        pdf.ln(leading / 2)
        if thermal:
            pdf.set_dash_pattern(dash=0.8, gap=0.6)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.set_dash_pattern()
        pdf.ln(leading / 2)

    if context["simulation"]:
        paragraph(_("SIMULATION — NOT A PROOF OF PAYMENT"), style="B", scale=1.15)
    if context["copy"]:
        paragraph(_("COPY #%(n)s") % {"n": context["copy"]}, style="B")
    paragraph(_("SAMSAT OPOP JAWA TIMUR"), style="B", scale=1.1)
    for line in (outlet.name, outlet.address, outlet.code):
        if line:
            paragraph(line)
    pdf.ln(leading / 2)
    paragraph(_("PKB and SWDKLLJ payment receipt"), style="B")
    if payment.state == "reversed":
        paragraph(_("REVERSED"), style="B", scale=1.15)
    pdf.ln(leading / 2)
    rows(
        [
            (_("Receipt"), payment.receipt_number),
            (_("Time (WIB)"), timezone.localtime(payment.created_at).strftime("%d-%m-%Y %H:%M")),
            (_("Plate"), payment.plate),
            (_("Owner"), bill.owner_masked),
            (_("Vehicle"), bill.vehicle_description),
            (_("Tax period"), f"{bill.due_date:%d-%m-%Y} \N{EN DASH} {bill.period_end:%d-%m-%Y}"),
        ]
    )
    rule()
    lines = [(label, format_rupiah(amount)) for label, amount in bill.lines()]
    rows([*lines, (_("Total"), format_rupiah(bill.total))], col_widths=(3, 2), bold_last=True)
    rule()
    rows(
        [
            ("NTPD", payment.biller_ref),
            (_("Pay code"), bill.pay_code),
            (_("Cashier"), payment.cashier.get_short_name()),
        ]
    )
    pdf.ln(leading)
    pdf.image(BytesIO(qr_png), x=(pdf.w - qr_side) / 2, w=qr_side, h=qr_side)
    paragraph(_("Scan to verify"))
    paragraph(context["verify_url"], scale=0.8)
    pdf.ln(leading / 2)
    paragraph(_("Keep this receipt. The STNK is endorsed at the Samsat office or via e-Samsat."), scale=0.9)
    return pdf


def etbpkp_pdf_bytes(context: dict) -> bytes:
    """The simulated e-TBPKP of `context` (outlet, payment, bill, etbpkp, verify_url) as an A5 PDF."""
    outlet, payment, bill, document = context["outlet"], context["payment"], context["bill"], context["etbpkp"]
    pdf = FPDF(unit="mm", format=(148, 210))  # A5
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_margins(12, 12, 12)
    pdf.set_auto_page_break(True, 12)
    pdf.set_title(_text(f"e-TBPKP {document.number}"))
    pdf.set_creator("OPOP Jatim")
    pdf.add_page()
    font_size = 10
    leading = font_size * PT_TO_MM * 1.4

    def paragraph(text, *, style="", scale=1.0, align="C"):
        pdf.set_font(FONT, style, font_size * scale)
        pdf.multi_cell(pdf.epw, leading * scale, _text(text), align=align, new_x="LMARGIN", new_y="NEXT")

    def rows(pairs, *, bold_last=False):
        pdf.set_font(FONT, "", font_size)
        with pdf.table(
            col_widths=(3, 4),
            text_align=("LEFT", "RIGHT"),
            first_row_as_headings=False,
            line_height=leading,
            padding=(0.8, 1),
        ) as table:
            for index, (label, value) in enumerate(pairs):
                style = BOLD if bold_last and index == len(pairs) - 1 else None
                row = table.row(style=style)
                row.cell(_text(label))
                row.cell(_text(value))

    pdf.set_draw_color(155, 28, 28)
    pdf.set_text_color(155, 28, 28)
    paragraph(_("SIMULATION — NOT A TAX RECEIPT"), style="B", scale=1.3)
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)
    paragraph(_("e-TBPKP · Electronic vehicle tax receipt"), style="B", scale=1.2)
    paragraph(_("Issued by the Samsat OPOP sandbox, not by Bapenda Jawa Timur."), scale=0.85)
    if payment.state == "reversed":
        paragraph(_("REVERSED"), style="B", scale=1.3)
    pdf.ln(leading)
    rows(
        [
            (_("e-TBPKP number"), document.number),
            (_("Issued (WIB)"), timezone.localtime(document.issued_at).strftime("%d-%m-%Y %H:%M")),
            (_("Plate"), payment.plate),
            (_("Owner"), bill.owner_masked),
            (_("Vehicle"), bill.vehicle_description),
            (_("Tax period"), f"{bill.due_date:%d-%m-%Y} \N{EN DASH} {bill.period_end:%d-%m-%Y}"),
            ("NTPD", document.biller_ref),
            (_("Paid at"), f"{outlet.name} ({outlet.code})"),
        ]
    )
    pdf.ln(leading)
    lines = [(label, format_rupiah(amount)) for label, amount in bill.lines()]
    rows([*lines, (_("Total"), format_rupiah(bill.total))], bold_last=True)
    pdf.ln(leading)
    side = 32
    pdf.image(BytesIO(_qr_png(context["verify_url"])), x=(pdf.w - side) / 2, w=side, h=side)
    paragraph(_("Scan to verify"))
    paragraph(context["verify_url"], scale=0.8)
    return bytes(pdf.output())

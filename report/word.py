"""The Word draft (.docx, python-docx) in the format of Nghị định 30/2020/NĐ-CP: A4, Times New
Roman 14 pt (13 in the header and the tables' captions, smaller inside wide tables), margins top
and bottom 20 mm, left 30 mm, right 15 mm; the two-column header without borders; "BÁO CÁO" and
the subject; sections I–IV (report.sections); "Nơi nhận" and the signer's block.
"""
from __future__ import annotations

import io
import logging

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from . import formats, sections
from .data import ReportData
from .model import Heading, Paragraph, Picture, Table

log = logging.getLogger(__name__)

FONT = "Times New Roman"
BODY_PT = 14
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_CM = (PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]) / 10   # 16,5 cm
HEADER_LEFT_CM, HEADER_RIGHT_CM = 5.9, TEXT_WIDTH_CM - 5.9 + 0.6   # the motto needs 10,6 cm at 13 pt


def _set_run_font(run, size: float | None = None, bold=None, italic=None) -> None:
    run.font.name = FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic


def _para(container, text: str = "", *, size: float = BODY_PT, bold=False, italic=False,
          align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = False, before: float = 0, after: float = 6,
          spacing: float = 1.15):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = spacing
    if indent:
        fmt.first_line_indent = Cm(1.27)
    if text:
        _set_run_font(p.add_run(text), size, bold, italic)
    return p


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    # Schema order matters to Word: tblBorders comes before shd, tblLayout, tblCellMar, tblLook.
    tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                 "w:tblCaption", "w:tblDescription", "w:tblPrChange")


# What follows w:pBdr in w:pPr (ECMA-376 order; Word refuses a file with them out of order).
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
               "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
               "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
               "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _rule(cell_or_doc, width_cm: float, container_cm: float) -> None:
    """The short horizontal line under the issuer's name and under the motto (a top border of an
    empty, narrow paragraph)."""
    p = cell_or_doc.add_paragraph()
    side = max(0.0, (container_cm - width_cm) / 2)
    fmt = p.paragraph_format
    fmt.left_indent, fmt.right_indent = Cm(side), Cm(side)
    fmt.space_before, fmt.space_after = Pt(0), Pt(2)
    fmt.line_spacing = 1.0
    p_pr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(k), v)
    bdr.append(top)
    p_pr.insert_element_before(bdr, *_AFTER_PBDR)
    _set_run_font(p.add_run(""), 4)


def _setup(doc) -> None:
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    sec.top_margin, sec.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    sec.left_margin, sec.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    # Page numbers at the top centre from page 2 (Nghị định 30: Arabic numerals, top centre).
    sec.different_first_page_header_footer = True
    header_p = sec.header.paragraphs[0]
    header_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header_p.add_run()
    _set_run_font(run, 13)
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    doc.core_properties.title = "Báo cáo kết quả thực hiện Phong trào thi đua văn hóa công sở"
    doc.core_properties.author = "Bảng điều khiển văn hóa công sở"


def _widths(table, widths_cm: list[float]) -> None:
    """Column widths that Word and LibreOffice both follow: the grid and every cell."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(Cm(w).twips)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)


def _header(doc, d: ReportData) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _widths(table, [HEADER_LEFT_CM, HEADER_RIGHT_CM])
    left, right = table.rows[0].cells
    center = WD_ALIGN_PARAGRAPH.CENTER
    left.paragraphs[0].text = ""
    # The body above the issuer in regular type, 12 pt (Nghị định 30/2020 allows 12–13): at 13 pt
    # "UBND HUYỆN NINH PHƯỚC" wrapped in the 5,9 cm column. The issuer bold, 13 pt.
    above = d.superior_lines()
    for i, line in enumerate(d.issuer_lines()):
        p = left.paragraphs[0] if i == 0 else left.add_paragraph()
        p.paragraph_format.alignment = center
        p.paragraph_format.space_after = Pt(0)
        _set_run_font(p.add_run(line), 13 if i >= above else 12, bold=i >= above)
    _rule(left, 2.5, HEADER_LEFT_CM)
    p = _para(left, d.number_line(), size=13, align=center, before=4, after=0)
    p = right.paragraphs[0]
    p.paragraph_format.alignment = center
    p.paragraph_format.space_after = Pt(0)
    _set_run_font(p.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), 12, bold=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, align=center, after=0)
    _rule(right, 5.6, HEADER_RIGHT_CM)
    _para(right, f"{d.place()}, ngày … tháng … năm …", size=13, italic=True, align=center, before=4, after=0)


def _title(doc, d: ReportData) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, "BÁO CÁO", bold=True, align=center, before=18, after=0)
    _para(doc, sections.subject(d), bold=True, align=center, after=0, spacing=1.0)
    _rule(doc, 4.0, TEXT_WIDTH_CM)
    _para(doc, f"{d.issuer_name()} báo cáo kết quả thực hiện Phong trào thi đua như sau:",
          indent=True, before=6)


def _heading(doc, h: Heading) -> None:
    _para(doc, h.text, bold=True, italic=h.level == 3, indent=True, before=6 if h.level == 1 else 3, after=3)


def column_widths(t: Table, df, kinds: dict, size: float, total_cm: float = TEXT_WIDTH_CM) -> list[float]:
    """Number columns as wide as their longest figure or heading word; the text columns share the
    rest by their longest text (a unit's name wraps, a figure never does)."""
    char_cm = 0.22 * size / 10
    need = []
    for col in df.columns:
        words = max(len(w) for w in str(col).split()) if str(col).split() else 4
        if kinds[col] == "text":
            longest = max([len(str(col))] + [len(str(v)) for v in df[col].head(80)])
            need.append(max(words, min(longest, 38)) * char_cm + 0.6)
        else:
            longest = max([words] + [len(formats.text(v, formats.cell_kind(t, i, col)))
                                     for i, v in enumerate(df[col].head(200))])
            need.append(longest * char_cm + 0.6)
    texts = [j for j, col in enumerate(df.columns) if kinds[col] == "text"]
    spare = total_cm - sum(need)
    if texts:
        text_need = sum(need[j] for j in texts)
        for j in texts:   # grow or shrink the text columns to fill the line
            need[j] = max(1.8, need[j] + spare * need[j] / text_need)
    else:
        need = [w + spare / len(need) for w in need]
    if sum(need) > total_cm:   # many number columns (Biểu 06): everything narrower, never past the margin
        need = [w * total_cm / sum(need) for w in need]
    return need


def _table(doc, t: Table) -> None:
    df = t.df[list(t.document_columns)] if t.document_columns else t.df
    caption = _para(doc, f"Bảng {t.number}. {t.caption}", size=13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                    before=6, after=3, spacing=1.0)
    caption.paragraph_format.keep_with_next = True
    n_cols = len(df.columns)
    size = 12 if n_cols <= 4 else 11 if n_cols <= 8 else 9
    table = doc.add_table(rows=1 + len(df), cols=n_cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    kinds = {col: formats.column_kind(df, col, t.formats) for col in df.columns}
    _widths(table, column_widths(t, df, kinds, size))
    head = table.rows[0]
    # Repeat the heading row on every page a long table runs over.
    tr_pr = head._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)
    for j, col in enumerate(df.columns):
        p = head.cells[j].paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        _set_run_font(p.add_run(str(col)), size, bold=True)
    for i, row in enumerate(df.itertuples(index=False)):
        cells = table.rows[i + 1].cells
        bold = i in t.bold_rows
        for j, (col, value) in enumerate(zip(df.columns, row)):
            kind = formats.cell_kind(t, i, col)
            p = cells[j].paragraphs[0]
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.line_spacing = 1.0
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if kinds[col] == "text" else WD_ALIGN_PARAGRAPH.RIGHT
            _set_run_font(p.add_run(formats.text(value, kind)), size, bold=bold)
    _para(doc, "", size=6, after=0)


def _picture(doc, pic: Picture, images: dict) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.keep_with_next = True
    p.add_run().add_picture(io.BytesIO(images[pic.number]), width=Cm(min(TEXT_WIDTH_CM, 16.0)))
    _para(doc, f"Hình {pic.number}. {pic.caption}", size=13, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER,
          after=6, spacing=1.0)


def picture_size(pic: Picture) -> tuple[int, int]:
    height = pic.height_px or pic.figure.layout.height or 420
    return pic.width_px, int(height)


def render_pictures(blocks) -> dict[int, bytes]:
    """PNG bytes of every Picture block, one Chromium for all of them."""
    from . import pictures

    pics = [b for b in blocks if isinstance(b, Picture)]
    if not pics:
        return {}
    try:
        with pictures.batch():
            return {pic.number: pictures.png(for_print(pic.figure), *picture_size(pic), scale=1.5) for pic in pics}
    except Exception:  # no Chromium on this machine: the draft is still worth having, without pictures
        log.exception("pictures of the report could not be drawn")
        return {}


def for_print(figure):
    """The dashboard's chart with type large enough for 16 cm of paper."""
    fig = figure.__class__(figure)
    fig.update_layout(font={"size": 17}, legend={"font": {"size": 16}})
    return fig


def _ending(doc, d: ReportData) -> None:
    _para(doc, sections.closing(d), indent=True, before=6)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [8.0, TEXT_WIDTH_CM - 8.0])
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    _set_run_font(p.add_run("Nơi nhận:"), 12, bold=True, italic=True)
    for line in d.recipients():
        _para(left, f"- {line}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0, spacing=1.0)
    center = WD_ALIGN_PARAGRAPH.CENTER
    p = right.paragraphs[0]
    p.alignment = center
    p.paragraph_format.space_after = Pt(0)
    first, *rest = d.signer_lines()
    _set_run_font(p.add_run(first), 13, bold=True)
    for line in rest:
        _para(right, line, size=13, bold=True, align=center, after=0)
    _para(right, "[Ký, ghi rõ họ tên, đóng dấu]", size=13, italic=True, align=center, after=60)
    _para(right, "[Họ và tên]", size=13, bold=True, align=center, after=0)


def build_docx(d: ReportData, blocks=None, images: dict | None = None) -> bytes:
    """The .docx bytes of the report for ReportData `d` (blocks: report.sections.blocks(d))."""
    blocks = sections.blocks(d) if blocks is None else blocks
    images = render_pictures(blocks) if images is None else images
    doc = Document()
    _setup(doc)
    _header(doc, d)
    _title(doc, d)
    for b in blocks:
        if isinstance(b, Heading):
            _heading(doc, b)
        elif isinstance(b, Paragraph):
            _para(doc, f"[{b.text}]" if b.guidance else b.text, italic=b.guidance, indent=True)
        elif isinstance(b, Table):
            if b.in_document:
                _table(doc, b)
        elif isinstance(b, Picture):
            if b.number in images:
                _picture(doc, b, images)
            else:
                _para(doc, f"[Hình {b.number}. {b.caption}: không tạo được hình trên máy chủ (cần trình "
                           "duyệt Chromium); xem biểu đồ trên bảng điều khiển.]", italic=True, indent=True)
    _ending(doc, d)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

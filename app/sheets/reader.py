"""Read an uploaded table, .xlsx or CSV, as a header and a stream of rows of text.

CSV: the encoding is detected (UTF-8 with or without BOM, UTF-16, GBK/GB18030, Big5,
Windows-1252) with charset-normalizer, line ends may be CR, LF or CRLF, and the separator
is whichever of comma, semicolon and tab the header row uses most. .xlsx: openpyxl in
read-only mode, so a 50,000-row workbook streams instead of being loaded whole.
A file that cannot be read with confidence raises `Unreadable` with a message that says
how to save it from Excel; nothing is guessed into mojibake.
"""
import codecs
import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time

from charset_normalizer import from_bytes

from app.translate import lazy_gettext as _l

SAVE_HINT = _l("In Excel choose File → Save As and pick \"CSV UTF-8 (comma delimited)\" or "
               "\"Excel Workbook (.xlsx)\", then upload that file.")
CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16", "utf_16_le", "utf_16_be", "cp1252"]
MAX_CHAOS = 0.1
SAMPLE_BYTES = 256_000
MAX_CELL = 100_000  # characters; a longer cell refuses the file (no column holds that much)
SEPARATORS = (",", ";", "\t")


class Unreadable(Exception):
    """The file cannot be read as a table; the message tells the user what to do."""

    def __init__(self, message, hint=True):
        super().__init__(str(message))
        self.message = message
        self.hint = hint


@dataclass
class Table:
    kind: str          # "xlsx" or "csv"
    header: list       # column names as written in the file
    rows: object       # iterator of (line number, list of cell values)
    encoding: str = ""
    separator: str = ""


def kind_of(raw, filename=""):
    """'xlsx', 'csv', or raise Unreadable for another kind of file."""
    name = (filename or "").lower()
    if raw.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(raw)).namelist()
        except zipfile.BadZipFile:
            raise Unreadable(_l("The file looks like a damaged workbook or ZIP.")) from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise Unreadable(_l("This is a ZIP or another document, not an Excel workbook or a CSV file."))
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise Unreadable(_l("This is an old Excel 97-2003 workbook (.xls), which cannot be read."))
    if raw.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise Unreadable(_l("This is a PDF or an image, not a spreadsheet."))
    if name.endswith((".xls", ".xlsm", ".xlsb", ".numbers", ".ods")):
        raise Unreadable(_l("This kind of spreadsheet cannot be read."))
    return "csv"


def decode(raw):
    """(text, encoding name) of CSV bytes, or raise Unreadable when not confident."""
    if not raw.strip(b"\x00 \t\r\n\xef\xbb\xbf\xff\xfe"):
        raise Unreadable(_l("The file is empty."), hint=False)
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(enc), enc.upper().replace("-LE", "").replace("-BE", "")
            except UnicodeDecodeError:
                raise Unreadable(_l("The file says it is %(enc)s but is not.", enc=enc.upper())) from None
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(raw[:SAMPLE_BYTES], cp_isolation=CANDIDATES).best()
    if best is None or best.chaos > MAX_CHAOS:
        raise Unreadable(_l("The file's characters could not be recognised with confidence."))
    try:
        text = raw.decode(best.encoding)
    except UnicodeDecodeError:
        raise Unreadable(_l("The file mixes character encodings.")) from None
    return text, {"gb18030": "GB18030", "big5": "Big5", "cp1252": "Windows-1252"}.get(
        best.encoding, best.encoding.upper().replace("_", "-"))


def _separator(text):
    first = text.split("\n", 1)[0].split("\r", 1)[0]
    counts = {sep: first.count(sep) for sep in SEPARATORS}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _csv_rows(text, sep):
    # newline=None: universal newlines, so Excel for Mac's CR-only files split into lines too.
    csv.field_size_limit(MAX_CELL)
    reader = csv.reader(io.StringIO(text, newline=None), delimiter=sep)
    try:
        for row in reader:
            if any(len(cell) > MAX_CELL for cell in row):
                raise Unreadable(_l("Line %(line)d has a cell longer than %(n)d characters.",
                                    line=reader.line_num, n=MAX_CELL), hint=False)
            yield reader.line_num, row
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise Unreadable(_l("Line %(line)d has a cell longer than %(n)d characters.",
                                line=reader.line_num + 1, n=MAX_CELL), hint=False) from None
        raise Unreadable(_l("Line %(line)d cannot be read: %(error)s", line=reader.line_num,
                            error=str(exc)), hint=False) from None


def _cell_value(cell):
    """A workbook cell as import wants it: text, date, number; a formula is flagged."""
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f" or (isinstance(value, str) and cell.data_type == "f"):
        return Formula(str(value))
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) else value
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class Formula(str):
    """A workbook cell holding a formula: import takes values only."""


def _xlsx_rows(wb, ws):
    try:
        for line, row in enumerate(ws.iter_rows(), start=1):
            values = [_cell_value(c) for c in row]
            if any(isinstance(v, str) and len(v) > MAX_CELL for v in values):
                raise Unreadable(_l("Row %(line)d has a cell longer than %(n)d characters.",
                                    line=line, n=MAX_CELL), hint=False)
            yield line, values
    finally:
        wb.close()


def open_table(path, filename=""):
    """The table in the file at `path`: header and a row iterator (streamed)."""
    raw = _read(path)  # the upload's bytes (bounded by the upload limit), never the parsed sheet
    if kind_of(raw, filename) == "xlsx":
        del raw
        import openpyxl
        try:
            # A file object, not the path: openpyxl refuses paths without an .xlsx suffix.
            wb = openpyxl.load_workbook(open(path, "rb"), read_only=True, data_only=False)  # noqa: SIM115
            ws = wb.worksheets[0]
        except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
            raise Unreadable(_l("The workbook could not be opened; it may be damaged.")) from None
        rows = _xlsx_rows(wb, ws)
        return _with_header(Table("xlsx", [], rows))
    text, encoding = decode(raw)
    sep = _separator(text)
    return _with_header(Table("csv", [], _csv_rows(text, sep), encoding, sep))


def _read(path):
    with open(path, "rb") as fh:
        return fh.read()


def _with_header(table):
    """Take the first non-empty row as the header; refuse a file without one."""
    for _line, row in table.rows:
        cells = [str(c).strip() for c in row]
        if any(cells):
            while cells and not cells[-1]:
                cells.pop()
            table.header = cells
            return table
    raise Unreadable(_l("The file has no rows."), hint=False)


def text_of(value):
    """A cell as text (dates as ISO dates)."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)

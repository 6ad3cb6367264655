"""The one writer behind every export: a list of typed columns and rows, out as .xlsx or CSV.

.xlsx cells carry real types (dates as dates, money as numbers with the currency's
format, percentages as percentages); the header row is frozen, filtered, and columns
are sized. Text is always written as text (data type 's'), so a cell that starts with
"=" stays a string in Excel instead of becoming a live formula; CSV, which has no types,
prefixes such cells with a quote. Datetimes go through `local_time`, the one place that
decides which time zone an export shows.
"""
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask_babel import to_user_timezone

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CURRENCY_FORMATS = {"CNY": '"¥"#,##0', "USD": '"$"#,##0', "EUR": '"€"#,##0', "GBP": '"£"#,##0',
                    "JPY": '"¥"#,##0', "HKD": '"HK$"#,##0'}
WIDTH = {"text": 24, "long": 48, "date": 12, "datetime": 17, "money": 14, "pct": 9, "int": 8,
         "number": 10, "bool": 8}


@dataclass
class Col:
    """A column: its header and kind (text, long, date, datetime, money, pct, int, number, bool)."""
    header: str
    kind: str = "text"
    width: int | None = None


def local_time(value):
    """A stored naive-UTC datetime as the reader's wall-clock time (naive, for Excel)."""
    if value is None:
        return None
    return to_user_timezone(value).replace(tzinfo=None)


def neutralise(value):
    """CSV: a cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_text(value, kind):
    if value is None:
        return ""
    if kind == "datetime" and isinstance(value, datetime):
        return local_time(value).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if kind == "bool":
        return "yes" if value else "no"
    if kind == "pct":
        return f"{float(value):g}%"
    return neutralise(value)


def csv_bytes(columns, rows):
    """CSV, UTF-8 with a BOM so Excel opens Chinese intact."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(c.header) for c in columns])
    for row in rows:
        writer.writerow([_csv_text(v, c.kind) for v, c in zip(row, columns, strict=False)])
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(title, columns, rows, currency="CNY"):
    """An .xlsx workbook of one sheet; `currency` may be a code or, per row, a callable."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_sheet_title(title))
    ws.freeze_panes = "A2"
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width or WIDTH.get(col.kind, 20)
    bold = Font(bold=True)
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=str(col.header))
        cell.font = bold
        cell.data_type = "s"
        header.append(cell)
    ws.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    count = 0
    for row in rows:
        count += 1
        ws.append([_xlsx_cell(ws, v, c, currency, row, wrap) for v, c in zip(row, columns, strict=False)])
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(columns), 1))}{count + 1}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _xlsx_cell(ws, value, col, currency, row, wrap):
    from openpyxl.cell import WriteOnlyCell

    if value is None or value == "":
        return None
    kind = col.kind
    if kind == "datetime" and isinstance(value, datetime):
        cell = WriteOnlyCell(ws, value=local_time(value))
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif kind in ("date", "datetime") and isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
    elif kind == "money" and isinstance(value, int | float | Decimal):
        cell = WriteOnlyCell(ws, value=float(value))
        code = currency(row) if callable(currency) else currency
        cell.number_format = CURRENCY_FORMATS.get(code, f'#,##0 "{code}"')
    elif kind == "pct" and isinstance(value, int | float | Decimal):
        cell = WriteOnlyCell(ws, value=float(value) / 100)
        cell.number_format = "0%"
    elif kind in ("int", "number") and isinstance(value, int | float | Decimal):
        cell = WriteOnlyCell(ws, value=float(value) if isinstance(value, Decimal) else value)
        cell.number_format = "0" if kind == "int" else "0.0"
    elif kind == "bool":
        cell = WriteOnlyCell(ws, value=bool(value))
    else:
        text = _clean(str(value))
        cell = WriteOnlyCell(ws, value=text)
        cell.data_type = "s"  # never a formula, whatever it starts with
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True
        if kind == "long":
            cell.alignment = wrap
    return cell


def _clean(text):
    """Characters XML cannot hold (NUL and other C0 controls but tab and newline) are dropped."""
    return "".join(ch for ch in text if ch >= " " or ch in "\t\n\r")


def _sheet_title(title):
    bad = '[]:*?/\\'
    return "".join("-" if ch in bad else ch for ch in str(title))[:31] or "Sheet"


def download(body, filename, fmt):
    """A response that downloads `body` as `filename` (.xlsx or .csv)."""
    from urllib.parse import quote

    from flask import make_response

    resp = make_response(body)
    resp.headers["Content-Type"] = XLSX_MIME if fmt == "xlsx" else "text/csv; charset=utf-8"
    ascii_name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-" for ch in filename)
    resp.headers["Content-Disposition"] = (f"attachment; filename={ascii_name}; "
                                           f"filename*=UTF-8''{quote(filename)}")
    return resp


def export(title, columns, rows, fmt, filename, currency="CNY"):
    """Build and answer an export in `fmt` ('xlsx' or 'csv')."""
    rows = list(rows) if fmt == "xlsx" else rows
    body = xlsx_bytes(title, columns, rows, currency) if fmt == "xlsx" else csv_bytes(columns, rows)
    return download(body, f"{filename}.{fmt}", fmt)

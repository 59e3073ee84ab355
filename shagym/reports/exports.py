"""Spreadsheets of any report or complaint list: CSV streamed row by row, XLSX written row by row to a temporary file
(xlsxwriter's constant-memory mode) and streamed from it. Memory stays flat whatever the number of rows.

Every text cell that a spreadsheet would take for a formula (=, +, -, @, a tab or a carriage return first) gets a
leading apostrophe, so opening the file runs nothing (CSV injection)."""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import FileResponse, StreamingHttpResponse

FORMULA_START = frozenset({"=", "+", "-", "@", "\t", "\r"})
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell(value: Any) -> str:
    """Text for a spreadsheet. A cell that starts like a formula is quoted, so opening the file runs nothing."""
    text = "" if value is None else str(value)
    if text[:1] in FORMULA_START:
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """UTF-8 with a byte-order mark, so spreadsheets read Kazakh; numbers as they are, text neutralised."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([cell(name) for name in header])
    for row in rows:
        yield writer.writerow([value if isinstance(value, int | float) and not isinstance(value, bool) else cell(value)
                               for value in row])


def _attachment(response: Any, filename: str) -> Any:
    response["Content-Disposition"] = f'attachment; filename="{re.sub(r"[^A-Za-z0-9._-]", "-", filename)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response(filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    return _attachment(StreamingHttpResponse(csv_lines(header, rows), content_type=CSV_TYPE), filename)


def xlsx_file(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, sheet: str = "Shagym") -> Any:
    """The workbook in a temporary file (deleted when closed), positioned at its start."""
    import xlsxwriter

    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes (and so deletes) it
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    worksheet = workbook.add_worksheet(re.sub(r"[\[\]:*?/\\]", " ", sheet)[:31] or "Sheet1")
    bold = workbook.add_format({"bold": True})
    for column, name in enumerate(header):
        worksheet.write_string(0, column, cell(name), bold)
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, int | float) and not isinstance(value, bool):
                worksheet.write_number(index, column, value)
            elif value is not None and value != "":
                worksheet.write_string(index, column, cell(value))
    workbook.close()
    output.seek(0)
    return output


def xlsx_response(filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]], *, sheet: str = "Shagym"
                  ) -> FileResponse:
    response = FileResponse(xlsx_file(header, rows, sheet=sheet), content_type=XLSX_TYPE)
    return _attachment(response, filename)


def spreadsheet(fmt: str, filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]], *, sheet: str = "Shagym"
                ) -> StreamingHttpResponse | FileResponse:
    """`fmt` is "csv" or "xlsx"; `filename` without its extension."""
    if fmt == "xlsx":
        return xlsx_response(f"{filename}.xlsx", header, rows, sheet=sheet)
    return csv_response(f"{filename}.csv", header, rows)

#!/usr/bin/python3
"""Spreadsheet helper of tests/api/import.test.mjs (run with Debian's /usr/bin/python3, which has openpyxl).

  xlsx_check.py read FILE        -> JSON {"sheets": [...], "title": first sheet, "rows": [[cell text...]...],
                                    "merged": ["A1:F1", ...], "bordered": number of cells with a left border}
  xlsx_check.py write FILE       <- JSON rows on stdin, written as the first sheet (numbers stay numbers)
  xlsx_check.py gb18030          <- UTF-8 text on stdin, GB18030 bytes on stdout
"""
import datetime
import json
import sys


def text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def main():
    command = sys.argv[1]
    if command == "gb18030":
        sys.stdout.buffer.write(sys.stdin.buffer.read().decode("utf-8").encode("gb18030"))
        return
    import openpyxl
    if command == "read":
        wb = openpyxl.load_workbook(sys.argv[2])
        ws = wb.worksheets[0]
        rows = [[text(c) for c in row] for row in ws.iter_rows(values_only=True)]
        bordered = sum(1 for row in ws.iter_rows() for c in row if c.border and c.border.left and c.border.left.style)
        print(json.dumps({"sheets": wb.sheetnames, "title": ws.title, "rows": rows,
                          "merged": [str(r) for r in ws.merged_cells.ranges], "bordered": bordered},
                         ensure_ascii=False))
    elif command == "write":
        rows = json.loads(sys.stdin.read())
        wb = openpyxl.Workbook()
        ws = wb.active
        for row in rows:
            ws.append(row)
        wb.save(sys.argv[2])


if __name__ == "__main__":
    main()

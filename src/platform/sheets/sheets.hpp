// Spreadsheets as plain tables of text: reading CSV (UTF-8 with or without a
// byte-order mark, or GB18030 as saved by Chinese Excel) and XLSX (the first
// worksheet), and writing CSV and XLSX. No domain words here: callers map
// header names to their own fields.
//
// Every function is pure or works on its own temporary file; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "platform/core/error.hpp"

namespace kam::sheets {

using Row = std::vector<std::string>;  // cells as UTF-8 text
using Table = std::vector<Row>;        // rows in file order; trailing empty rows dropped

// CSV (RFC 4180: quotes, doubled quotes, newlines inside quotes; CRLF, LF or
// CR line ends). A UTF-8 byte-order mark is dropped; text that is not valid
// UTF-8 is read as GB18030. A header line with tabs and no commas is read as
// tab-separated. bad_request when the bytes are neither encoding.
Expected<Table> read_csv(std::string_view bytes);

// GB18030 (a superset of GBK and GB2312) to UTF-8; bad_request on invalid bytes.
Expected<std::string> gb18030_to_utf8(std::string_view bytes);

// XLSX: the first worksheet. Shared and inline strings, numbers (integers
// without ".0"), booleans (TRUE/FALSE), and cells formatted as dates turned
// from serial numbers into ISO dates (YYYY-MM-DD, with " HH:MM:SS" when the
// serial has a time). bad_request when the file is not a readable workbook.
Expected<Table> read_xlsx(std::string_view bytes);

// True when the bytes start like a ZIP archive (an XLSX file).
bool looks_like_xlsx(std::string_view bytes);

// read_xlsx or read_csv by content.
Expected<Table> read_table(std::string_view bytes);

// Excel date serial (1900 date system) to ISO text.
std::string serial_to_iso(double serial, bool date1904 = false);

// Formula injection (CSV injection): a cell starting with = + - @ tab or CR
// gets a leading apostrophe so spreadsheet programs show it as text.
std::string neutralize_formula(std::string_view cell);

// CSV text: cells quoted when needed, CRLF line ends, a UTF-8 byte-order mark
// first when `bom` (Excel then opens Chinese text correctly). Cells are
// written as given: neutralize before if they come from users.
std::string write_csv(const Table& table, bool bom = true);

// XLSX writing through libxlsxwriter into a temporary file whose bytes
// finish() returns. Text is always written as text (never as a formula).
enum class Style {
  plain,    // no border
  header,   // bold, grey fill, bordered (table headers)
  title,    // large bold, centred (form titles)
  section,  // bold, light fill, bordered (form section bands)
  label,    // bold, bordered, light fill (form labels)
  value,    // bordered, wrapped text (form values)
  note,     // small grey text
};

class XlsxWriter {
 public:
  XlsxWriter();
  ~XlsxWriter();
  XlsxWriter(const XlsxWriter&) = delete;
  XlsxWriter& operator=(const XlsxWriter&) = delete;

  // Starts a worksheet; later calls write to it. Names are at most 31 characters.
  void add_sheet(const std::string& name);
  void set_column_width(int first_column, int last_column, double width);
  void set_row_height(int row, double height);
  void write(int row, int column, const std::string& text, Style style = Style::plain);
  void write_number(int row, int column, double value, Style style = Style::plain);
  // Merges a range and writes text into it.
  void merge(int first_row, int first_column, int last_row, int last_column, const std::string& text,
             Style style = Style::plain);
  void freeze_top_row();
  // Landscape / portrait and fit-to-page-width for printing.
  void print_setup(bool landscape);

  // Closes the workbook and returns the file's bytes (internal error when
  // libxlsxwriter could not write it). The writer is unusable afterwards.
  Expected<std::string> finish();

 private:
  struct Impl;
  Impl* impl_;
};

// Writes a table (first row as headers) into one sheet.
Expected<std::string> table_to_xlsx(const Table& table, const std::string& sheet_name);

}  // namespace kam::sheets

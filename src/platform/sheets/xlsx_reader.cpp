// Reads the first worksheet of an XLSX file: libzip opens the archive in
// memory, pugixml parses the parts (workbook, relationships, shared strings,
// styles, the sheet). Dates are cells whose number format is a date format.
#include <zip.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <set>

#include "platform/sheets/sheets.hpp"

namespace kam::sheets {

namespace {

Error unreadable(const std::string& why) {
  return Error::bad_request("the XLSX file cannot be read: " + why);
}

class Archive {
 public:
  explicit Archive(std::string_view bytes) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source) {
      archive_ = zip_open_from_source(source, ZIP_RDONLY, &error);
      if (!archive_) zip_source_free(source);
    }
    zip_error_fini(&error);
  }
  ~Archive() {
    if (archive_) zip_discard(archive_);
  }
  Archive(const Archive&) = delete;
  Archive& operator=(const Archive&) = delete;
  bool ok() const { return archive_ != nullptr; }

  // The uncompressed part, or nullopt when absent. Parts over 200 MB are refused.
  std::optional<std::string> read(const std::string& name) {
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat(archive_, name.c_str(), 0, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE)) return std::nullopt;
    if (stat.size > 200u * 1024 * 1024) return std::nullopt;
    zip_file_t* file = zip_fopen(archive_, name.c_str(), 0);
    if (!file) return std::nullopt;
    std::string out(stat.size, '\0');
    const auto got = zip_fread(file, out.data(), stat.size);
    zip_fclose(file);
    if (got < 0 || static_cast<zip_uint64_t>(got) != stat.size) return std::nullopt;
    return out;
  }

 private:
  zip_t* archive_ = nullptr;
};

bool parse_xml(pugi::xml_document& doc, const std::string& text) {
  return static_cast<bool>(doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8));
}

// Local name without a namespace prefix ("x:row" → "row").
std::string_view local(const char* name) {
  std::string_view n(name);
  const auto colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node node, std::string_view name) {
  for (auto c : node.children()) {
    if (local(c.name()) == name) return c;
  }
  return {};
}

// Text of a string item: <t> directly, or the <t> of every rich-text run (<r>); phonetic runs skipped.
std::string string_item(pugi::xml_node item) {
  std::string out;
  for (auto c : item.children()) {
    const auto n = local(c.name());
    if (n == "t") {
      out += c.text().get();
    } else if (n == "r") {
      if (auto t = child(c, "t")) out += t.text().get();
    }
  }
  return out;
}

// Column index from a reference like "AB12" (A = 0); -1 when malformed.
int column_of(std::string_view ref) {
  int column = 0;
  std::size_t i = 0;
  for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i) column = column * 26 + (ref[i] - 'A' + 1);
  if (i == 0 || column > 16384) return -1;
  return column - 1;
}

bool is_date_format_code(std::string code) {
  // Drop quoted literals, escaped characters and [...] sections (colours, locales, elapsed time).
  std::string cleaned;
  bool in_quote = false;
  int in_bracket = 0;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char ch = code[i];
    if (in_quote) {
      if (ch == '"') in_quote = false;
      continue;
    }
    if (ch == '"') {
      in_quote = true;
    } else if (ch == '\\') {
      ++i;
    } else if (ch == '[') {
      ++in_bracket;
    } else if (ch == ']') {
      if (in_bracket > 0) --in_bracket;
    } else if (in_bracket == 0) {
      cleaned += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
  }
  return cleaned.find_first_of("dy") != std::string::npos ||
         (cleaned.find('m') != std::string::npos && cleaned.find_first_of("hs") == std::string::npos &&
          cleaned.find('0') == std::string::npos && cleaned.find('#') == std::string::npos) ||
         cleaned.find("yyyy") != std::string::npos;
}

bool is_builtin_date_format(int id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

std::string format_number(double value) {
  if (std::isfinite(value) && std::floor(value) == value && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.15g", value);
  return buffer;
}

// Resolves a relationship target ("worksheets/sheet1.xml" or "/xl/worksheets/sheet1.xml") against xl/.
std::string part_path(std::string target) {
  if (!target.empty() && target.front() == '/') return target.substr(1);
  std::string base = "xl/";
  while (target.rfind("../", 0) == 0) {
    target = target.substr(3);
    base = "";
  }
  return base + target;
}

}  // namespace

std::string serial_to_iso(double serial, bool date1904) {
  // Days since 1899-12-30 (the 1900 system counts a fictitious 1900-02-29, which the offset absorbs for dates after
  // it).
  double days = std::floor(serial);
  double fraction = serial - days;
  if (date1904) days += 1462;
  if (!date1904 && days < 60) days += 1;  // before Excel's fictitious 1900-02-29
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
  long long z = static_cast<long long>(days) - 25569 + 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buffer[96];
  long long seconds = std::llround(fraction * 86400.0);
  if (seconds >= 86400) seconds = 86399;
  if (seconds == 0) {
    std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u", y, m, d);
  } else {
    std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u %02lld:%02lld:%02lld", y, m, d, seconds / 3600,
                  (seconds / 60) % 60, seconds % 60);
  }
  return buffer;
}

Expected<Table> read_xlsx(std::string_view bytes) {
  Archive archive(bytes);
  if (!archive.ok()) return unreadable("not a ZIP archive");

  // The first sheet: workbook.xml lists sheets in order, its relationships give the part.
  std::string sheet_part = "xl/worksheets/sheet1.xml";
  bool date1904 = false;
  if (auto workbook_xml = archive.read("xl/workbook.xml")) {
    pugi::xml_document workbook;
    if (!parse_xml(workbook, *workbook_xml)) return unreadable("xl/workbook.xml is not XML");
    auto root = workbook.document_element();
    if (auto pr = child(root, "workbookPr")) date1904 = pr.attribute("date1904").as_bool();
    std::string rel_id;
    if (auto sheets = child(root, "sheets")) {
      for (auto s : sheets.children()) {
        if (local(s.name()) != "sheet") continue;
        for (auto a : s.attributes()) {
          if (local(a.name()) == "id") rel_id = a.value();
        }
        break;
      }
    }
    if (auto rels_xml = archive.read("xl/_rels/workbook.xml.rels"); rels_xml && !rel_id.empty()) {
      pugi::xml_document rels;
      if (parse_xml(rels, *rels_xml)) {
        for (auto r : rels.document_element().children()) {
          if (std::string_view(r.attribute("Id").value()) == rel_id)
            sheet_part = part_path(r.attribute("Target").value());
        }
      }
    }
  } else {
    return unreadable("xl/workbook.xml is missing");
  }

  std::vector<std::string> shared;
  if (auto shared_xml = archive.read("xl/sharedStrings.xml")) {
    pugi::xml_document doc;
    if (!parse_xml(doc, *shared_xml)) return unreadable("xl/sharedStrings.xml is not XML");
    for (auto si : doc.document_element().children()) {
      if (local(si.name()) == "si") shared.push_back(string_item(si));
    }
  }

  std::vector<bool> date_style;  // by cellXfs index
  if (auto styles_xml = archive.read("xl/styles.xml")) {
    pugi::xml_document doc;
    if (parse_xml(doc, *styles_xml)) {
      auto root = doc.document_element();
      std::set<int> custom_dates;
      if (auto formats = child(root, "numFmts")) {
        for (auto f : formats.children()) {
          if (is_date_format_code(f.attribute("formatCode").value()))
            custom_dates.insert(f.attribute("numFmtId").as_int());
        }
      }
      if (auto xfs = child(root, "cellXfs")) {
        for (auto xf : xfs.children()) {
          if (local(xf.name()) != "xf") continue;
          const int id = xf.attribute("numFmtId").as_int();
          date_style.push_back(is_builtin_date_format(id) || custom_dates.count(id) > 0);
        }
      }
    }
  }

  auto sheet_xml = archive.read(sheet_part);
  if (!sheet_xml) return unreadable("the first worksheet is missing");
  pugi::xml_document sheet;
  if (!parse_xml(sheet, *sheet_xml)) return unreadable("the worksheet is not XML");
  auto data = child(sheet.document_element(), "sheetData");

  Table table;
  for (auto row_node : data.children()) {
    if (local(row_node.name()) != "row") continue;
    const int row_number = row_node.attribute("r").as_int(static_cast<int>(table.size()) + 1);
    if (row_number < 1 || row_number > 1048576) return unreadable("a row number is out of range");
    if (static_cast<std::size_t>(row_number) > table.size()) table.resize(row_number);
    Row& row = table[row_number - 1];
    int next_column = 0;
    for (auto c : row_node.children()) {
      if (local(c.name()) != "c") continue;
      int column = next_column;
      if (auto r = c.attribute("r")) column = column_of(r.value());
      if (column < 0) return unreadable("a cell reference is malformed");
      next_column = column + 1;
      const std::string_view type = c.attribute("t").value();
      const auto v = child(c, "v");
      std::string value;
      if (type == "s") {
        const auto index = v.text().as_llong(-1);
        if (index < 0 || static_cast<std::size_t>(index) >= shared.size())
          return unreadable("a shared string is missing");
        value = shared[static_cast<std::size_t>(index)];
      } else if (type == "inlineStr") {
        value = string_item(child(c, "is"));
      } else if (type == "str" || type == "e" || type == "d") {
        value = v.text().get();
      } else if (type == "b") {
        value = v.text().as_int() ? "TRUE" : "FALSE";
      } else if (v) {
        const double number = v.text().as_double();
        const auto style = c.attribute("s").as_uint(0);
        if (style < date_style.size() && date_style[style]) {
          value = serial_to_iso(number, date1904);
        } else {
          value = format_number(number);
        }
      }
      if (static_cast<std::size_t>(column) >= row.size()) row.resize(column + 1);
      row[column] = std::move(value);
    }
  }
  while (!table.empty()) {
    bool empty = true;
    for (const auto& cell : table.back()) empty = empty && cell.empty();
    if (!empty) break;
    table.pop_back();
  }
  return table;
}

}  // namespace kam::sheets

// CSV reading and writing, encoding detection (UTF-8, else GB18030 through
// glibc iconv) and formula neutralising.
#include <iconv.h>

#include <cerrno>

#include "platform/core/text.hpp"
#include "platform/sheets/sheets.hpp"

namespace kam::sheets {

namespace {

bool row_is_empty(const Row& row) {
  for (const auto& cell : row) {
    if (!cell.empty()) return false;
  }
  return true;
}

char detect_delimiter(std::string_view text) {
  const auto end = text.find_first_of("\r\n");
  const auto first_line = text.substr(0, end);
  if (first_line.find(',') == std::string_view::npos && first_line.find('\t') != std::string_view::npos) return '\t';
  return ',';
}

Table parse(std::string_view text) {
  const char delimiter = detect_delimiter(text);
  Table table;
  Row row;
  std::string cell;
  bool quoted = false;  // inside a quoted cell
  bool cell_started = false;
  auto end_cell = [&] {
    row.push_back(std::move(cell));
    cell.clear();
    cell_started = false;
  };
  auto end_row = [&] {
    end_cell();
    table.push_back(std::move(row));
    row.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quoted) {
      if (ch == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cell += ch;
      }
      continue;
    }
    if (ch == '"' && !cell_started) {
      quoted = true;
      cell_started = true;
    } else if (ch == delimiter) {
      end_cell();
    } else if (ch == '\r' || ch == '\n') {
      if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_row();
    } else {
      cell += ch;
      cell_started = true;
    }
  }
  if (cell_started || !cell.empty() || !row.empty()) end_row();
  while (!table.empty() && row_is_empty(table.back())) table.pop_back();
  return table;
}

}  // namespace

Expected<std::string> gb18030_to_utf8(std::string_view bytes) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) return Error(Error::Code::internal, "GB18030 conversion is not available");
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in_ptr = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  std::size_t done = 0;
  bool failed = false;
  while (in_left > 0) {
    char* out_ptr = out.data() + done;
    std::size_t out_left = out.size() - done;
    const auto rc = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    done = out.size() - out_left;
    if (rc != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    failed = true;  // EILSEQ or EINVAL (truncated sequence)
    break;
  }
  iconv_close(cd);
  if (failed) return Error::bad_request("the file is neither UTF-8 nor GB18030 text");
  out.resize(done);
  return out;
}

Expected<Table> read_csv(std::string_view bytes) {
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (text::is_valid_utf8(bytes)) return parse(bytes);
  auto converted = gb18030_to_utf8(bytes);
  if (!converted) return converted.error();
  return parse(*converted);
}

bool looks_like_xlsx(std::string_view bytes) {
  return bytes.size() >= 4 && bytes.substr(0, 4) == "PK\x03\x04";
}

Expected<Table> read_table(std::string_view bytes) {
  if (looks_like_xlsx(bytes)) return read_xlsx(bytes);
  return read_csv(bytes);
}

std::string neutralize_formula(std::string_view cell) {
  if (!cell.empty()) {
    const char first = cell.front();
    if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
      return "'" + std::string(cell);
    }
  }
  return std::string(cell);
}

std::string write_csv(const Table& table, bool bom) {
  std::string out = bom ? "\xEF\xBB\xBF" : "";
  for (const auto& row : table) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += ',';
      const auto& cell = row[i];
      if (cell.find_first_of(",\"\r\n") == std::string::npos) {
        out += cell;
        continue;
      }
      out += '"';
      for (char ch : cell) {
        if (ch == '"') out += '"';
        out += ch;
      }
      out += '"';
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace kam::sheets

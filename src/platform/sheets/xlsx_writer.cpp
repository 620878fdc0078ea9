// XLSX writing through libxlsxwriter. libxlsxwriter 1.1.4 writes only to a
// file, so each writer owns a temporary file that finish() reads back and removes.
#include <xlsxwriter.h>

#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "platform/sheets/sheets.hpp"

namespace kam::sheets {

struct XlsxWriter::Impl {
  std::string path;
  lxw_workbook* workbook = nullptr;
  lxw_worksheet* sheet = nullptr;
  std::map<Style, lxw_format*> formats;
};

namespace {
std::atomic<unsigned long> sequence{0};

lxw_format* make_format(lxw_workbook* workbook, Style style) {
  lxw_format* f = workbook_add_format(workbook);
  format_set_font_name(f, "SimSun");
  format_set_font_size(f, 11);
  format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
  switch (style) {
    case Style::plain:
      break;
    case Style::header:
      format_set_bold(f);
      format_set_bg_color(f, 0xD9D9D9);
      format_set_border(f, LXW_BORDER_THIN);
      break;
    case Style::title:
      format_set_bold(f);
      format_set_font_size(f, 18);
      format_set_align(f, LXW_ALIGN_CENTER);
      break;
    case Style::section:
      format_set_bold(f);
      format_set_bg_color(f, 0xDDEBF7);
      format_set_border(f, LXW_BORDER_THIN);
      break;
    case Style::label:
      format_set_bold(f);
      format_set_bg_color(f, 0xF2F2F2);
      format_set_border(f, LXW_BORDER_THIN);
      format_set_text_wrap(f);
      break;
    case Style::value:
      format_set_border(f, LXW_BORDER_THIN);
      format_set_text_wrap(f);
      break;
    case Style::note:
      format_set_font_size(f, 9);
      format_set_font_color(f, 0x808080);
      break;
  }
  return f;
}
}  // namespace

XlsxWriter::XlsxWriter() : impl_(new Impl) {
  impl_->path = (std::filesystem::temp_directory_path() /
                 ("kam-" + std::to_string(::getpid()) + "-" + std::to_string(sequence.fetch_add(1)) + ".xlsx"))
                    .string();
  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  options.tmpdir = nullptr;
  impl_->workbook = workbook_new_opt(impl_->path.c_str(), &options);
  if (impl_->workbook) {
    for (auto style :
         {Style::plain, Style::header, Style::title, Style::section, Style::label, Style::value, Style::note}) {
      impl_->formats[style] = make_format(impl_->workbook, style);
    }
  }
}

XlsxWriter::~XlsxWriter() {
  if (impl_->workbook) {
    workbook_close(impl_->workbook);
    std::error_code ec;
    std::filesystem::remove(impl_->path, ec);
  }
  delete impl_;
}

void XlsxWriter::add_sheet(const std::string& name) {
  if (impl_->workbook) impl_->sheet = workbook_add_worksheet(impl_->workbook, name.c_str());
}

void XlsxWriter::set_column_width(int first_column, int last_column, double width) {
  if (impl_->sheet) {
    worksheet_set_column(impl_->sheet, static_cast<lxw_col_t>(first_column), static_cast<lxw_col_t>(last_column), width,
                         nullptr);
  }
}

void XlsxWriter::set_row_height(int row, double height) {
  if (impl_->sheet) worksheet_set_row(impl_->sheet, static_cast<lxw_row_t>(row), height, nullptr);
}

void XlsxWriter::write(int row, int column, const std::string& text, Style style) {
  if (!impl_->sheet) return;
  auto* format = style == Style::plain ? nullptr : impl_->formats[style];
  if (text.empty()) {
    worksheet_write_blank(impl_->sheet, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(column), format);
  } else {
    worksheet_write_string(impl_->sheet, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(column), text.c_str(),
                           format);
  }
}

void XlsxWriter::write_number(int row, int column, double value, Style style) {
  if (!impl_->sheet) return;
  auto* format = style == Style::plain ? nullptr : impl_->formats[style];
  worksheet_write_number(impl_->sheet, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(column), value, format);
}

void XlsxWriter::merge(int first_row, int first_column, int last_row, int last_column, const std::string& text,
                       Style style) {
  if (!impl_->sheet) return;
  if (first_row == last_row && first_column == last_column) return write(first_row, first_column, text, style);
  worksheet_merge_range(impl_->sheet, static_cast<lxw_row_t>(first_row), static_cast<lxw_col_t>(first_column),
                        static_cast<lxw_row_t>(last_row), static_cast<lxw_col_t>(last_column), text.c_str(),
                        impl_->formats[style]);
}

void XlsxWriter::freeze_top_row() {
  if (impl_->sheet) worksheet_freeze_panes(impl_->sheet, 1, 0);
}

void XlsxWriter::print_setup(bool landscape) {
  if (!impl_->sheet) return;
  if (landscape) {
    worksheet_set_landscape(impl_->sheet);
  } else {
    worksheet_set_portrait(impl_->sheet);
  }
  worksheet_set_paper(impl_->sheet, 9);  // A4
  worksheet_fit_to_pages(impl_->sheet, 1, 0);
}

Expected<std::string> XlsxWriter::finish() {
  if (!impl_->workbook) return Error(Error::Code::internal, "cannot create the XLSX file");
  const auto rc = workbook_close(impl_->workbook);
  impl_->workbook = nullptr;
  std::string bytes;
  if (rc == LXW_NO_ERROR) {
    std::ifstream in(impl_->path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    bytes = buffer.str();
  }
  std::error_code ec;
  std::filesystem::remove(impl_->path, ec);
  if (rc != LXW_NO_ERROR || bytes.empty()) {
    return Error(Error::Code::internal, std::string("cannot write the XLSX file: ") + lxw_strerror(rc));
  }
  return bytes;
}

Expected<std::string> table_to_xlsx(const Table& table, const std::string& sheet_name) {
  XlsxWriter writer;
  writer.add_sheet(sheet_name);
  std::vector<std::size_t> widths;
  for (std::size_t r = 0; r < table.size(); ++r) {
    for (std::size_t c = 0; c < table[r].size(); ++c) {
      writer.write(static_cast<int>(r), static_cast<int>(c), table[r][c], r == 0 ? Style::header : Style::plain);
      if (widths.size() <= c) widths.resize(c + 1, 8);
      widths[c] = std::max(widths[c], std::min<std::size_t>(table[r][c].size(), 50));
    }
  }
  for (std::size_t c = 0; c < widths.size(); ++c) {
    writer.set_column_width(static_cast<int>(c), static_cast<int>(c), static_cast<double>(widths[c]) * 0.8 + 2);
  }
  if (!table.empty()) writer.freeze_top_row();
  return writer.finish();
}

}  // namespace kam::sheets

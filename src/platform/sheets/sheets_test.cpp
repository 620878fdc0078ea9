#include "platform/sheets/sheets.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kam::sheets {
namespace {

TEST(CsvReader, ReadsQuotesDoubledQuotesAndEmbeddedNewlines) {
  auto table = read_csv("name,note\r\n\"华为, 深圳\",\"say \"\"hi\"\"\nnext line\"\r\nplain,\r\n");
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->size(), 3u);
  EXPECT_EQ((*table)[1][0], "华为, 深圳");
  EXPECT_EQ((*table)[1][1], "say \"hi\"\nnext line");
  EXPECT_EQ((*table)[2], (Row{"plain", ""}));
}

TEST(CsvReader, DropsTheUtf8ByteOrderMarkAndTrailingEmptyRows) {
  auto table = read_csv("\xEF\xBB\xBF名称,城市\n甲公司,上海市\n\n\n");
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->size(), 2u);
  EXPECT_EQ((*table)[0][0], "名称");
  EXPECT_EQ((*table)[1][1], "上海市");
}

TEST(CsvReader, ReadsGb18030Bytes) {
  // "名称,城市\r\n华为,深圳" in GB18030 (GBK range).
  const std::string gb = "\xC3\xFB\xB3\xC6,\xB3\xC7\xCA\xD0\r\n\xBB\xAA\xCE\xAA,\xC9\xEE\xDB\xDA\r\n";
  auto table = read_csv(gb);
  ASSERT_TRUE(table.ok()) << table.error().detail();
  EXPECT_EQ((*table)[0], (Row{"名称", "城市"}));
  EXPECT_EQ((*table)[1], (Row{"华为", "深圳"}));
}

TEST(CsvReader, ReadsTabSeparatedText) {
  auto table = read_csv("名称\t城市\n甲\t乙\n");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ((*table)[1], (Row{"甲", "乙"}));
}

TEST(CsvReader, RejectsBytesThatAreNeitherEncoding) {
  auto table = read_csv("a,b\n\x81\x20\xFF\n");
  EXPECT_FALSE(table.ok());
}

TEST(CsvWriter, QuotesWhatNeedsItAndStartsWithTheBom) {
  const auto csv = write_csv({{"a", "b,c"}, {"say \"x\"", "line\nbreak"}});
  EXPECT_EQ(csv,
            "\xEF\xBB\xBF"
            "a,\"b,c\"\r\n\"say \"\"x\"\"\",\"line\nbreak\"\r\n");
  auto back = read_csv(csv);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ((*back)[1][1], "line\nbreak");
}

TEST(FormulaNeutralising, PrefixesCellsThatSpreadsheetsWouldEvaluate) {
  EXPECT_EQ(neutralize_formula("=1+1"), "'=1+1");
  EXPECT_EQ(neutralize_formula("+86 10 1234"), "'+86 10 1234");
  EXPECT_EQ(neutralize_formula("-5"), "'-5");
  EXPECT_EQ(neutralize_formula("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(neutralize_formula("\tx"), "'\tx");
  EXPECT_EQ(neutralize_formula("\rx"), "'\rx");
  EXPECT_EQ(neutralize_formula("华为"), "华为");
  EXPECT_EQ(neutralize_formula(""), "");
  EXPECT_EQ(neutralize_formula("a=b"), "a=b");
}

TEST(ExcelDates, SerialsBecomeIsoDates) {
  EXPECT_EQ(serial_to_iso(45000), "2023-03-15");
  EXPECT_EQ(serial_to_iso(1), "1900-01-01");
  EXPECT_EQ(serial_to_iso(61), "1900-03-01");
  EXPECT_EQ(serial_to_iso(45000.5), "2023-03-15 12:00:00");
  EXPECT_EQ(serial_to_iso(0, true), "1904-01-01");
}

TEST(XlsxReader, ReadsAFileWrittenByLibxlsxwriter) {
  XlsxWriter writer;
  writer.add_sheet("数据");
  writer.write(0, 0, "名称", Style::header);
  writer.write(0, 2, "人数", Style::header);
  writer.write(1, 0, "华为技术有限公司");
  writer.write_number(1, 2, 1200);
  writer.write_number(2, 2, 3.25);
  writer.write(2, 0, "=1+1");  // text, never a formula
  auto bytes = writer.finish();
  ASSERT_TRUE(bytes.ok()) << bytes.error().detail();
  EXPECT_TRUE(looks_like_xlsx(*bytes));
  auto table = read_table(*bytes);
  ASSERT_TRUE(table.ok()) << table.error().detail();
  ASSERT_EQ(table->size(), 3u);
  EXPECT_EQ((*table)[0], (Row{"名称", "", "人数"}));
  EXPECT_EQ((*table)[1], (Row{"华为技术有限公司", "", "1200"}));
  EXPECT_EQ((*table)[2], (Row{"=1+1", "", "3.25"}));
}

TEST(XlsxReader, ReadsAFileWrittenByOpenpyxl) {
  const auto path = std::filesystem::temp_directory_path() / ("kam-openpyxl-" + std::to_string(::getpid()) + ".xlsx");
  const std::string script =
      "import openpyxl, datetime, sys\n"
      "wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'S'\n"
      "ws.append(['名称', '成立日期', '人数', '备注'])\n"
      "ws.append(['腾讯科技（深圳）有限公司', datetime.date(1998, 11, 11), 5000, True])\n"
      "ws['A3'] = '第三行'\n"
      "ws['D4'] = 2.5\n"
      "wb.create_sheet('Other')['A1'] = 'not read'\n"
      "wb.save(sys.argv[1])\n";
  const auto script_path = path.string() + ".py";
  std::ofstream(script_path) << script;
  const int rc = std::system(("/usr/bin/python3 " + script_path + " " + path.string()).c_str());
  std::filesystem::remove(script_path);
  if (rc != 0) GTEST_SKIP() << "python3-openpyxl is not available";
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::filesystem::remove(path);
  auto table = read_xlsx(buffer.str());
  ASSERT_TRUE(table.ok()) << table.error().detail();
  ASSERT_EQ(table->size(), 4u);
  EXPECT_EQ((*table)[0], (Row{"名称", "成立日期", "人数", "备注"}));
  EXPECT_EQ((*table)[1], (Row{"腾讯科技（深圳）有限公司", "1998-11-11", "5000", "TRUE"}));
  EXPECT_EQ((*table)[2], (Row{"第三行"}));
  EXPECT_EQ((*table)[3], (Row{"", "", "", "2.5"}));
}

TEST(XlsxReader, RejectsSomethingThatIsNotAWorkbook) {
  EXPECT_FALSE(read_xlsx("PK\x03\x04garbage").ok());
  EXPECT_FALSE(read_xlsx("").ok());
}

TEST(XlsxWriter, TableToXlsxRoundTrips) {
  auto bytes = table_to_xlsx({{"档案编号", "客户名称"}, {"KA-2026-000001", "'=HYPERLINK(\"x\")"}}, "客户档案");
  ASSERT_TRUE(bytes.ok());
  auto table = read_xlsx(*bytes);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ((*table)[1][1], "'=HYPERLINK(\"x\")");
}

}  // namespace
}  // namespace kam::sheets

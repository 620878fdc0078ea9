// Account import against both back ends: a file larger than one insert chunk
// and one that crosses the archive numbers' change of width, checked row by
// row against what a search, a read and the audit log give back.
#include <gtest/gtest.h>

#include <string>

#include "accounts/accounts.hpp"
#include "accounts/import.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/text.hpp"
#include "testing/test_database.hpp"

namespace kam::accounts {
namespace {

using nlohmann::json;

class ImportStoreTest : public testdb::BootstrappedTest {
 protected:
  void SetUp() override {
    BootstrappedTest::SetUp();
    if (!ready()) return;
    admin_ = org().admin();
  }

  // A file of `n` accounts 甲乙客户<i> with an industry and revenue in 万元.
  static sheets::Table file(int n) {
    sheets::Table table = {{"客户名称", "行业", "年营业额（万元）"}};
    for (int i = 1; i <= n; ++i) table.push_back({"甲乙客户" + std::to_string(i), "医药", std::to_string(i)});
    return table;
  }

  ImportReport apply(const sheets::Table& table, bool dry_run = false) {
    auto c = database().acquire();
    ImportOptions options;
    options.dry_run = dry_run;
    auto report = import_table(*c, admin_, table, options);
    if (!report) throw std::runtime_error(report.error().detail());
    return *report;
  }

  // Every account of the file is there once, with its search postings and an
  // audit row whose "after" is the account as read back.
  void expect_imported(int n) {
    auto c = database().acquire();
    EXPECT_EQ(c->query("SELECT count(*) FROM accounts").front().integer(0), n);
    EXPECT_EQ(
        c->query("SELECT count(*) FROM audit_log WHERE entity = 'account' AND action = 'create'").front().integer(0),
        n);
    // 甲乙客户<i>: 甲乙 乙客 客户 and 户 + first digit, then one per further digit pair.
    std::int64_t postings = 0;
    for (int i = 1; i <= n; ++i) {
      const auto digits = std::to_string(i);
      postings += 4 + static_cast<std::int64_t>(digits.size()) - 1;
    }
    const auto distinct = c->query("SELECT count(*) FROM account_search").front().integer(0);
    EXPECT_LE(distinct, postings);  // repeated digit pairs (e.g. 1111) post once
    EXPECT_GE(distinct, postings - n);
    EXPECT_EQ(c->query("SELECT count(*) FROM account_search WHERE gram = ?", {std::string("乙客")}).front().integer(0),
              n);

    for (const int i : {1, 2, n / 2, n - 1, n}) {
      const std::string name = "甲乙客户" + std::to_string(i);
      const auto row = c->query("SELECT id FROM accounts WHERE name = ?", {name});
      ASSERT_EQ(row.size(), 1u) << name;
      const auto id = row.front().integer(0);
      auto account = get_account(*c, admin_, id);
      ASSERT_TRUE(account.ok()) << name;
      EXPECT_EQ(account->annual_revenue_fen, std::int64_t{i} * 1000000) << name;
      for (const auto& gram : text::search_grams(name)) {
        EXPECT_EQ(c->query("SELECT count(*) FROM account_search WHERE gram = ? AND account_id = ?", {gram, id})
                      .front()
                      .integer(0),
                  1)
            << name << " " << gram;
      }
      const auto audit = c->query(
          "SELECT after_json FROM audit_log WHERE entity = 'account' AND entity_id = ? AND action = 'create'", {id});
      ASSERT_EQ(audit.size(), 1u) << name;
      const auto after = json::parse(audit.front().text(0));
      EXPECT_EQ(after["id"], id);
      EXPECT_EQ(after["name"], name);
      EXPECT_EQ(after["archive_no"], account->archive_no);
      EXPECT_EQ(after["annual_revenue_fen"], std::int64_t{i} * 1000000);
      EXPECT_EQ(after["industry"], "医药");
      EXPECT_EQ(after["owner_id"], admin_.user_id);
      EXPECT_EQ(after["source"], "import");
      EXPECT_EQ(after["version"], 1);
      EXPECT_TRUE(after["credit_code"].is_null());
      // Written as every audit row is (nlohmann's dump: members in key order),
      // with every account field: 21 input columns and 8 more.
      EXPECT_EQ(after.dump(), audit.front().text(0));
      EXPECT_EQ(after.size(), 29u);
    }
    ListQuery query;
    query.q = "乙客户" + std::to_string(n);
    const auto found = list_accounts(*c, admin_, query);
    ASSERT_TRUE(found.ok());
    ASSERT_GE(found->items.size(), 1u);
    EXPECT_EQ(found->items.front().name, "甲乙客户" + std::to_string(n));
  }

  auth::Principal admin_;
};

TEST_P(ImportStoreTest, AFileOfSeveralInsertChunksIsImportedRowByRow) {
  if (!ready()) return;
  constexpr int n = 25003;  // two full chunks of 10,000 and a part
  const auto report = apply(file(n));
  EXPECT_EQ(report.created, n);
  EXPECT_TRUE(report.errors.empty());
  expect_imported(n);
}

// Rounds are written as they are checked, inside the one transaction: an error
// in the last round leaves nothing of the earlier ones, not even the archive
// numbers they took; a name met again rounds later is the file's duplicate.
TEST_P(ImportStoreTest, AnErrorInALaterRoundWritesNothingOfTheEarlierRounds) {
  if (!ready()) return;
  constexpr int n = 25003;
  auto table = file(n);
  table[22000][2] = "很多";       // 甲乙客户22000, spreadsheet row 22001
  table[24000][0] = "甲乙客户1";  // row 24001 repeats row 2, two rounds later
  const auto dry = apply(table, true);
  const auto report = apply(table);
  for (const auto& r : {dry, report}) {
    EXPECT_EQ(r.rows, n);
    EXPECT_EQ(r.valid, n - 2);
    EXPECT_EQ(r.created, 0);
    ASSERT_EQ(r.errors.size(), 2u);
    EXPECT_EQ(r.errors[0].row, 22001);
    EXPECT_EQ(r.errors[0].column, "年营业额（万元）");
    EXPECT_EQ(r.errors[1].row, 24001);
    EXPECT_EQ(r.errors[1].column, "客户名称");
    EXPECT_EQ(r.errors[1].message, "the same name as row 2");
  }
  {
    auto c = database().acquire();
    EXPECT_EQ(c->query("SELECT count(*) FROM accounts").front().integer(0), 0);
    EXPECT_EQ(c->query("SELECT count(*) FROM account_search").front().integer(0), 0);
    EXPECT_EQ(c->query("SELECT count(*) FROM audit_log WHERE entity = 'account'").front().integer(0), 0);
    EXPECT_TRUE(c->query("SELECT value FROM counters WHERE name = ?", {"archive_no:" + std::to_string(current_year())})
                    .empty());
  }
  // The same file mended: the dry run counts every round and writes nothing,
  // the import then takes archive numbers from 1.
  table[22000][2] = "22000";
  table[24000][0] = "甲乙客户24000";
  EXPECT_EQ(apply(table, true).created, n);
  EXPECT_EQ(database().acquire()->query("SELECT count(*) FROM accounts").front().integer(0), 0);
  EXPECT_EQ(apply(table).created, n);
  auto c = database().acquire();
  EXPECT_EQ(c->query("SELECT archive_no FROM accounts WHERE name = ?", {std::string("甲乙客户1")}).front().text(0),
            archive_number(current_year(), 1));
}

TEST_P(ImportStoreTest, ArchiveNumbersCrossingToSevenDigitsKeepTheirAccounts) {
  if (!ready()) return;
  {
    auto c = database().acquire();
    c->query("INSERT INTO counters (name, value) VALUES (?, ?)",
             {"archive_no:" + std::to_string(current_year()), std::int64_t{999997}});
  }
  constexpr int n = 5;  // 999998 … 1000002
  const auto report = apply(file(n));
  EXPECT_EQ(report.created, n);
  expect_imported(n);
  auto c = database().acquire();
  const auto year = current_year();
  for (int i = 1; i <= n; ++i) {
    const auto row = c->query("SELECT archive_no FROM accounts WHERE name = ?", {"甲乙客户" + std::to_string(i)});
    EXPECT_EQ(row.front().text(0), archive_number(year, 999997 + i));
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportStoreTest, testdb::kBackends, testdb::backend_name);

}  // namespace
}  // namespace kam::accounts

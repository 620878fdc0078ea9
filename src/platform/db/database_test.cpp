// The storage driver contract, run against SQLite and PostgreSQL alike:
// value round-trips, affected counts, error kinds, transactions, the pool,
// bulk loads, migrations and concurrent writers.
#include "platform/db/database.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iterator>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "platform/db/migrations.hpp"
#include "testing/test_database.hpp"

namespace kam::db {
namespace {

using testdb::BackendTest;

std::int64_t count(Connection& c, const std::string& table) {
  return c.query("SELECT count(*) FROM " + table).front().integer(0);
}

class DriverTest : public BackendTest {
 protected:
  int pool_size() const override { return 8; }

  void SetUp() override {
    BackendTest::SetUp();
    if (!ready()) return;
    auto c = database().acquire();
    c->execute_script(
        "CREATE TABLE items (k BIGINT PRIMARY KEY, i BIGINT, d DOUBLE PRECISION, s TEXT);"
        "CREATE TABLE parents (id BIGINT PRIMARY KEY, code TEXT UNIQUE);"
        "CREATE TABLE children (id BIGINT PRIMARY KEY, parent_id BIGINT REFERENCES parents(id));");
  }
};

TEST_P(DriverTest, ReportsItsBackend) {
  EXPECT_EQ(database().backend(), backend());
  EXPECT_EQ(database().acquire()->backend(), backend());
}

TEST_P(DriverTest, EveryValueTypeRoundTrips) {
  auto c = database().acquire();
  const std::int64_t min = std::numeric_limits<std::int64_t>::min();
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  const std::string tricky =
      "it's \"quoted\" ? ?? $1 -- not a comment /* nor this */ 华为精密 😀 \\ back\\slash\ttab\nnew line";
  struct Case {
    std::int64_t k;
    Value i, d, s;
  };
  const Case cases[] = {
      {1, Value(min), Value(0.1), Value(tricky)},
      {2, Value(max), Value(-1.5e300), Value(std::string())},
      {3, Value(std::int64_t{0}), Value(3.141592653589793), Value(std::string("?"))},
      {4, Value(nullptr), Value(nullptr), Value(nullptr)},
      {5, Value(std::int64_t{-1}), Value(5e-324), Value(std::string("'; DROP TABLE items; --"))},
  };
  for (const auto& row : cases) {
    const auto inserted = c->query("INSERT INTO items (k, i, d, s) VALUES (?, ?, ?, ?)", {row.k, row.i, row.d, row.s});
    EXPECT_EQ(inserted.affected, 1);
  }
  for (const auto& row : cases) {
    // The `?` inside the literal is not a placeholder on either back end.
    const auto got = c->query("SELECT k, i, d, s, 'lit?' AS lit FROM items WHERE k = ?", {row.k});
    ASSERT_EQ(got.size(), 1u) << row.k;
    const Row& r = got.front();
    EXPECT_EQ(r.at("i"), row.i) << "k=" << row.k;
    EXPECT_EQ(r.at("d"), row.d) << "k=" << row.k;
    EXPECT_EQ(r.at("s"), row.s) << "k=" << row.k;
    EXPECT_EQ(r.text("lit"), "lit?");
    EXPECT_EQ(r.is_null("i"), std::holds_alternative<std::nullptr_t>(row.i));
  }
  // Typed access and lookups by value.
  EXPECT_EQ(c->query("SELECT i FROM items WHERE k = 1").front().integer("i"), min);
  EXPECT_EQ(c->query("SELECT k FROM items WHERE i = ?", {max}).front().integer(0), 2);
  EXPECT_EQ(c->query("SELECT k FROM items WHERE s = ?", {tricky}).front().integer(0), 1);
  EXPECT_EQ(
      c->query("SELECT k FROM items WHERE s = ? AND k > ?", {std::string("?"), std::int64_t{0}}).front().integer(0), 3);
  EXPECT_EQ(c->query("SELECT k FROM items WHERE s IS NULL").front().integer(0), 4);
  EXPECT_FALSE(c->query("SELECT i FROM items WHERE k = 4").front().optional_integer("i").has_value());
  EXPECT_FALSE(c->query("SELECT s FROM items WHERE k = 4").front().optional_text("s").has_value());
  EXPECT_DOUBLE_EQ(c->query("SELECT d FROM items WHERE k = 3").front().real("d"), 3.141592653589793);
  // Arithmetic on an integer parameter reads back as an integer.
  EXPECT_EQ(c->query("SELECT i + ? AS v FROM items WHERE k = 3", {std::int64_t{41}}).front().integer("v"), 41);
}

TEST_P(DriverTest, ResultColumnsAreNamed) {
  auto c = database().acquire();
  c->query("INSERT INTO items (k, i) VALUES (?, ?)", {std::int64_t{1}, std::int64_t{7}});
  const auto r = c->query("SELECT k AS key_col, i AS int_col FROM items");
  ASSERT_EQ(r.columns().size(), 2u);
  EXPECT_EQ(r.columns()[0], "key_col");
  EXPECT_EQ(r.columns()[1], "int_col");
  EXPECT_EQ(r.front().integer("int_col"), 7);
  EXPECT_THROW((void)r.front().at("missing"), DbError);
}

// Columns are found by name in any order (the lookup guesses "the next one"
// first); Connection::each reads the same rows as query().
TEST_P(DriverTest, ColumnsByNameInAnyOrderAndRowViews) {
  auto c = database().acquire();
  c->query("INSERT INTO items (k, i) VALUES (?, ?)", {std::int64_t{1}, std::int64_t{7}});
  const auto r = c->query("SELECT 'a' AS x, k AS y, 'ccc' AS z, NULL AS n, i AS w FROM items");
  const auto& row = r.front();
  EXPECT_EQ(row.text("z"), "ccc");
  EXPECT_EQ(row.text("x"), "a");
  EXPECT_EQ(row.integer("w"), 7);
  EXPECT_EQ(row.integer("y"), 1);
  EXPECT_EQ(row.integer("w"), 7);
  EXPECT_THROW((void)row.at("missing"), DbError);

  c->query("INSERT INTO items (k, i) VALUES (?, ?)", {std::int64_t{2}, nullptr});
  std::vector<std::string> seen;
  c->each("SELECT k, i, 'text ' || k AS t, NULL AS n FROM items WHERE k >= ? ORDER BY k", {std::int64_t{1}},
          [&](const RowView& v) {
            seen.push_back(std::to_string(v.integer(0)) + "|" + (v.is_null(1) ? "null" : std::to_string(v.integer(1))) +
                           "|" + std::string(v.text(2)) + "|" + (v.is_null(3) ? "null" : "?"));
          });
  EXPECT_EQ(seen, (std::vector<std::string>{"1|7|text 1|null", "2|null|text 2|null"}));
}

TEST_P(DriverTest, AffectedCountsChangedRows) {
  auto c = database().acquire();
  for (std::int64_t k = 1; k <= 5; ++k) {
    EXPECT_EQ(c->query("INSERT INTO items (k, i) VALUES (?, ?)", {k, k % 2}).affected, 1);
  }
  EXPECT_EQ(c->query("UPDATE items SET s = ? WHERE i = ?", {std::string("odd"), std::int64_t{1}}).affected, 3);
  EXPECT_EQ(c->query("UPDATE items SET s = ? WHERE k > ?", {std::string("x"), std::int64_t{100}}).affected, 0);
  EXPECT_EQ(c->query("INSERT INTO items (k) VALUES (?) ON CONFLICT DO NOTHING", {std::int64_t{1}}).affected, 0);
  EXPECT_EQ(c->query("DELETE FROM items WHERE i = ?", {std::int64_t{0}}).affected, 2);
  const auto returning = c->query("UPDATE items SET i = i + 10 RETURNING k");
  EXPECT_EQ(returning.size(), 3u);
  EXPECT_EQ(returning.affected, 3);
  EXPECT_EQ(count(*c, "items"), 3);
}

TEST_P(DriverTest, UniqueViolationsHaveTheirKind) {
  auto c = database().acquire();
  c->query("INSERT INTO parents (id, code) VALUES (?, ?)", {std::int64_t{1}, std::string("a")});
  try {
    c->query("INSERT INTO parents (id, code) VALUES (?, ?)", {std::int64_t{1}, std::string("b")});
    ADD_FAILURE() << "duplicate primary key accepted";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::unique_violation) << e.what();
  }
  try {
    c->query("INSERT INTO parents (id, code) VALUES (?, ?)", {std::int64_t{2}, std::string("a")});
    ADD_FAILURE() << "duplicate UNIQUE value accepted";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::unique_violation) << e.what();
  }
  // The connection is still usable after the errors (autocommit).
  EXPECT_EQ(count(*c, "parents"), 1);
}

TEST_P(DriverTest, ForeignKeyViolationsHaveTheirKind) {
  auto c = database().acquire();
  c->query("INSERT INTO parents (id, code) VALUES (?, ?)", {std::int64_t{1}, std::string("a")});
  c->query("INSERT INTO children (id, parent_id) VALUES (?, ?)", {std::int64_t{1}, std::int64_t{1}});
  try {
    c->query("INSERT INTO children (id, parent_id) VALUES (?, ?)", {std::int64_t{2}, std::int64_t{99}});
    ADD_FAILURE() << "dangling foreign key accepted";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::foreign_key_violation) << e.what();
  }
  try {
    c->query("DELETE FROM parents WHERE id = ?", {std::int64_t{1}});
    ADD_FAILURE() << "deleting a referenced parent accepted";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::foreign_key_violation) << e.what();
  }
  EXPECT_EQ(count(*c, "children"), 1);
}

TEST_P(DriverTest, SyntaxErrorsAreOtherAndCarryTheSql) {
  auto c = database().acquire();
  try {
    c->query("SELEKT 1");
    ADD_FAILURE() << "bad SQL accepted";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::other);
    EXPECT_NE(std::string(e.what()).find("SELEKT"), std::string::npos) << e.what();
  }
  EXPECT_THROW(c->query("SELECT k FROM items WHERE k = ?", {}), DbError);  // parameter count mismatch
  EXPECT_EQ(count(*c, "items"), 0);
}

TEST_P(DriverTest, TransactionRollsBackWhenDestroyedWithoutCommit) {
  auto c = database().acquire();
  {
    Transaction tx(*c);
    c->query("INSERT INTO items (k) VALUES (?)", {std::int64_t{1}});
    EXPECT_EQ(count(*c, "items"), 1);  // visible inside
  }
  EXPECT_EQ(count(*c, "items"), 0);
  auto other = database().acquire();
  EXPECT_EQ(count(*other, "items"), 0);
}

TEST_P(DriverTest, TransactionCommitsWithCommit) {
  auto c = database().acquire();
  {
    Transaction tx(*c);
    c->query("INSERT INTO items (k) VALUES (?)", {std::int64_t{1}});
    c->query("INSERT INTO items (k) VALUES (?)", {std::int64_t{2}});
    tx.commit();
  }
  EXPECT_EQ(count(*c, "items"), 2);
  auto other = database().acquire();  // a different pooled connection sees it
  EXPECT_EQ(count(*other, "items"), 2);
}

TEST_P(DriverTest, TransactionRollsBackWhenAnExceptionUnwinds) {
  auto c = database().acquire();
  c->query("INSERT INTO parents (id, code) VALUES (?, ?)", {std::int64_t{1}, std::string("a")});
  try {
    Transaction tx(*c);
    c->query("INSERT INTO parents (id, code) VALUES (?, ?)", {std::int64_t{2}, std::string("b")});
    c->query("INSERT INTO parents (id, code) VALUES (?, ?)", {std::int64_t{3}, std::string("a")});  // throws
    tx.commit();
    ADD_FAILURE() << "no unique violation";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::unique_violation);
  }
  EXPECT_EQ(count(*c, "parents"), 1);
  // And the connection accepts a new transaction.
  Transaction tx(*c);
  c->query("INSERT INTO parents (id, code) VALUES (?, ?)", {std::int64_t{4}, std::string("d")});
  tx.commit();
  EXPECT_EQ(count(*c, "parents"), 2);
}

class PoolOfOneTest : public BackendTest {
 protected:
  int pool_size() const override { return 1; }
};

TEST_P(PoolOfOneTest, ConnectionReturnedWithOpenTransactionComesBackClean) {
  database().acquire()->execute_script("CREATE TABLE items (k BIGINT PRIMARY KEY)");
  {
    auto c = database().acquire();
    c->begin(true);
    c->query("INSERT INTO items (k) VALUES (?)", {std::int64_t{1}});
    // returned to the pool without commit or rollback
  }
  auto c = database().acquire();  // the same (only) connection
  EXPECT_EQ(count(*c, "items"), 0) << "the abandoned transaction was not rolled back";
  // Not still inside a transaction: a new one begins, commits and persists.
  c->begin(true);
  c->query("INSERT INTO items (k) VALUES (?)", {std::int64_t{2}});
  c->commit();
  c.reset();
  auto again = database().acquire();
  EXPECT_EQ(count(*again, "items"), 1);
}

TEST_P(PoolOfOneTest, ConnectionReturnedWithAFailedTransactionComesBackClean) {
  database().acquire()->execute_script("CREATE TABLE items (k BIGINT PRIMARY KEY)");
  {
    auto c = database().acquire();
    c->begin(true);
    c->query("INSERT INTO items (k) VALUES (?)", {std::int64_t{1}});
    EXPECT_THROW(c->query("INSERT INTO items (k) VALUES (?)", {std::int64_t{1}}), DbError);
  }
  auto c = database().acquire();
  EXPECT_EQ(count(*c, "items"), 0);
  c->query("INSERT INTO items (k) VALUES (?)", {std::int64_t{3}});
  EXPECT_EQ(count(*c, "items"), 1);
}

TEST_P(PoolOfOneTest, AcquireBlocksUntilTheConnectionIsReturned) {
  auto held = database().acquire();
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    auto c = database().acquire();
    got = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(got.load());
  held.reset();
  waiter.join();
  EXPECT_TRUE(got.load());
}

// Rows with every character the text protocols treat specially.
std::vector<std::vector<Value>> special_rows(std::int64_t n) {
  const std::string specials[] = {
      "tab\there",        "new\nline", "carriage\rreturn", "back\\slash",        "\\N",         "\\.",         "",
      "quote ' and \" ?", "华为精密",  "emoji 😀 🇨🇳",       "comma, semi; pipe|", "trailing \\", "\\t literal",
  };
  std::vector<std::vector<Value>> rows;
  rows.reserve(static_cast<std::size_t>(n));
  for (std::int64_t k = 0; k < n; ++k) {
    const auto& special = specials[static_cast<std::size_t>(k) % std::size(specials)];
    Value s = k % 17 == 0 ? Value(nullptr) : Value(special + "#" + std::to_string(k));
    Value d = k % 5 == 0 ? Value(nullptr) : Value(static_cast<double>(k) / 8.0);
    rows.push_back({Value(k), Value(-k * 3), d, s});
  }
  return rows;
}

TEST_P(DriverTest, BulkInsertLoadsFiftyThousandRowsExactly) {
  constexpr std::int64_t n = 50000;
  const auto rows = special_rows(n);
  auto c = database().acquire();
  c->bulk_insert("items", {"k", "i", "d", "s"}, rows);
  EXPECT_EQ(count(*c, "items"), n);
  EXPECT_EQ(c->query("SELECT sum(k) FROM items").front().integer(0), n * (n - 1) / 2);
  EXPECT_EQ(c->query("SELECT count(*) FROM items WHERE s IS NULL").front().integer(0), (n + 16) / 17);
  EXPECT_EQ(c->query("SELECT count(*) FROM items WHERE d IS NULL").front().integer(0), n / 5);
  for (const std::int64_t k : {std::int64_t{0}, std::int64_t{1}, std::int64_t{4}, std::int64_t{5}, std::int64_t{6},
                               std::int64_t{7}, std::int64_t{8}, std::int64_t{9}, std::int64_t{10}, std::int64_t{12},
                               std::int64_t{12345}, std::int64_t{33333}, n - 1}) {
    const auto got = c->query("SELECT k, i, d, s FROM items WHERE k = ?", {k});
    ASSERT_EQ(got.size(), 1u) << k;
    const auto& expected = rows[static_cast<std::size_t>(k)];
    EXPECT_EQ(got.front().at("i"), expected[1]) << k;
    EXPECT_EQ(got.front().at("d"), expected[2]) << k;
    EXPECT_EQ(got.front().at("s"), expected[3]) << k;
  }
  // Exact text lookups of the special values work (they were stored verbatim).
  EXPECT_EQ(c->query("SELECT k FROM items WHERE s = ?", {std::string("\\N#4")}).front().integer(0), 4);
  EXPECT_EQ(c->query("SELECT k FROM items WHERE s = ?", {std::string("#6")}).front().integer(0), 6);
}

TEST_P(DriverTest, BulkInsertJoinsTheOpenTransaction) {
  auto c = database().acquire();
  {
    Transaction tx(*c);
    c->bulk_insert("items", {"k", "s"}, {{std::int64_t{1}, std::string("a")}, {std::int64_t{2}, nullptr}});
    EXPECT_EQ(count(*c, "items"), 2);
  }  // rolled back
  EXPECT_EQ(count(*c, "items"), 0);
  {
    Transaction tx(*c);
    c->bulk_insert("items", {"k", "s"}, {{std::int64_t{1}, std::string("a")}});
    tx.commit();
  }
  EXPECT_EQ(count(*c, "items"), 1);
}

TEST_P(DriverTest, FailedBulkInsertLeavesNothingAndTheConnectionUsable) {
  auto c = database().acquire();
  EXPECT_THROW(c->bulk_insert("items", {"k"}, {{std::int64_t{1}}, {std::int64_t{2}}, {std::int64_t{1}}}), DbError);
  EXPECT_EQ(count(*c, "items"), 0);
  c->bulk_insert("items", {"k"}, {{std::int64_t{7}}});
  EXPECT_EQ(count(*c, "items"), 1);
}

TEST_P(DriverTest, BulkLoadStreamsRowsAndAFailingRowLeavesNothing) {
  auto c = database().acquire();
  c->bulk_load("items", {"k", "s"}, 3000, [](std::size_t i, std::vector<Value>& row) {
    row[0] = static_cast<std::int64_t>(i);
    row[1] = i % 2 ? Value(std::string(i % 7, 'x')) : Value(nullptr);  // the row is reused: values must not leak
  });
  EXPECT_EQ(count(*c, "items"), 3000);
  EXPECT_EQ(c->query("SELECT count(*) FROM items WHERE s IS NULL").front().integer(0), 1500);
  EXPECT_EQ(c->query("SELECT s FROM items WHERE k = 13").front().text(0), "xxxxxx");
  EXPECT_TRUE(c->query("SELECT s FROM items WHERE k = 14").front().is_null(0));

  // A filler that throws midway: its exception reaches the caller, nothing of
  // this load stays, and the connection goes on working.
  EXPECT_THROW(c->bulk_load("items", {"k"}, 100,
                            [](std::size_t i, std::vector<Value>& row) {
                              if (i == 50) throw std::out_of_range("row 50");
                              row[0] = static_cast<std::int64_t>(10000 + i);
                            }),
               std::out_of_range);
  EXPECT_EQ(count(*c, "items"), 3000);
  EXPECT_THROW(c->bulk_load("items", {"k"}, 1, [](std::size_t, std::vector<Value>& row) { row.push_back(nullptr); }),
               DbError);  // two values for one column
  EXPECT_EQ(count(*c, "items"), 3000);
  c->bulk_insert("items", {"k"}, {{std::int64_t{99999}}});
  EXPECT_EQ(count(*c, "items"), 3001);
}

TEST_P(DriverTest, ConcurrentUpsertsAllAddUp) {
  constexpr int threads = 8;
  constexpr int per_thread = 50;
  database().acquire()->execute_script("CREATE TABLE tally (name TEXT PRIMARY KEY, value BIGINT NOT NULL)");
  std::vector<std::vector<std::int64_t>> seen(threads);
  std::vector<std::string> errors(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      try {
        for (int i = 0; i < per_thread; ++i) {
          auto c = database().acquire();
          Transaction tx(*c, true);
          const auto value = c->query(
                                  "INSERT INTO tally (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE "
                                  "SET value = tally.value + 1 RETURNING value",
                                  {std::string("hits")})
                                 .front()
                                 .integer(0);
          tx.commit();
          seen[static_cast<std::size_t>(t)].push_back(value);
        }
      } catch (const std::exception& e) {
        errors[static_cast<std::size_t>(t)] = e.what();
      }
    });
  }
  for (auto& w : workers) w.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  std::set<std::int64_t> all;
  std::size_t returned = 0;
  for (const auto& s : seen) {
    all.insert(s.begin(), s.end());
    returned += s.size();
  }
  const auto total = static_cast<std::int64_t>(threads * per_thread);
  EXPECT_EQ(returned, static_cast<std::size_t>(total));
  EXPECT_EQ(all.size(), static_cast<std::size_t>(total)) << "two transactions saw the same value";
  if (!all.empty()) {
    EXPECT_EQ(*all.begin(), 1);
    EXPECT_EQ(*all.rbegin(), total);
  }
  auto c = database().acquire();
  EXPECT_EQ(c->query("SELECT value FROM tally WHERE name = ?", {std::string("hits")}).front().integer(0), total);
}

// ------------------------------------------------------------------ migrations

class MigrationTest : public BackendTest {};

TEST_P(MigrationTest, AppliesEveryBuiltinMigrationOnce) {
  const auto& builtin = builtin_migrations();
  ASSERT_FALSE(builtin.empty());
  for (std::size_t i = 1; i < builtin.size(); ++i) EXPECT_LT(builtin[i - 1].version, builtin[i].version);
  EXPECT_EQ(migrate(database(), builtin), static_cast<int>(builtin.size()));
  EXPECT_EQ(migrate(database(), builtin), 0);
  auto c = database().acquire();
  EXPECT_EQ(count(*c, "schema_migrations"), static_cast<std::int64_t>(builtin.size()));
  // The schema is there and usable.
  EXPECT_EQ(count(*c, "accounts"), 0);
  EXPECT_EQ(count(*c, "account_search"), 0);
  EXPECT_EQ(count(*c, "audit_log"), 0);
}

TEST_P(MigrationTest, AdaptsPortableTokens) {
  const auto sql = adapt_sql("CREATE TABLE t (id {{id}}, x TEXT) {{without_rowid}};", backend());
  EXPECT_EQ(sql.find("{{"), std::string::npos) << sql;
  auto c = database().acquire();
  c->execute_script(adapt_sql("CREATE TABLE t (id {{id}}, x TEXT)", backend()));
  const auto a = c->query("INSERT INTO t (x) VALUES (?) RETURNING id", {std::string("a")}).front().integer(0);
  const auto b = c->query("INSERT INTO t (x) VALUES (?) RETURNING id", {std::string("b")}).front().integer(0);
  EXPECT_GT(a, 0);
  EXPECT_GT(b, a);
}

TEST_P(MigrationTest, AFailingMigrationIsRolledBackAndNotRecorded) {
  const std::vector<Migration> migrations = {
      {1, "good", "CREATE TABLE good_one (id BIGINT PRIMARY KEY);"},
      {2, "bad", "CREATE TABLE half_done (id BIGINT PRIMARY KEY); CREATE TABLE broken (;"},
  };
  EXPECT_THROW(migrate(database(), migrations), DbError);
  auto c = database().acquire();
  EXPECT_EQ(count(*c, "schema_migrations"), 1);
  EXPECT_EQ(count(*c, "good_one"), 0);
  EXPECT_THROW(count(*c, "half_done"), DbError) << "the failed migration left a table behind";
}

// Two servers starting at once on an empty database (the header promises
// that concurrent starters serialise). Several rounds, each on a fresh
// database, with the starters released together, because the race is short.
TEST_P(MigrationTest, ConcurrentStartersApplyEachMigrationExactlyOnce) {
  const auto& builtin = builtin_migrations();
  constexpr int rounds = 5;
  constexpr int starters = 4;
  const std::string server_url = testdb::env("KAM_TEST_PG_URL").value_or("");
  for (int round = 0; round < rounds; ++round) {
    testdb::ScratchDatabase fresh(backend(), server_url, 1);
    std::vector<std::unique_ptr<Database>> pools;
    for (int i = 0; i < starters; ++i) pools.push_back(fresh.open_again(1));
    std::vector<int> applied(starters, -1);
    std::vector<std::string> errors(starters);
    std::atomic<int> waiting{starters};
    std::vector<std::thread> threads;
    for (int i = 0; i < starters; ++i) {
      threads.emplace_back([&, i] {
        const auto at = static_cast<std::size_t>(i);
        --waiting;
        while (waiting.load() > 0) std::this_thread::yield();
        try {
          applied[at] = migrate(*pools[at], builtin);
        } catch (const std::exception& e) {
          errors[at] = e.what();
        }
      });
    }
    for (auto& t : threads) t.join();
    int sum = 0;
    for (int i = 0; i < starters; ++i) {
      EXPECT_EQ(errors[static_cast<std::size_t>(i)], "") << "round " << round << ", starter " << i;
      sum += std::max(0, applied[static_cast<std::size_t>(i)]);
    }
    EXPECT_EQ(sum, static_cast<int>(builtin.size())) << "round " << round;
    auto c = pools.front()->acquire();
    EXPECT_EQ(count(*c, "schema_migrations"), static_cast<std::int64_t>(builtin.size())) << "round " << round;
    if (HasFailure()) break;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, DriverTest, testdb::kBackends, testdb::backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, PoolOfOneTest, testdb::kBackends, testdb::backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, MigrationTest, testdb::kBackends, testdb::backend_name);

}  // namespace
}  // namespace kam::db

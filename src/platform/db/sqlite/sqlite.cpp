#include "platform/db/sqlite/sqlite.hpp"

#include <sqlite3.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <unordered_map>

namespace kam::db {

namespace {

DbError::Kind kind_of(int extended_code) {
  switch (extended_code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return DbError::Kind::unique_violation;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return DbError::Kind::foreign_key_violation;
    default:
      break;
  }
  switch (extended_code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return DbError::Kind::busy;
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
      return DbError::Kind::connection;
    default:
      return DbError::Kind::other;
  }
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(const std::string& path) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw DbError(DbError::Kind::connection, "cannot open SQLite database " + path + ": " + message);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 15000);
    execute_script(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536; PRAGMA mmap_size=1073741824;");
  }

  ~SqliteConnection() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Backend backend() const override { return Backend::sqlite; }

  Result query(std::string_view sql, const Params& params) override {
    sqlite3_stmt* stmt = prepare(sql);
    const Resetter resetter{stmt};
    bind(stmt, params);

    std::vector<std::string> names;
    const int columns = sqlite3_column_count(stmt);
    names.reserve(static_cast<std::size_t>(columns));
    for (int i = 0; i < columns; ++i) names.emplace_back(sqlite3_column_name(stmt, i));

    std::vector<std::vector<Value>> rows;
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(rc, sql);
      std::vector<Value> row;
      row.reserve(static_cast<std::size_t>(columns));
      for (int i = 0; i < columns; ++i) row.push_back(column(stmt, i));
      rows.push_back(std::move(row));
    }
    Result result(std::move(names), std::move(rows));
    result.affected = sqlite3_changes64(db_);
    return result;
  }

  void each(std::string_view sql, const Params& params, const std::function<void(const RowView&)>& row) override {
    sqlite3_stmt* stmt = prepare(sql);
    const Resetter resetter{stmt};
    bind(stmt, params);
    const StatementView view(stmt);
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(rc, sql);
      row(view);
    }
  }

  void execute_script(std::string_view sql) override {
    const std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string detail = message ? message : sqlite3_errmsg(db_);
      sqlite3_free(message);
      throw DbError(kind_of(sqlite3_extended_errcode(db_)), detail);
    }
  }

  void begin(bool write) override { query(write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED", {}); }
  void commit() override { query("COMMIT", {}); }
  void rollback() override {
    if (!sqlite3_get_autocommit(db_)) query("ROLLBACK", {});
  }

  void bulk_load(std::string_view table, const std::vector<std::string>& columns, std::size_t count,
                 const RowFiller& fill) override {
    if (count == 0) return;
    std::string sql = "INSERT INTO " + std::string(table) + " (";
    std::string marks;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      sql += (i ? "," : "") + columns[i];
      marks += i ? ",?" : "?";
    }
    sql += ") VALUES (" + marks + ")";
    const bool own_transaction = sqlite3_get_autocommit(db_) != 0;
    if (own_transaction) begin(true);
    try {
      sqlite3_stmt* stmt = prepare(sql);
      const Resetter resetter{stmt};
      std::vector<Value> row(columns.size());
      for (std::size_t i = 0; i < count; ++i) {
        fill(i, row);
        if (row.size() != columns.size()) {
          throw DbError(DbError::Kind::other, "bulk_load: row " + std::to_string(i) + " has " +
                                                  std::to_string(row.size()) + " values for " +
                                                  std::to_string(columns.size()) + " columns: " + sql);
        }
        bind(stmt, row, SQLITE_STATIC);  // the row outlives the step
        const int rc = sqlite3_step(stmt);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW) fail(rc, sql);
        sqlite3_reset(stmt);
      }
      if (own_transaction) commit();
    } catch (...) {
      if (own_transaction) rollback();
      throw;
    }
  }

  bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

 private:
  sqlite3_stmt* prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = statements_.find(key); it != statements_.end()) return it->second;
    if (statements_.size() > 512) {
      for (auto& [text, stmt] : statements_) sqlite3_finalize(stmt);
      statements_.clear();
    }
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) fail(rc, sql);
    statements_.emplace(std::move(key), stmt);
    return stmt;
  }

  void bind(sqlite3_stmt* stmt, const Params& params, sqlite3_destructor_type text_lifetime = SQLITE_TRANSIENT) {
    const int expected = sqlite3_bind_parameter_count(stmt);
    if (expected != static_cast<int>(params.size())) {
      throw DbError(DbError::Kind::other, "statement expects " + std::to_string(expected) + " parameters, got " +
                                              std::to_string(params.size()) + ": " + sqlite3_sql(stmt));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      const Value& v = params[i];
      int rc = SQLITE_OK;
      if (const auto* n = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, index, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, index, *d);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), text_lifetime, SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_null(stmt, index);
      }
      if (rc != SQLITE_OK) fail(rc, sqlite3_sql(stmt));
    }
  }

  // Resets a cached statement (and drops its bindings) when the query is done.
  struct Resetter {
    sqlite3_stmt* s;
    ~Resetter() {
      sqlite3_reset(s);
      sqlite3_clear_bindings(s);
    }
  };

  // The current row of a stepped statement.
  class StatementView final : public RowView {
   public:
    explicit StatementView(sqlite3_stmt* stmt) : stmt_(stmt) {}
    bool is_null(std::size_t i) const override { return sqlite3_column_type(stmt_, index(i)) == SQLITE_NULL; }
    std::int64_t integer(std::size_t i) const override { return sqlite3_column_int64(stmt_, index(i)); }
    std::string_view text(std::size_t i) const override {
      const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index(i)));
      if (data == nullptr) return {};
      return {data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index(i)))};
    }

   private:
    static int index(std::size_t i) { return static_cast<int>(i); }
    sqlite3_stmt* stmt_;
  };

  static Value column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER:
        return static_cast<std::int64_t>(sqlite3_column_int64(stmt, i));
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, i);
      case SQLITE_NULL:
        return nullptr;
      default: {
        const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt, i));
        const int size = sqlite3_column_bytes(stmt, i);
        return std::string(data ? data : "", static_cast<std::size_t>(size));
      }
    }
  }

  [[noreturn]] void fail(int rc, std::string_view sql) {
    (void)rc;
    const int extended = sqlite3_extended_errcode(db_);
    throw DbError(kind_of(extended), std::string(sqlite3_errmsg(db_)) + " [" + std::string(sql) + "]");
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, int pool_size) : path_(std::move(path)) {
    if (path_ == ":memory:") {
      pool_size = 1;  // a private in-memory database lives in one connection
    } else {
      const auto parent = std::filesystem::path(path_).parent_path();
      if (!parent.empty()) std::filesystem::create_directories(parent);
    }
    for (int i = 0; i < std::max(1, pool_size); ++i) {
      idle_.push_back(std::make_unique<SqliteConnection>(path_));
    }
  }

  Backend backend() const override { return Backend::sqlite; }

  ConnectionHandle acquire() override {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !idle_.empty(); });
    SqliteConnection* connection = idle_.back().release();
    idle_.pop_back();
    return ConnectionHandle(connection, [this](Connection* c) {
      auto* own = static_cast<SqliteConnection*>(c);
      if (own->in_transaction()) {
        try {
          own->rollback();
        } catch (...) {
        }
      }
      {
        std::lock_guard guard(mutex_);
        idle_.emplace_back(own);
      }
      available_.notify_one();
    });
  }

  std::string describe() const override { return "sqlite:" + path_; }

 private:
  std::string path_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, int pool_size) {
  return std::make_unique<SqliteDatabase>(path, pool_size);
}

}  // namespace kam::db

// The storage interface every module talks to: a Database hands out pooled
// Connections; a Connection runs SQL with `?` placeholders and returns rows of
// Values. Two drivers implement it: SQLite (embedded default) and PostgreSQL.
//
// SQL is written once, in the portable subset both engines share (RETURNING,
// ON CONFLICT, CTEs, window functions). Placeholders are always `?`; the
// PostgreSQL driver rewrites them to $1..$n outside quoted literals.
//
// Thread safety: a Database is thread-safe; a Connection is used by one thread
// at a time (acquire one per unit of work, it returns to the pool when the
// handle is destroyed).
//
// Errors: database faults are thrown as DbError (they are not expected
// outcomes of a request; stores translate the few expected ones - unique
// violations, serialization failures - into kam::Error values).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kam::db {

// A parameter or column value. Booleans are stored as integers 0/1; instants
// as ISO-8601 UTC text; money as integer fen.
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

enum class Backend { sqlite, postgres };

class DbError : public std::runtime_error {
 public:
  enum class Kind {
    other,
    unique_violation,       // a UNIQUE or PRIMARY KEY constraint
    foreign_key_violation,  // a FOREIGN KEY constraint
    busy,                   // serialization failure / deadlock / database locked
    connection,             // cannot connect, connection lost
  };
  DbError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// One row of a result; columns by index or by name.
class Row {
 public:
  Row(const std::vector<std::string>* names, std::vector<Value> values) : names_(names), values_(std::move(values)) {}

  std::size_t size() const { return values_.size(); }
  const Value& at(std::size_t i) const { return values_.at(i); }
  const Value& at(std::string_view name) const;
  bool is_null(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(values_.at(i)); }
  bool is_null(std::string_view name) const { return std::holds_alternative<std::nullptr_t>(at(name)); }

  // Typed access; integers stored as text (PostgreSQL NUMERIC) are converted.
  std::int64_t integer(std::size_t i) const;
  std::int64_t integer(std::string_view name) const;
  std::optional<std::int64_t> optional_integer(std::string_view name) const;
  std::string text(std::size_t i) const;
  std::string text(std::string_view name) const;
  std::optional<std::string> optional_text(std::string_view name) const;
  double real(std::string_view name) const;

 private:
  std::size_t index_of(std::string_view name) const;
  const std::vector<std::string>* names_;
  std::vector<Value> values_;
  // Readers mostly ask for columns in select order: the lookup tries the
  // column after the last one found before searching all names.
  mutable std::size_t next_ = 0;
};

class Result {
 public:
  Result() = default;
  Result(std::vector<std::string> names, std::vector<std::vector<Value>> rows);
  Result(Result&& other) noexcept;
  Result& operator=(Result&& other) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;

  const std::vector<std::string>& columns() const { return *names_; }
  std::size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  const Row& operator[](std::size_t i) const { return rows_.at(i); }
  const Row& front() const { return rows_.at(0); }
  std::vector<Row>::const_iterator begin() const { return rows_.begin(); }
  std::vector<Row>::const_iterator end() const { return rows_.end(); }
  std::int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE

 private:
  std::unique_ptr<std::vector<std::string>> names_ = std::make_unique<std::vector<std::string>>();
  std::vector<Row> rows_;
};

using Params = std::vector<Value>;

// One row while Connection::each reads it: columns by index, text as a view
// valid until the callback returns. For hot readers that turn rows straight
// into output without building Values.
class RowView {
 public:
  virtual ~RowView() = default;
  virtual bool is_null(std::size_t i) const = 0;
  virtual std::int64_t integer(std::size_t i) const = 0;
  virtual std::string_view text(std::size_t i) const = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Backend backend() const = 0;

  // Runs one statement. Placeholders are `?`. Statements are prepared and
  // cached per connection. Throws DbError.
  virtual Result query(std::string_view sql, const Params& params = {}) = 0;

  // Runs one query and calls `row` for each result row as it is read (the
  // SQLite driver reads columns in place; the default runs query() and walks
  // its rows). `row` may run other statements on this connection, not this one.
  virtual void each(std::string_view sql, const Params& params, const std::function<void(const RowView&)>& row);

  // Runs a script of several statements without parameters (migrations).
  virtual void execute_script(std::string_view sql) = 0;

  // Transactions. `begin(true)` starts a write transaction that takes the
  // write lock at once (SQLite BEGIN IMMEDIATE) so two writers never deadlock
  // on a lock upgrade; PostgreSQL ignores the hint.
  virtual void begin(bool write = true) = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;

  // Bulk load into one table: `count` rows, each written by `fill(i, row)`
  // into `row` (as many values as columns, in column order; the same vector is
  // handed back for every row, so its strings keep their capacity). SQLite
  // steps one prepared INSERT per row, PostgreSQL streams COPY. Runs inside the
  // current transaction if one is open (else in its own).
  using RowFiller = std::function<void(std::size_t i, std::vector<Value>& row)>;
  virtual void bulk_load(std::string_view table, const std::vector<std::string>& columns, std::size_t count,
                         const RowFiller& fill) = 0;

  // bulk_load of rows already in memory.
  void bulk_insert(std::string_view table, const std::vector<std::string>& columns,
                   const std::vector<std::vector<Value>>& rows);
};

// A connection borrowed from the pool; returns itself when destroyed.
using ConnectionHandle = std::unique_ptr<Connection, std::function<void(Connection*)>>;

class Database {
 public:
  virtual ~Database() = default;
  virtual Backend backend() const = 0;
  // Blocks until a connection is free.
  virtual ConnectionHandle acquire() = 0;
  // The URL with any password removed, for logs.
  virtual std::string describe() const = 0;
};

// Opens `sqlite:PATH` (PATH may be `:memory:` for tests, one shared
// in-memory database) or `postgresql://...` / `postgres://...`.
// `pool_size` is the number of connections kept. Throws DbError.
std::unique_ptr<Database> open_database(const std::string& url, int pool_size);

// RAII transaction: commits with commit(), rolls back if destroyed without.
class Transaction {
 public:
  explicit Transaction(Connection& connection, bool write = true) : connection_(connection) {
    connection_.begin(write);
  }
  ~Transaction() {
    if (!done_) {
      try {
        connection_.rollback();
      } catch (...) {  // a failed rollback leaves nothing to undo
      }
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    connection_.commit();
    done_ = true;
  }

 private:
  Connection& connection_;
  bool done_ = false;
};

}  // namespace kam::db

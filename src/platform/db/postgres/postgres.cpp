#include "platform/db/postgres/postgres.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <exception>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kam::db {

namespace {

constexpr std::size_t kStatementCacheLimit = 256;         // prepared statements per connection
constexpr std::size_t kCopyChunk = std::size_t{1} << 20;  // bytes per PQputCopyData
constexpr std::size_t kSqlInMessage = 2000;               // SQL quoted in error messages, at most

// Type OIDs from pg_type.dat; they never change between server versions.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;
constexpr Oid kUnknownOid = 0;  // "let the server infer the type"

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Characters that may appear in an unquoted identifier (bytes >= 0x80 are
// parts of non-ASCII letters, which PostgreSQL accepts in identifiers).
bool is_identifier_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || u >= 0x80;
}

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// Rewrites `?` placeholders to $1..$n. Skipped: 'string literals' (with ''
// doubling, and backslash escapes in E'...'), "quoted identifiers", -- line
// comments, /* nested block comments */ and $tag$ dollar-quoted strings $tag$.
// Note that the jsonb operators ?, ?| and ?& cannot be written in portable
// SQL for this reason (use the jsonb_exists* functions).
std::string rewrite_placeholders(std::string_view sql, std::size_t& count) {
  std::string out;
  out.reserve(sql.size() + 16);
  count = 0;
  const std::size_t n = sql.size();
  std::size_t i = 0;
  auto copy_to = [&](std::size_t end) {
    end = std::min(end, n);
    out.append(sql.substr(i, end - i));
    i = end;
  };
  while (i < n) {
    const char c = sql[i];
    if (c == '\'') {
      const bool backslash_escapes =
          i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !is_identifier_char(sql[i - 2]));
      std::size_t j = i + 1;
      while (j < n) {
        if (backslash_escapes && sql[j] == '\\') {
          j += 2;
        } else if (sql[j] == '\'') {
          if (j + 1 < n && sql[j + 1] == '\'') {
            j += 2;
          } else {
            ++j;
            break;
          }
        } else {
          ++j;
        }
      }
      copy_to(j);
    } else if (c == '"') {
      std::size_t j = i + 1;
      while (j < n) {
        if (sql[j] == '"') {
          if (j + 1 < n && sql[j + 1] == '"') {
            j += 2;
          } else {
            ++j;
            break;
          }
        } else {
          ++j;
        }
      }
      copy_to(j);
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      const std::size_t end = sql.find('\n', i);
      copy_to(end == std::string_view::npos ? n : end);
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      int depth = 1;
      std::size_t j = i + 2;
      while (j < n && depth > 0) {
        if (sql[j] == '/' && j + 1 < n && sql[j + 1] == '*') {
          ++depth;
          j += 2;
        } else if (sql[j] == '*' && j + 1 < n && sql[j + 1] == '/') {
          --depth;
          j += 2;
        } else {
          ++j;
        }
      }
      copy_to(j);
    } else if (c == '$' && (i == 0 || !is_identifier_char(sql[i - 1]))) {
      std::size_t j = i + 1;
      while (j < n && is_identifier_char(sql[j])) ++j;
      const bool is_tag = j < n && sql[j] == '$' && (j == i + 1 || !is_digit(sql[i + 1]));
      if (is_tag) {
        const std::string_view tag = sql.substr(i, j + 1 - i);
        const std::size_t close = sql.find(tag, j + 1);
        copy_to(close == std::string_view::npos ? n : close + tag.size());
      } else {
        out += c;
        ++i;
      }
    } else if (c == '?') {
      ++count;
      out += '$';
      out += std::to_string(count);
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

DbError::Kind kind_of(const char* sqlstate) {
  if (sqlstate == nullptr) return DbError::Kind::other;
  const std::string_view state(sqlstate);
  if (state == "23505") return DbError::Kind::unique_violation;
  if (state == "23503") return DbError::Kind::foreign_key_violation;
  if (state == "40001" || state == "40P01" || state == "55P03") return DbError::Kind::busy;
  if (state.substr(0, 2) == "08" || state == "57P01" || state == "57P02" || state == "57P03") {
    return DbError::Kind::connection;
  }
  return DbError::Kind::other;
}

// The URL (or key=value string) with any password replaced by ***.
std::string redact(const std::string& url) {
  std::string out = url;
  if (const std::size_t scheme = out.find("://"); scheme != std::string::npos) {
    const std::size_t start = scheme + 3;
    std::size_t end = out.find_first_of("/?#", start);
    if (end == std::string::npos) end = out.size();
    const std::size_t at = out.rfind('@', end - 1);
    if (at != std::string::npos && at >= start) {
      const std::size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  for (std::size_t pos = out.find("password="); pos != std::string::npos; pos = out.find("password=", pos + 1)) {
    const std::size_t value = pos + std::strlen("password=");
    std::size_t end = out.find_first_of("& \t", value);
    if (end == std::string::npos) end = out.size();
    out.replace(value, end - value, "***");
  }
  return out;
}

// The line (1-based) of a character position (1-based, counted in characters)
// reported by the server, for error messages about multi-line SQL.
std::size_t line_of(std::string_view sql, long position) {
  std::size_t line = 1;
  long characters = 0;
  for (const char c : sql) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++characters >= position) break;
    if (c == '\n') ++line;
  }
  return line;
}

std::string quote_sql_for_message(std::string_view sql) {
  if (sql.size() <= kSqlInMessage) return std::string(sql);
  std::size_t cut = kSqlInMessage;
  while (cut > 0 && (static_cast<unsigned char>(sql[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8
  return std::string(sql.substr(0, cut)) + "...";
}

// One part of a table or column name for COPY: lower-case names are quoted
// (so reserved words such as "user" or "order" work), other plain names are
// passed as written (the server folds them like in the DDL), already quoted
// names are kept. Anything else is refused: names come from code, not users.
std::string copy_identifier(std::string_view name) {
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') return std::string(name);
  bool plain = !name.empty() && !is_digit(name.front());
  bool lower = plain;
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_')) plain = false;
    if (c >= 'A' && c <= 'Z') lower = false;
  }
  if (!plain) {
    throw DbError(DbError::Kind::other, "PostgreSQL: bulk_load: invalid identifier '" + std::string(name) + "'");
  }
  return lower ? "\"" + std::string(name) + "\"" : std::string(name);
}

std::string copy_table_name(std::string_view table) {
  std::string out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = table.find('.', start);
    out += copy_identifier(table.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    out += '.';
    start = dot + 1;
  }
  return out;
}

void append_number(std::string& out, std::int64_t value) {
  std::array<char, 32> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
}

// Shortest text that reads back as the same double (like %.17g, but without
// noise digits and independent of the C locale). PostgreSQL reads "nan",
// "inf" and "-inf".
void append_number(std::string& out, double value) {
  std::array<char, 64> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
}

void append_copy_text(std::string& out, const std::string& text) {
  for (const char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

Value convert(const char* text, int length, Oid type) {
  const char* end = text + length;
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      std::int64_t value = 0;
      const auto [ptr, ec] = std::from_chars(text, end, value);
      if (ec == std::errc() && ptr == end) return value;
      break;
    }
    case kFloat4Oid:
    case kFloat8Oid: {
      double value = 0;
      const auto [ptr, ec] = std::from_chars(text, end, value);
      if (ec == std::errc() && ptr == end) return value;
      break;
    }
    case kBoolOid:
      return static_cast<std::int64_t>(length > 0 && text[0] == 't' ? 1 : 0);
    case kNumericOid:  // exact decimals stay text; Row::integer() converts
    default:
      break;
  }
  return std::string(text, static_cast<std::size_t>(length));
}

Result to_result(const PGresult* result) {
  const int fields = PQnfields(result);
  const int tuples = PQntuples(result);
  std::vector<std::string> names;
  std::vector<Oid> types;
  names.reserve(static_cast<std::size_t>(fields));
  types.reserve(static_cast<std::size_t>(fields));
  for (int c = 0; c < fields; ++c) {
    names.emplace_back(PQfname(result, c));
    types.push_back(PQftype(result, c));
  }
  std::vector<std::vector<Value>> rows;
  rows.reserve(static_cast<std::size_t>(tuples));
  for (int r = 0; r < tuples; ++r) {
    std::vector<Value> row;
    row.reserve(static_cast<std::size_t>(fields));
    for (int c = 0; c < fields; ++c) {
      if (PQgetisnull(result, r, c)) {
        row.emplace_back(nullptr);
      } else {
        row.push_back(convert(PQgetvalue(result, r, c), PQgetlength(result, r, c), types[static_cast<std::size_t>(c)]));
      }
    }
    rows.push_back(std::move(row));
  }
  Result out(std::move(names), std::move(rows));
  const char* affected = PQcmdTuples(const_cast<PGresult*>(result));
  if (affected != nullptr && *affected != '\0') {
    std::int64_t value = 0;
    std::from_chars(affected, affected + std::strlen(affected), value);
    out.affected = value;
  }
  return out;
}

bool succeeded(const PGresult* result) {
  if (result == nullptr) return false;
  const ExecStatusType status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY;
}

class PgConnection final : public Connection {
 public:
  PgConnection(const std::string& url, std::string description) : description_(std::move(description)) {
    // Keywords are applied in order: the URL (dbname, expanded) may override
    // the defaults before it, but not the client encoding after it.
    const char* const keywords[] = {"connect_timeout", "fallback_application_name", "dbname", "client_encoding",
                                    nullptr};
    const char* const values[] = {"10", "kam", url.c_str(), "UTF8", nullptr};
    conn_ = PQconnectdbParams(keywords, values, 1);
    if (conn_ == nullptr) {
      throw DbError(DbError::Kind::connection, "PostgreSQL: out of memory connecting to " + description_);
    }
    if (PQstatus(conn_) != CONNECTION_OK) {
      const std::string message = trim(PQerrorMessage(conn_));
      PQfinish(conn_);
      conn_ = nullptr;
      throw DbError(DbError::Kind::connection, "PostgreSQL: cannot connect to " + description_ + ": " + message);
    }
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }

  ~PgConnection() override {
    if (conn_ != nullptr) PQfinish(conn_);
  }

  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Backend backend() const override { return Backend::postgres; }

  Result query(std::string_view sql, const Params& params) override {
    // Integers and doubles are typed (int8, float8) so that `? IS NULL`,
    // `SELECT ?` or `? + 1` work and read back as numbers; text and NULL are
    // left for the server to infer (so text reaches date, numeric, ... columns).
    std::vector<Oid> types(params.size(), kUnknownOid);
    std::vector<std::string> numbers(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::string key(sql);
    key += '\0';
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Value& value = params[i];
      if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        types[i] = kInt8Oid;
        append_number(numbers[i], *integer);
        values[i] = numbers[i].c_str();
        key += 'i';
      } else if (const auto* real = std::get_if<double>(&value)) {
        types[i] = kFloat8Oid;
        append_number(numbers[i], *real);
        values[i] = numbers[i].c_str();
        key += 'd';
      } else if (const auto* text = std::get_if<std::string>(&value)) {
        values[i] = text->c_str();
        key += 't';
      } else {
        key += 'n';
      }
    }

    for (int attempt = 0;; ++attempt) {
      const std::string name = prepare(key, sql, types);
      PgResult result(
          PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0));
      if (succeeded(result.get())) return to_result(result.get());
      // A statement that went stale (the session's statements were dropped,
      // or DDL changed the columns of a `SELECT *`): forget it, and retry
      // once if no transaction was open (nothing was done).
      const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
      if (state != nullptr && (std::strcmp(state, "26000") == 0 || std::strcmp(state, "0A000") == 0)) {
        statements_.erase(key);
        if (PQtransactionStatus(conn_) == PQTRANS_IDLE) {
          PgResult ignored(PQexec(conn_, ("DEALLOCATE " + name).c_str()));
          if (attempt == 0) continue;
        }
      }
      fail(result.get(), sql);
    }
  }

  void execute_script(std::string_view sql) override {
    const std::string text(sql);
    PgResult result(PQexec(conn_, text.c_str()));
    if (result && (PQresultStatus(result.get()) == PGRES_COPY_IN || PQresultStatus(result.get()) == PGRES_COPY_OUT)) {
      abandon_command();
      throw DbError(DbError::Kind::other,
                    "PostgreSQL: COPY is not supported in scripts in: " + quote_sql_for_message(sql));
    }
    if (!succeeded(result.get())) fail(result.get(), sql);
  }

  void begin(bool /*write: PostgreSQL takes row locks as it goes*/) override { simple("BEGIN"); }

  void commit() override {
    PgResult result = simple("COMMIT");
    // COMMIT of a transaction aborted by an earlier error "succeeds" as a
    // ROLLBACK: the caller must not believe its changes were saved.
    if (std::strcmp(PQcmdStatus(result.get()), "ROLLBACK") == 0) {
      throw DbError(DbError::Kind::other,
                    "PostgreSQL: the transaction was aborted by an earlier error and has been "
                    "rolled back in: COMMIT");
    }
  }

  void rollback() override { simple("ROLLBACK"); }

  void bulk_load(std::string_view table, const std::vector<std::string>& columns, std::size_t count,
                 const RowFiller& fill) override {
    if (count == 0) return;
    if (columns.empty()) throw DbError(DbError::Kind::other, "PostgreSQL: bulk_load without columns");
    std::string sql = "COPY " + copy_table_name(table) + " (";
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) sql += ", ";
      sql += copy_identifier(columns[i]);
    }
    sql += ") FROM STDIN";

    PgResult start(PQexec(conn_, sql.c_str()));
    if (!start || PQresultStatus(start.get()) != PGRES_COPY_IN) fail(start.get(), sql);
    start.reset();

    bool sent = true;
    std::string buffer;
    buffer.reserve(kCopyChunk + kCopyChunk / 8);
    auto flush = [&] {
      if (sent && !buffer.empty() && PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) != 1) {
        sent = false;
      }
      buffer.clear();
    };
    std::vector<Value> row(columns.size());
    std::exception_ptr abandoned;  // a row that could not be written ends the COPY, then is thrown
    for (std::size_t r = 0; r < count; ++r) {
      try {
        fill(r, row);
        if (row.size() != columns.size()) {
          throw DbError(DbError::Kind::other, "PostgreSQL: bulk_load: row " + std::to_string(r) + " has " +
                                                  std::to_string(row.size()) + " values for " +
                                                  std::to_string(columns.size()) + " columns in: " + sql);
        }
      } catch (...) {
        abandoned = std::current_exception();
        sent = false;
        break;
      }
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (i > 0) buffer += '\t';
        const Value& value = row[i];
        if (const auto* integer = std::get_if<std::int64_t>(&value)) {
          append_number(buffer, *integer);
        } else if (const auto* real = std::get_if<double>(&value)) {
          append_number(buffer, *real);
        } else if (const auto* text = std::get_if<std::string>(&value)) {
          append_copy_text(buffer, *text);
        } else {
          buffer += "\\N";
        }
      }
      buffer += '\n';
      if (buffer.size() >= kCopyChunk) flush();
      if (!sent) break;
    }
    flush();
    if (PQputCopyEnd(conn_, sent ? nullptr : "the client abandoned the load") != 1) sent = false;

    PgResult error;
    while (PGresult* next = PQgetResult(conn_)) {
      PgResult result(next);
      if (PQresultStatus(next) != PGRES_COMMAND_OK && !error) error = std::move(result);
    }
    if (abandoned) std::rethrow_exception(abandoned);
    if (error || !sent) fail(error.get(), sql);
  }

  // Called when the pool lends this connection: a connection that is (or
  // turns out to be, once pending input is read) broken is reset first.
  void make_ready() {
    if (!needs_reset_ && alive()) return;
    statements_.clear();  // a new session has no prepared statements
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) {
      needs_reset_ = true;
      throw DbError(DbError::Kind::connection,
                    "PostgreSQL: cannot reconnect to " + description_ + ": " + trim(PQerrorMessage(conn_)));
    }
    needs_reset_ = false;
  }

  // Called when the connection returns to the pool: an unfinished command
  // (a COPY left open) is ended and an open transaction rolled back; if that
  // is impossible the connection is reset before its next use.
  void clean_up() noexcept {
    try {
      if (PQstatus(conn_) != CONNECTION_OK) {
        needs_reset_ = true;
        return;
      }
      if (PQtransactionStatus(conn_) == PQTRANS_ACTIVE) abandon_command();
      const PGTransactionStatusType status = PQtransactionStatus(conn_);
      if (status == PQTRANS_INTRANS || status == PQTRANS_INERROR) {
        PgResult result(PQexec(conn_, "ROLLBACK"));
      }
      if (PQstatus(conn_) != CONNECTION_OK || PQtransactionStatus(conn_) != PQTRANS_IDLE) {
        needs_reset_ = true;
      }
    } catch (...) {
      needs_reset_ = true;
    }
  }

 private:
  // Whether the idle connection is still up. A server that ended the session
  // (restart, pg_terminate_backend) has sent a FATAL message and closed the
  // socket; reading what is pending (without blocking) finds both, the
  // message on the first read and the end of the stream on the next.
  bool alive() {
    for (int read = 0; read < 3; ++read) {
      if (PQstatus(conn_) != CONNECTION_OK || PQconsumeInput(conn_) != 1) return false;
    }
    return PQstatus(conn_) == CONNECTION_OK;
  }

  // The name of the prepared statement for `key`, preparing it if needed.
  std::string prepare(const std::string& key, std::string_view sql, const std::vector<Oid>& types) {
    if (auto it = statements_.find(key); it != statements_.end()) return it->second;
    std::size_t count = 0;
    const std::string text = rewrite_placeholders(sql, count);
    if (count != types.size()) {
      throw DbError(DbError::Kind::other, "PostgreSQL: the statement has " + std::to_string(count) +
                                              " placeholders but " + std::to_string(types.size()) +
                                              " parameters were given in: " + quote_sql_for_message(sql));
    }
    if (statements_.size() >= kStatementCacheLimit) {
      PgResult result(PQexec(conn_, "DEALLOCATE ALL"));
      if (!succeeded(result.get())) fail(result.get(), sql);
      statements_.clear();
    }
    std::string name = "s" + std::to_string(++statement_counter_);
    PgResult result(PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(types.size()),
                              types.empty() ? nullptr : types.data()));
    if (!succeeded(result.get())) fail(result.get(), sql);
    statements_.emplace(key, name);
    return name;
  }

  PgResult simple(const char* sql) {
    PgResult result(PQexec(conn_, sql));
    if (!succeeded(result.get())) fail(result.get(), sql);
    return result;
  }

  // Ends a command still in progress (a COPY in either direction) and drains
  // its results, so that the connection can run the next command.
  void abandon_command() {
    for (int guard = 0; guard < 64; ++guard) {
      PgResult result(PQgetResult(conn_));
      if (!result) return;
      const ExecStatusType status = PQresultStatus(result.get());
      if (status == PGRES_COPY_IN) {
        if (PQputCopyEnd(conn_, "abandoned by the client") != 1) return;
      } else if (status == PGRES_COPY_OUT) {
        char* data = nullptr;
        while (PQgetCopyData(conn_, &data, 0) > 0) PQfreemem(data);
      }
      if (PQstatus(conn_) != CONNECTION_OK) return;
    }
  }

  [[noreturn]] void fail(const PGresult* result, std::string_view sql) {
    DbError::Kind kind = DbError::Kind::other;
    std::string message;
    if (result != nullptr) {
      const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
      kind = kind_of(state);
      const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
      message = primary != nullptr ? primary : trim(PQresultErrorMessage(result));
      if (message.empty()) message = trim(PQerrorMessage(conn_));
      if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL)) {
        message += " (" + std::string(detail) + ")";
      }
      if (const char* position = PQresultErrorField(result, PG_DIAG_STATEMENT_POSITION)) {
        long value = 0;
        std::from_chars(position, position + std::strlen(position), value);
        if (sql.find('\n') != std::string_view::npos && value > 0) {
          message += " at line " + std::to_string(line_of(sql, value));
        }
      }
      if (state != nullptr) message += " [SQLSTATE " + std::string(state) + "]";
    } else {
      message = trim(PQerrorMessage(conn_));
    }
    if (PQstatus(conn_) != CONNECTION_OK) {
      kind = DbError::Kind::connection;
      needs_reset_ = true;
    }
    if (message.empty()) message = "unknown error";
    throw DbError(kind, "PostgreSQL: " + message + " in: " + quote_sql_for_message(sql));
  }

  PGconn* conn_ = nullptr;
  std::string description_;
  std::unordered_map<std::string, std::string> statements_;  // SQL + '\0' + param kinds -> name
  std::uint64_t statement_counter_ = 0;
  bool needs_reset_ = false;
};

struct Pool {
  std::mutex mutex;
  std::condition_variable available;
  std::vector<std::unique_ptr<PgConnection>> idle;  // reserved to `size`: push_back never throws
  int open = 0;                                     // connections that exist, idle or lent
  int size = 1;
  std::string url;
  std::string description;
};

void give_back(const std::shared_ptr<Pool>& pool, std::unique_ptr<PgConnection> connection) noexcept {
  {
    std::lock_guard lock(pool->mutex);
    pool->idle.push_back(std::move(connection));
  }
  pool->available.notify_one();
}

class PgDatabase final : public Database {
 public:
  PgDatabase(const std::string& url, int pool_size) : pool_(std::make_shared<Pool>()) {
    pool_->size = std::max(1, pool_size);
    pool_->url = url;
    pool_->description = redact(url);
    pool_->idle.reserve(static_cast<std::size_t>(pool_->size));
    pool_->idle.push_back(std::make_unique<PgConnection>(pool_->url, pool_->description));
    pool_->open = 1;
  }

  Backend backend() const override { return Backend::postgres; }

  ConnectionHandle acquire() override {
    std::unique_ptr<PgConnection> connection;
    {
      std::unique_lock lock(pool_->mutex);
      pool_->available.wait(lock, [&] { return !pool_->idle.empty() || pool_->open < pool_->size; });
      if (!pool_->idle.empty()) {
        connection = std::move(pool_->idle.back());
        pool_->idle.pop_back();
      } else {
        ++pool_->open;
      }
    }
    if (connection) {
      try {
        connection->make_ready();
      } catch (...) {
        give_back(pool_, std::move(connection));  // tried again at the next acquire
        throw;
      }
    } else {
      try {
        connection = std::make_unique<PgConnection>(pool_->url, pool_->description);
      } catch (...) {
        {
          std::lock_guard lock(pool_->mutex);
          --pool_->open;
        }
        pool_->available.notify_one();
        throw;
      }
    }
    return ConnectionHandle(connection.release(), [pool = pool_](Connection* lent) {
      std::unique_ptr<PgConnection> owned(static_cast<PgConnection*>(lent));
      owned->clean_up();
      give_back(pool, std::move(owned));
    });
  }

  std::string describe() const override { return pool_->description; }

 private:
  std::shared_ptr<Pool> pool_;  // shared with lent handles, which may outlive the Database
};

}  // namespace

std::unique_ptr<Database> open_postgres(const std::string& url, int pool_size) {
  return std::make_unique<PgDatabase>(url, pool_size);
}

}  // namespace kam::db

#include "platform/db/database.hpp"

#include <charconv>

#include "platform/db/postgres/postgres.hpp"
#include "platform/db/sqlite/sqlite.hpp"

namespace kam::db {

std::size_t Row::index_of(std::string_view name) const {
  const auto& names = *names_;
  if (next_ < names.size() && names[next_] == name) return next_++;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) {
      next_ = i + 1;
      return i;
    }
  }
  throw DbError(DbError::Kind::other, "no column named " + std::string(name));
}

const Value& Row::at(std::string_view name) const {
  return values_[index_of(name)];
}

namespace {
std::int64_t to_integer(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
  if (const auto* s = std::get_if<std::string>(&v)) {
    std::int64_t out = 0;
    const auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec == std::errc()) return out;
    throw DbError(DbError::Kind::other, "not an integer: " + *s);
  }
  throw DbError(DbError::Kind::other, "integer expected, got NULL");
}

std::string to_text(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  return {};
}
}  // namespace

std::int64_t Row::integer(std::size_t i) const {
  return to_integer(at(i));
}
std::int64_t Row::integer(std::string_view name) const {
  return to_integer(at(name));
}
std::optional<std::int64_t> Row::optional_integer(std::string_view name) const {
  const Value& v = at(name);
  if (std::holds_alternative<std::nullptr_t>(v)) return std::nullopt;
  return to_integer(v);
}
std::string Row::text(std::size_t i) const {
  return to_text(at(i));
}
std::string Row::text(std::string_view name) const {
  return to_text(at(name));
}
std::optional<std::string> Row::optional_text(std::string_view name) const {
  const Value& v = at(name);
  if (std::holds_alternative<std::nullptr_t>(v)) return std::nullopt;
  return to_text(v);
}
double Row::real(std::string_view name) const {
  const Value& v = at(name);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* s = std::get_if<std::string>(&v)) return std::stod(*s);
  return 0;
}

namespace {
class ValuesView final : public RowView {
 public:
  explicit ValuesView(const Row& row) : row_(row) {}
  bool is_null(std::size_t i) const override { return row_.is_null(i); }
  std::int64_t integer(std::size_t i) const override { return row_.integer(i); }
  std::string_view text(std::size_t i) const override {
    if (const auto* s = std::get_if<std::string>(&row_.at(i))) return *s;
    scratch_ = row_.text(i);
    return scratch_;
  }

 private:
  const Row& row_;
  mutable std::string scratch_;
};
}  // namespace

void Connection::each(std::string_view sql, const Params& params, const std::function<void(const RowView&)>& row) {
  for (const auto& r : query(sql, params)) row(ValuesView(r));
}

void Connection::bulk_insert(std::string_view table, const std::vector<std::string>& columns,
                             const std::vector<std::vector<Value>>& rows) {
  for (const auto& row : rows) {
    if (row.size() != columns.size()) {
      throw DbError(DbError::Kind::other, "bulk_insert into " + std::string(table) + ": a row has " +
                                              std::to_string(row.size()) + " values for " +
                                              std::to_string(columns.size()) + " columns");
    }
  }
  bulk_load(table, columns, rows.size(), [&rows](std::size_t i, std::vector<Value>& row) { row = rows[i]; });
}

Result::Result(std::vector<std::string> names, std::vector<std::vector<Value>> rows)
    : names_(std::make_unique<std::vector<std::string>>(std::move(names))) {
  rows_.reserve(rows.size());
  for (auto& r : rows) rows_.emplace_back(names_.get(), std::move(r));
}
Result::Result(Result&& other) noexcept = default;
Result& Result::operator=(Result&& other) noexcept = default;

std::unique_ptr<Database> open_database(const std::string& url, int pool_size) {
  if (url.rfind("sqlite:", 0) == 0) return open_sqlite(url.substr(7), pool_size);
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return open_postgres(url, pool_size);
  }
  throw DbError(DbError::Kind::connection, "unsupported database URL (use sqlite:PATH or postgresql://...): " + url);
}

}  // namespace kam::db

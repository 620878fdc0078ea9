// Import of accounts and contacts: header mapping, cell conversion, row
// validation (the API's own rules), duplicate detection and the all-or-nothing
// apply. Accounts are inserted in bulk (PostgreSQL COPY through
// Connection::bulk_insert) with their search postings and audit rows.
#include "accounts/import.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "accounts/accounts.hpp"
#include "accounts/credit_code.hpp"
#include "accounts/records.hpp"
#include "auth/audit.hpp"
#include "auth/scope.hpp"
#include "contacts/contacts.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/json_writer.hpp"
#include "platform/core/text.hpp"

namespace kam::accounts {

using nlohmann::json;

namespace {

constexpr std::size_t kBatch = 500;  // ids per IN (...) lookup

std::string normalize_header(std::string_view header) {
  std::string s = text::trim(header);
  auto replace_all = [&s](const std::string& from, const std::string& to) {
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
      s.replace(pos, from.size(), to);
  };
  replace_all("（", "(");
  replace_all("）", ")");
  replace_all("　", "");
  replace_all("＊", "*");
  std::string out;
  for (char ch : s) {
    if (ch == ' ' || ch == '*' || ch == '\t') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return out;
}

const std::map<std::string, std::string>& account_headers() {
  static const std::map<std::string, std::string> headers = [] {
    std::map<std::string, std::string> m;
    auto add = [&m](const std::string& field, std::initializer_list<const char*> names) {
      m[field] = field;
      for (const char* n : names) m[normalize_header(n)] = field;
    };
    add("name", {"名称", "客户名称", "公司名称", "企业名称", "单位名称", "客户全称"});
    add("credit_code", {"统一社会信用代码", "信用代码", "社会信用代码"});
    add("industry", {"行业", "所属行业"});
    add("province", {"省份", "省", "所在省份"});
    add("city", {"城市", "市", "所在城市"});
    add("address", {"地址", "详细地址", "公司地址", "注册地址"});
    add("ownership_type", {"所有制", "所有制类型", "企业性质", "公司性质"});
    add("employees", {"员工人数", "人数", "员工数", "职工人数"});
    add("annual_revenue_fen", {"年营业额(分)", "annual_revenue(fen)"});
    add("annual_revenue_yuan",
        {"年营业额", "年营业额(元)", "年销售额", "年销售额(元)", "营业额", "annual_revenue", "annual_revenue(yuan)"});
    add("annual_revenue_wan", {"年营业额(万元)", "年销售额(万元)", "营业额(万元)"});
    add("founded_year", {"成立年份", "成立时间", "成立日期", "成立年度"});
    add("website", {"网址", "网站", "官网", "公司网址"});
    add("business_status", {"经营状况", "经营情况"});
    add("procurement_mode", {"采购模式", "采购方式"});
    add("customer_kind", {"客户类型", "客户类别", "客户性质"});
    add("needs", {"需求", "客户需求", "主要需求"});
    add("preferences", {"偏好", "客户偏好"});
    add("price_sensitivity", {"价格敏感度", "价格敏感"});
    add("tier", {"客户等级", "等级", "分级", "客户分级", "abc分类"});
    add("tier_override_reason", {"分级理由", "等级理由", "分级原因", "等级原因"});
    add("market_stage", {"市场阶段", "市场状态"});
    add("relationship_stage", {"关系阶段", "客户关系阶段"});
    add("owner", {"负责人", "客户经理", "业务员", "归属人", "owner_username", "username"});
    return m;
  }();
  return headers;
}

const std::map<std::string, std::string>& contact_headers() {
  static const std::map<std::string, std::string> headers = [] {
    std::map<std::string, std::string> m;
    auto add = [&m](const std::string& field, std::initializer_list<const char*> names) {
      m[field] = field;
      for (const char* n : names) m[normalize_header(n)] = field;
    };
    add("account_name", {"客户名称", "公司名称", "企业名称", "客户", "account"});
    add("archive_no", {"档案编号", "客户编号"});
    add("account_id", {"客户id", "客户ID"});
    add("name", {"姓名", "联系人", "联系人姓名"});
    add("title", {"职务", "职位"});
    add("department", {"部门", "所在部门"});
    add("phone", {"电话", "手机", "手机号", "联系电话", "mobile"});
    add("email", {"邮箱", "电子邮箱", "e-mail", "电子邮件"});
    add("buying_role", {"角色", "采购角色", "决策角色"});
    add("attitude", {"态度", "对我方态度"});
    add("relationship_level", {"关系等级", "关系程度", "亲密度"});
    add("status", {"状态", "在职状态"});
    add("notes", {"备注", "说明"});
    return m;
  }();
  return headers;
}

// Chinese labels of enumerated values → codes.
const std::map<std::string, std::map<std::string, std::string>>& labels() {
  static const std::map<std::string, std::map<std::string, std::string>> m = {
      {"ownership_type",
       {{"国有", "state_owned"},
        {"国企", "state_owned"},
        {"国有企业", "state_owned"},
        {"民营", "private"},
        {"私营", "private"},
        {"民营企业", "private"},
        {"私营企业", "private"},
        {"外资", "foreign"},
        {"外资企业", "foreign"},
        {"合资", "joint_venture"},
        {"中外合资", "joint_venture"},
        {"合资企业", "joint_venture"},
        {"集体", "collective"},
        {"集体企业", "collective"},
        {"其他", "other"}}},
      {"procurement_mode",
       {{"集中采购", "centralized"},
        {"集中", "centralized"},
        {"集采", "centralized"},
        {"分散采购", "decentralized"},
        {"分散", "decentralized"}}},
      {"customer_kind",
       {{"渠道", "channel"},
        {"渠道客户", "channel"},
        {"经销商", "channel"},
        {"终端", "end_user"},
        {"终端用户", "end_user"},
        {"终端客户", "end_user"},
        {"最终用户", "end_user"}}},
      {"price_sensitivity", {{"高", "high"}, {"中", "medium"}, {"低", "low"}}},
      {"tier",
       {{"a类", "A"},
        {"b类", "B"},
        {"c类", "C"},
        {"a级", "A"},
        {"b级", "B"},
        {"c级", "C"},
        {"a", "A"},
        {"b", "B"},
        {"c", "C"}}},
      {"market_stage",
       {{"成熟", "mature"},
        {"成熟市场", "mature"},
        {"发展", "development"},
        {"开发", "development"},
        {"发展市场", "development"},
        {"整改", "rectification"},
        {"整改市场", "rectification"}}},
      {"relationship_stage",
       {{"建立", "establish"},
        {"建立关系", "establish"},
        {"稳定", "stabilize"},
        {"稳定关系", "stabilize"},
        {"强化", "strengthen"},
        {"加强", "strengthen"},
        {"强化关系", "strengthen"}}},
      {"buying_role",
       {{"决策者", "decision_maker"},
        {"决策人", "decision_maker"},
        {"影响者", "influencer"},
        {"使用者", "user"},
        {"用户", "user"},
        {"把关者", "gatekeeper"},
        {"守门人", "gatekeeper"},
        {"内线", "insider"},
        {"教练", "insider"}}},
      {"attitude",
       {{"支持", "supporter"},
        {"支持者", "supporter"},
        {"中立", "neutral"},
        {"反对", "opponent"},
        {"反对者", "opponent"}}},
      {"status", {{"在职", "active"}, {"有效", "active"}, {"离职", "left"}, {"已离职", "left"}}},
  };
  return m;
}

std::optional<std::int64_t> parse_integer(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), ','), text.end());
  if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
  std::int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// Decimal text → value × 10^scale as an integer, exactly (no floating point).
std::optional<std::int64_t> parse_scaled(std::string text, int scale) {
  text.erase(std::remove(text.begin(), text.end(), ','), text.end());
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.erase(0, 1);
  }
  const auto dot = text.find('.');
  std::string whole = text.substr(0, dot);
  std::string fraction = dot == std::string::npos ? "" : text.substr(dot + 1);
  while (fraction.size() > static_cast<std::size_t>(scale) && fraction.back() == '0') fraction.pop_back();
  if ((whole.empty() && fraction.empty()) || fraction.size() > static_cast<std::size_t>(scale) || whole.size() > 15)
    return std::nullopt;
  fraction.resize(static_cast<std::size_t>(scale), '0');
  const std::string digits = (whole.empty() ? "0" : whole) + fraction;
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  auto value = parse_integer(digits);
  if (!value) return std::nullopt;
  return negative ? -*value : *value;
}

std::string lower_ascii(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

struct Column {
  std::size_t index;
  std::string header;  // as written
  std::string field;
};

struct Mapping {
  std::vector<Column> columns;
  std::map<std::string, std::string> header_of;  // field → header as written
};

Mapping map_headers(const sheets::Row& header_row, bool contacts, ImportReport& report) {
  Mapping mapping;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < header_row.size(); ++i) {
    const auto& header = header_row[i];
    if (text::trim(header).empty()) continue;
    const auto field = contacts ? contact_field_of_header(header) : account_field_of_header(header);
    if (!field) {
      report.ignored_columns.push_back(header);
      continue;
    }
    if (!seen.insert(*field).second) {
      report.errors.push_back({1, header, "another column already gives " + *field});
      continue;
    }
    mapping.columns.push_back({i, header, *field});
    mapping.header_of[*field] = header;
  }
  return mapping;
}

std::string column_for(const Mapping& mapping, const std::string& field) {
  auto it = mapping.header_of.find(field);
  if (it != mapping.header_of.end()) return it->second;
  if (field == "annual_revenue_fen") {
    for (const char* alt : {"annual_revenue_yuan", "annual_revenue_wan"}) {
      if (auto a = mapping.header_of.find(alt); a != mapping.header_of.end()) return a->second;
    }
  }
  return field;
}

bool row_blank(const sheets::Row& row) {
  return std::all_of(row.begin(), row.end(), [](const std::string& cell) { return text::trim(cell).empty(); });
}

// A row read into an API body; conversion problems go to the report.
json row_body(const sheets::Row& row, const Mapping& mapping, std::int64_t row_number, ImportReport& report, bool& ok,
              std::map<std::string, std::string>* extra) {
  json body = json::object();
  for (const auto& column : mapping.columns) {
    if (column.index >= row.size()) continue;
    const std::string cell = text::trim(row[column.index]);
    if (cell.empty()) continue;
    if (extra && (column.field == "owner" || column.field == "account_name" || column.field == "archive_no")) {
      (*extra)[column.field] = cell;
      continue;
    }
    auto value = cell_value(column.field, cell);
    if (!value) {
      report.errors.push_back({row_number, column.header, value.error().detail()});
      ok = false;
      continue;
    }
    std::string field = column.field;
    if (field == "annual_revenue_yuan" || field == "annual_revenue_wan") field = "annual_revenue_fen";
    body[field] = *value;
  }
  return body;
}

void report_errors(const Error& error, const Mapping& mapping, std::int64_t row_number, ImportReport& report) {
  if (error.fields().empty()) {
    report.errors.push_back({row_number, "", error.detail()});
    return;
  }
  for (const auto& f : error.fields()) report.errors.push_back({row_number, column_for(mapping, f.field), f.message});
}

db::Value value_of(const TextChange& change) {
  return change.value ? db::Value(*change.value) : db::Value(nullptr);
}
db::Value value_of(const IntegerChange& change) {
  return change.value ? db::Value(*change.value) : db::Value(nullptr);
}

struct Existing {
  std::int64_t id;
  std::string name;
  std::optional<std::string> credit_code;
  std::optional<std::int64_t> owner_id, department_id;
};

// Live accounts whose `column` is one of `keys`.
std::vector<Existing> find_existing(db::Connection& c, const std::string& column,
                                    const std::vector<std::string>& keys) {
  std::vector<Existing> out;
  for (std::size_t start = 0; start < keys.size(); start += kBatch) {
    std::string in;
    db::Params params;
    for (std::size_t i = start; i < std::min(keys.size(), start + kBatch); ++i) {
      in += in.empty() ? "?" : ",?";
      params.emplace_back(keys[i]);
    }
    const auto rows =
        c.query("SELECT id, name, credit_code, owner_id, department_id FROM accounts WHERE deleted_at IS NULL AND " +
                    // "IS NOT NULL" lets SQLite use the partial unique index on credit_code.
                    column + " IS NOT NULL AND " + column + " IN (" + in + ")",
                params);
    for (const auto& r : rows) {
      out.push_back({r.integer("id"), r.text("name"), r.optional_text("credit_code"), r.optional_integer("owner_id"),
                     r.optional_integer("department_id")});
    }
  }
  return out;
}

struct User {
  std::int64_t id;
  std::optional<std::int64_t> department_id;
};

// The one account field list an import writes, in AccountInput terms.
struct AccountRow {
  std::int64_t row_number;
  AccountInput input;
  std::optional<User> owner;                 // explicit owner column
  std::optional<std::int64_t> duplicate_of;  // existing account id
};

// Columns that an AccountInput sets, as (column, value, present).
std::vector<std::tuple<std::string, db::Value, bool>> input_columns(const AccountInput& in) {
  return {{"name", value_of(in.name), in.name.present},
          {"industry", value_of(in.industry), in.industry.present},
          {"province", value_of(in.province), in.province.present},
          {"city", value_of(in.city), in.city.present},
          {"address", value_of(in.address), in.address.present},
          {"credit_code", value_of(in.credit_code), in.credit_code.present},
          {"ownership_type", value_of(in.ownership_type), in.ownership_type.present},
          {"website", value_of(in.website), in.website.present},
          {"business_status", value_of(in.business_status), in.business_status.present},
          {"procurement_mode", value_of(in.procurement_mode), in.procurement_mode.present},
          {"customer_kind", value_of(in.customer_kind), in.customer_kind.present},
          {"needs", value_of(in.needs), in.needs.present},
          {"preferences", value_of(in.preferences), in.preferences.present},
          {"price_sensitivity", value_of(in.price_sensitivity), in.price_sensitivity.present},
          {"tier", value_of(in.tier), in.tier.present},
          {"tier_override_reason", value_of(in.tier_override_reason), in.tier_override_reason.present},
          {"market_stage", value_of(in.market_stage), in.market_stage.present},
          {"relationship_stage",
           in.relationship_stage.value ? db::Value(*in.relationship_stage.value) : db::Value(std::string("establish")),
           true},
          {"employees", value_of(in.employees), in.employees.present},
          {"annual_revenue_fen", value_of(in.annual_revenue_fen), in.annual_revenue_fen.present},
          {"founded_year", value_of(in.founded_year), in.founded_year.present}};
}

// A search posting packed for sorting: the bigram's bytes (at most two code
// points, so at most 8) big-endian in `key`, its length, the account id. The
// order of (key, length, id) is the byte order of (gram, id), the index's.
struct Posting {
  std::uint64_t key;
  std::uint32_t length;
  std::int64_t id;
  friend bool operator<(const Posting& a, const Posting& b) {
    return std::tie(a.key, a.length, a.id) < std::tie(b.key, b.length, b.id);
  }
  std::string gram() const {
    std::string g(length, '\0');
    for (std::uint32_t i = 0; i < length; ++i) g[i] = static_cast<char>((key >> (56 - 8 * i)) & 0xFF);
    return g;
  }
};

Posting posting(const std::string& gram, std::int64_t id) {
  std::uint64_t key = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    key = (key << 8) | (i < gram.size() ? static_cast<unsigned char>(gram[i]) : 0U);
  }
  return {key, static_cast<std::uint32_t>(gram.size()), id};
}

// Appends an imported column's value to the audit JSON.
void append_value(std::string& out, const db::Value& v) {
  if (const auto* n = std::get_if<std::int64_t>(&v)) {
    out += std::to_string(*n);
  } else if (const auto* t = std::get_if<std::string>(&v)) {
    json_writer::append_string(out, *t);
  } else if (const auto* d = std::get_if<double>(&v)) {
    out += json(*d).dump();
  } else {
    out += "null";
  }
}

constexpr std::size_t kInsertChunk = 10000;  // accounts per bulk round: bounds the memory of a 1M-row import
constexpr std::size_t kFixedColumns = 8;     // the columns before the input's own

// Inserts one chunk of new accounts whose archive numbers are first … first +
// rows.size() - 1: the rows, then (ids read back by archive number) their
// search postings in index order and one audit row each.
void insert_chunk(db::Connection& c, const auth::Principal& p, std::span<AccountRow* const> rows, int year,
                  std::int64_t first, const std::string& now) {
  std::vector<std::string> columns = {"archive_no",  "search_key", "owner_id",   "department_id",
                                      "owned_since", "version",    "created_at", "updated_at"};
  for (const auto& [column, value, present] : input_columns(rows.front()->input)) columns.push_back(column);
  std::vector<std::vector<db::Value>> values;
  values.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = *rows[i];
    const auto owner_id = row.owner ? row.owner->id : p.user_id;
    const auto department = row.owner ? row.owner->department_id : p.department_id;
    std::vector<db::Value> v = {archive_number(year, first + static_cast<std::int64_t>(i)),
                                text::normalize_for_search(*row.input.name.value),
                                owner_id,
                                department ? db::Value(*department) : db::Value(nullptr),
                                now,
                                std::int64_t{1},
                                now,
                                now};
    v.reserve(columns.size());
    for (auto& [column, value, present] : input_columns(row.input)) v.push_back(std::move(value));
    values.push_back(std::move(v));
  }
  c.bulk_insert("accounts", columns, values);

  // The ids, read back by archive number: the counter reserved first … last
  // for this import alone. Numbers of one width sort as text in counter order,
  // so each run of one width is one range of the archive_no index.
  std::vector<std::int64_t> ids;
  ids.reserve(rows.size());
  const std::int64_t last = first + static_cast<std::int64_t>(rows.size()) - 1;
  for (std::int64_t from = first; from <= last;) {
    std::int64_t width_end = 999999;  // the last number written with as many digits as `from`
    while (width_end < from) width_end = width_end * 10 + 9;
    const std::int64_t to = std::min(last, width_end);
    c.each("SELECT id FROM accounts WHERE archive_no BETWEEN ? AND ? ORDER BY archive_no",
           {archive_number(year, from), archive_number(year, to)},
           [&](const db::RowView& r) { ids.push_back(r.integer(0)); });
    from = to + 1;
  }
  if (ids.size() != rows.size()) {
    throw db::DbError(db::DbError::Kind::other, "import: read back " + std::to_string(ids.size()) + " ids for " +
                                                    std::to_string(rows.size()) + " new accounts");
  }

  std::vector<Posting> postings;
  postings.reserve(rows.size() * 16);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (const auto& gram : text::search_grams(*rows[i]->input.name.value)) postings.push_back(posting(gram, ids[i]));
  }
  // In index order: each gram's postings land next to each other instead of
  // at random places of a large index.
  std::sort(postings.begin(), postings.end());
  c.bulk_load("account_search", {"gram", "account_id"}, postings.size(), [&](std::size_t i, std::vector<db::Value>& r) {
    r[0] = postings[i].gram();
    r[1] = postings[i].id;
  });

  // The audit's "after": the fixed members and every input column, keys in
  // sorted order (as nlohmann writes an object).
  std::vector<std::pair<std::string, std::size_t>> members;  // key → column index (npos: written apart)
  for (std::size_t k = kFixedColumns; k < columns.size(); ++k) members.emplace_back(columns[k], k);
  for (const char* key : {"department_id", "owner_id"}) {
    const auto k = static_cast<std::size_t>(std::find(columns.begin(), columns.end(), key) - columns.begin());
    members.emplace_back(key, k);
  }
  for (const char* key : {"archive_no", "created_at", "id", "source", "updated_at", "version"}) {
    members.emplace_back(key, std::string::npos);
  }
  std::sort(members.begin(), members.end());
  c.bulk_load("audit_log", {"at", "user_id", "entity", "entity_id", "action", "before_json", "after_json"}, rows.size(),
              [&](std::size_t i, std::vector<db::Value>& r) {
                std::string after;
                {
                  json_writer::Object o(after);
                  for (const auto& [key, k] : members) {
                    if (k != std::string::npos) {
                      append_value(o.raw(key), values[i][k]);
                    } else if (key == "id") {
                      o.field(key, ids[i]);
                    } else if (key == "version") {
                      o.field(key, std::int64_t{1});
                    } else if (key == "source") {
                      o.field(key, std::string_view("import"));
                    } else if (key == "archive_no") {
                      o.field(key, std::string_view(std::get<std::string>(values[i][0])));
                    } else {
                      o.field(key, std::string_view(now));  // created_at, updated_at
                    }
                  }
                }
                r = {now, p.user_id, std::string("account"), ids[i], std::string("create"), nullptr, std::move(after)};
              });
}

// Inserts new accounts (one round: at most kInsertChunk) under the next
// archive numbers of `year`.
void insert_accounts(db::Connection& c, const auth::Principal& p, const std::vector<AccountRow*>& rows, int year,
                     const std::string& now) {
  if (rows.empty()) return;
  const auto count = static_cast<std::int64_t>(rows.size());
  const std::int64_t last = c.query(
                                 "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE "
                                 "SET value = counters.value + ? RETURNING value",
                                 {"archive_no:" + std::to_string(year), count, count})
                                .front()
                                .integer(0);
  insert_chunk(c, p, rows, year, last - count + 1, now);
}

void update_account_row(db::Connection& c, const auth::Principal& p, const AccountRow& row) {
  const auto id = *row.duplicate_of;
  auto before = get_account(c, p, id);
  std::string set;
  db::Params params;
  for (const auto& [column, value, present] : input_columns(row.input)) {
    if (!present || (column == "relationship_stage" && !row.input.relationship_stage.present)) continue;
    set += column + " = ?, ";
    params.push_back(value);
  }
  if (row.input.name.present) {
    set += "search_key = ?, ";
    params.emplace_back(text::normalize_for_search(*row.input.name.value));
  }
  set += "version = version + 1, updated_at = ?";
  params.emplace_back(now_text());
  params.emplace_back(id);
  c.query("UPDATE accounts SET " + set + " WHERE id = ?", params);
  if (before && row.input.name.present && *row.input.name.value != before->name) {
    for (const auto& gram : text::search_grams(before->name)) {
      c.query("DELETE FROM account_search WHERE gram = ? AND account_id = ?", {gram, id});
    }
    for (const auto& gram : text::search_grams(*row.input.name.value)) {
      c.query("INSERT INTO account_search (gram, account_id) VALUES (?, ?) ON CONFLICT DO NOTHING", {gram, id});
    }
  }
  auto after = get_account(c, p, id);
  auth::write_audit(c, p.user_id, "account", id, "update", before ? to_json(*before) : json(),
                    after ? to_json(*after) : json());
}

// The live accounts a row of the file may duplicate, looked up before anything
// is written: by credit code (any live account: the code is unique) and by
// exact name among the accounts `p` sees. The keys are the cells as
// read_input gives them back (trimmed; the code upper-cased). Looked up round
// by round instead, PostgreSQL (no statistics yet for a table the import
// itself fills) would scan the table for every batch of names.
std::pair<std::map<std::string, Existing>, std::map<std::string, Existing>> existing_accounts(
    db::Connection& c, const auth::Principal& p, const sheets::Table& table, const Mapping& mapping) {
  std::vector<std::string> codes, names;
  for (const auto& column : mapping.columns) {
    if (column.field != "name" && column.field != "credit_code") continue;
    auto& keys = column.field == "name" ? names : codes;
    for (std::size_t r = 1; r < table.size(); ++r) {
      if (column.index >= table[r].size()) continue;
      auto key = text::trim(table[r][column.index]);
      if (key.empty()) continue;
      keys.push_back(column.field == "name" ? std::move(key) : normalize_credit_code(key));
    }
  }
  std::map<std::string, Existing> by_code, by_name;
  for (auto& e : find_existing(c, "credit_code", codes)) by_code.emplace(*e.credit_code, e);
  for (auto& e : find_existing(c, "name", names)) {
    if (auth::can_see(p, e.owner_id, e.department_id)) by_name.emplace(e.name, e);
  }
  return {std::move(by_code), std::move(by_name)};
}

// Rows are read, checked and, unless this is a dry run, written kInsertChunk
// at a time inside one transaction that commits only when no row of the file
// has an error: a large import holds one round of checked rows, not the whole
// file, and each sheet row is released once read. A row is checked against
// the rows before it in the file and against the database as it was before
// the import.
Expected<ImportReport> import_accounts(db::Connection& c, const auth::Principal& p, sheets::Table& table,
                                       const ImportOptions& options, ImportReport report) {
  const auto mapping = map_headers(table.front(), false, report);
  if (!mapping.header_of.count("name"))
    report.errors.push_back({1, "名称", "the file has no name column (名称 / name)"});
  if (!report.errors.empty()) return report;

  std::optional<db::Transaction> tx;
  if (!options.dry_run) tx.emplace(c, true);
  const auto [by_code, by_name] = existing_accounts(c, p, table, mapping);
  const std::string now = now_text();
  const int year = current_year();
  std::map<std::string, std::optional<User>> owners;                           // username → user in scope
  std::unordered_map<std::string, std::int64_t> first_by_code, first_by_name;  // → first row with it
  std::int64_t created = 0, updated = 0, skipped = 0;
  for (std::size_t start = 1; start < table.size(); start += kInsertChunk) {
    const std::size_t end = std::min(table.size(), start + kInsertChunk);
    std::vector<AccountRow> rows;
    rows.reserve(end - start);
    std::set<std::int64_t> bad_rows;
    for (std::size_t r = start; r < end; ++r) {
      const sheets::Row cells = std::move(table[r]);  // the table's row is empty from here on
      const auto row_number = static_cast<std::int64_t>(r + 1);
      if (row_blank(cells)) continue;
      ++report.rows;
      bool ok = true;
      std::map<std::string, std::string> extra;
      json body = row_body(cells, mapping, row_number, report, ok, &extra);
      if (body.contains("tier") && !body.contains("tier_override_reason"))
        body["tier_override_reason"] = "导入 (import)";
      AccountRow row{row_number, {}, std::nullopt, std::nullopt};
      if (auto input = read_input(body, true); input) {
        row.input = std::move(*input);
      } else {
        report_errors(input.error(), mapping, row_number, report);
        ok = false;
      }
      if (auto it = extra.find("owner"); it != extra.end()) {
        if (!owners.count(it->second)) {
          const auto users =
              c.query("SELECT id, department_id FROM users WHERE username = ? AND active = 1", {it->second});
          std::optional<User> user;
          if (!users.empty()) {
            User u{users.front().integer("id"), users.front().optional_integer("department_id")};
            if (auth::can_see(p, u.id, u.department_id)) user = u;
          }
          owners[it->second] = user;
        }
        if (owners[it->second]) {
          row.owner = owners[it->second];
        } else {
          report.errors.push_back(
              {row_number, mapping.header_of.at("owner"), "no active user '" + it->second + "' within your scope"});
          ok = false;
        }
      }
      if (!ok) bad_rows.insert(row_number);
      rows.push_back(std::move(row));
    }

    // Duplicates inside the file.
    for (const auto& row : rows) {
      if (bad_rows.count(row.row_number)) continue;
      if (row.input.credit_code.value) {
        auto [it, fresh] = first_by_code.emplace(*row.input.credit_code.value, row.row_number);
        if (!fresh) {
          report.errors.push_back({row.row_number, column_for(mapping, "credit_code"),
                                   "the same credit code as row " + std::to_string(it->second)});
          bad_rows.insert(row.row_number);
          continue;
        }
      }
      auto [it, fresh] = first_by_name.emplace(*row.input.name.value, row.row_number);
      if (!fresh) {
        report.errors.push_back(
            {row.row_number, column_for(mapping, "name"), "the same name as row " + std::to_string(it->second)});
        bad_rows.insert(row.row_number);
      }
    }

    // Duplicates in the database (looked up above).
    for (auto& row : rows) {
      if (bad_rows.count(row.row_number)) continue;
      std::optional<Existing> match;
      std::string column;
      if (row.input.credit_code.value) {
        if (auto it = by_code.find(*row.input.credit_code.value); it != by_code.end()) {
          match = it->second;
          column = column_for(mapping, "credit_code");
          if (!auth::can_see(p, match->owner_id, match->department_id)) {
            report.errors.push_back({row.row_number, column, "an account outside your scope has this credit code"});
            bad_rows.insert(row.row_number);
            continue;
          }
        }
      }
      if (!match) {
        if (auto it = by_name.find(*row.input.name.value); it != by_name.end()) {
          match = it->second;
          column = column_for(mapping, "name");
        }
      }
      if (!match) continue;
      if (options.on_duplicate == "fail") {
        report.errors.push_back(
            {row.row_number, column,
             "duplicate of the existing account " + match->name + " (id " + std::to_string(match->id) + ")"});
        bad_rows.insert(row.row_number);
      } else {
        row.duplicate_of = match->id;
      }
    }

    report.valid += static_cast<std::int64_t>(rows.size() - bad_rows.size());
    std::vector<AccountRow*> creates;
    std::vector<AccountRow*> updates;
    for (auto& row : rows) {
      if (bad_rows.count(row.row_number)) continue;
      if (!row.duplicate_of) {
        creates.push_back(&row);
      } else if (options.on_duplicate == "update") {
        updates.push_back(&row);
      } else {
        ++skipped;
      }
    }
    created += static_cast<std::int64_t>(creates.size());
    updated += static_cast<std::int64_t>(updates.size());
    if (!tx || !report.errors.empty()) continue;  // nothing of this file will be written
    try {
      insert_accounts(c, p, creates, year, now);
      for (const auto* row : updates) update_account_row(c, p, *row);
    } catch (const db::DbError& e) {
      if (e.kind() != db::DbError::Kind::unique_violation) throw;
      return Error::conflict(
          "another account with one of these credit codes was saved meanwhile; run the import again");
    }
  }

  std::sort(report.errors.begin(), report.errors.end(),
            [](const ImportIssue& a, const ImportIssue& b) { return a.row < b.row; });
  if (!report.errors.empty()) return report;  // a transaction left open rolls back
  report.created = created;
  report.updated = updated;
  report.skipped = skipped;
  if (tx) tx->commit();
  return report;
}

Expected<ImportReport> import_contacts(db::Connection& c, const auth::Principal& p, const sheets::Table& table,
                                       const ImportOptions& options, ImportReport report) {
  const auto mapping = map_headers(table.front(), true, report);
  if (!mapping.header_of.count("name"))
    report.errors.push_back({1, "姓名", "the file has no name column (姓名 / name)"});
  if (!mapping.header_of.count("account_name") && !mapping.header_of.count("archive_no") &&
      !mapping.header_of.count("account_id")) {
    report.errors.push_back({1, "客户名称", "the file needs 客户名称, 档案编号 or account_id to find the account"});
  }
  if (!report.errors.empty()) return report;
  const auto& fields = contacts::contact_table().fields;

  struct ContactRow {
    std::int64_t row_number;
    Values values;
    std::int64_t account_id;
    std::optional<std::int64_t> duplicate_of;
  };
  std::vector<ContactRow> rows;
  std::set<std::int64_t> bad_rows;
  std::set<std::pair<std::int64_t, std::string>> seen;
  for (std::size_t r = 1; r < table.size(); ++r) {
    const auto row_number = static_cast<std::int64_t>(r + 1);
    if (row_blank(table[r])) continue;
    ++report.rows;
    bool ok = true;
    std::map<std::string, std::string> extra;
    json body = row_body(table[r], mapping, row_number, report, ok, &extra);
    // The account: account_id, else archive_no, else the exact name among visible accounts.
    std::optional<std::int64_t> account_id;
    std::string account_column;
    db::Result found;
    if (body.contains("account_id")) {
      account_column = mapping.header_of.at("account_id");
      found = c.query("SELECT id, owner_id, department_id FROM accounts WHERE deleted_at IS NULL AND id = ?",
                      {body["account_id"].get<std::int64_t>()});
    } else if (extra.count("archive_no")) {
      account_column = mapping.header_of.at("archive_no");
      found = c.query("SELECT id, owner_id, department_id FROM accounts WHERE deleted_at IS NULL AND archive_no = ?",
                      {extra["archive_no"]});
    } else if (extra.count("account_name")) {
      account_column = mapping.header_of.at("account_name");
      found = c.query("SELECT id, owner_id, department_id FROM accounts WHERE deleted_at IS NULL AND name = ?",
                      {extra["account_name"]});
    } else {
      account_column = column_for(mapping, mapping.header_of.count("account_name") ? "account_name" : "archive_no");
    }
    int visible = 0;
    for (const auto& a : found) {
      if (auth::can_see(p, a.optional_integer("owner_id"), a.optional_integer("department_id"))) {
        account_id = a.integer("id");
        ++visible;
      }
    }
    if (visible != 1) {
      report.errors.push_back(
          {row_number, account_column,
           visible == 0 ? "no account within your scope matches" : "several accounts have this name; use 档案编号"});
      ok = false;
      account_id = std::nullopt;
    }
    if (account_id) body["account_id"] = *account_id;
    auto values = read_fields(body, fields, true);
    if (!values) {
      for (const auto& f : values.error().fields()) {
        if (f.field == "account_id" && !account_id) continue;  // already reported
        report.errors.push_back({row_number, column_for(mapping, f.field), f.message});
      }
      ok = false;
    }
    if (!ok) {
      bad_rows.insert(row_number);
      continue;
    }
    const std::string name = body.value("name", "");
    if (!seen.emplace(*account_id, name).second) {
      report.errors.push_back(
          {row_number, column_for(mapping, "name"), "the same contact appears twice for this account"});
      bad_rows.insert(row_number);
      continue;
    }
    ContactRow row{row_number, *values, *account_id, std::nullopt};
    const auto existing =
        c.query("SELECT id FROM contacts WHERE account_id = ? AND name = ? AND deleted_at IS NULL ORDER BY id LIMIT 1",
                {*account_id, name});
    if (!existing.empty()) {
      if (options.on_duplicate == "fail") {
        report.errors.push_back(
            {row_number, column_for(mapping, "name"), "this account already has a contact of this name"});
        bad_rows.insert(row_number);
        continue;
      }
      row.duplicate_of = existing.front().integer(0);
    }
    rows.push_back(std::move(row));
  }
  report.valid = report.rows - static_cast<std::int64_t>(bad_rows.size());
  std::sort(report.errors.begin(), report.errors.end(),
            [](const ImportIssue& a, const ImportIssue& b) { return a.row < b.row; });
  if (!report.errors.empty()) return report;
  for (const auto& row : rows) {
    if (!row.duplicate_of) {
      ++report.created;
    } else if (options.on_duplicate == "update") {
      ++report.updated;
    } else {
      ++report.skipped;
    }
  }
  if (options.dry_run) return report;

  const auto& table_def = contacts::contact_table();
  db::Transaction tx(c, true);
  const std::string now = now_text();
  for (const auto& row : rows) {
    if (!row.duplicate_of) {
      std::string columns, marks;
      db::Params params;
      for (const auto& [column, value] : row.values) {
        columns += column + ", ";
        marks += "?, ";
        params.push_back(value);
      }
      params.emplace_back(now);
      params.emplace_back(now);
      const auto id = c.query("INSERT INTO contacts (" + columns + "created_at, updated_at) VALUES (" + marks +
                                  "?, ?) RETURNING id",
                              params)
                          .front()
                          .integer(0);
      const auto after = c.query("SELECT * FROM contacts WHERE id = ?", {id});
      auth::write_audit(c, p.user_id, table_def.entity, id, "create", nullptr, row_json(after, 0));
    } else if (options.on_duplicate == "update") {
      const auto id = *row.duplicate_of;
      const auto before_rows = c.query("SELECT * FROM contacts WHERE id = ?", {id});
      const json before = row_json(before_rows, 0);
      std::string set;
      db::Params params;
      for (const auto& [column, value] : row.values) {
        if (column == "account_id") continue;
        set += column + " = ?, ";
        params.push_back(value);
      }
      params.emplace_back(now);
      params.emplace_back(id);
      c.query("UPDATE contacts SET " + set + "version = version + 1, updated_at = ? WHERE id = ?", params);
      const auto after_rows = c.query("SELECT * FROM contacts WHERE id = ?", {id});
      const json after = row_json(after_rows, 0);
      if (table_def.after_change) {
        if (auto s = table_def.after_change(c, p, before, after); !s) return s.error();
      }
      auth::write_audit(c, p.user_id, table_def.entity, id, "update", before, after);
    }
  }
  tx.commit();
  return report;
}

bool import_permitted(const auth::Principal& p) {
  const auto& known = auth::known_permissions();
  if (std::find(known.begin(), known.end(), "accounts.import") == known.end()) return p.can("accounts.write");
  return p.can("accounts.import") && p.can("accounts.write");
}

}  // namespace

std::optional<std::string> account_field_of_header(std::string_view header) {
  const auto& m = account_headers();
  auto it = m.find(normalize_header(header));
  if (it == m.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> contact_field_of_header(std::string_view header) {
  const auto& m = contact_headers();
  auto it = m.find(normalize_header(header));
  if (it == m.end()) return std::nullopt;
  return it->second;
}

Expected<json> cell_value(const std::string& field, const std::string& raw) {
  const std::string text = text::trim(raw);
  auto invalid = [](const std::string& message) { return Error::bad_request(message); };
  if (field == "employees" || field == "annual_revenue_fen" || field == "relationship_level" || field == "account_id") {
    auto value = parse_integer(text);
    if (!value) return invalid("must be a whole number");
    return json(*value);
  }
  if (field == "annual_revenue_yuan" || field == "annual_revenue_wan") {
    std::string t = text;
    for (const char* suffix : {"万元", "元", "万"}) {
      const std::string s(suffix);
      if (t.size() > s.size() && t.compare(t.size() - s.size(), s.size(), s) == 0) t.resize(t.size() - s.size());
    }
    auto value = parse_scaled(text::trim(t), field == "annual_revenue_wan" ? 6 : 2);
    if (!value)
      return invalid(field == "annual_revenue_wan" ? "must be an amount in 万元 (up to 4 decimals)"
                                                   : "must be an amount in yuan (up to 2 decimals)");
    return json(*value);
  }
  if (field == "founded_year") {
    // 2005, 2005年, 2005-03-01, 2005/3/1
    if (text.size() >= 4 && std::all_of(text.begin(), text.begin() + 4, [](char c) { return c >= '0' && c <= '9'; })) {
      const std::string rest = text.substr(4);
      if (rest.empty() || rest == "年" || rest.front() == '-' || rest.front() == '/' || rest.front() == '.' ||
          rest.rfind("年", 0) == 0) {
        return json(std::stoll(text.substr(0, 4)));
      }
    }
    return invalid("must be a year such as 2005");
  }
  if (field == "credit_code") return json(normalize_credit_code(text));
  auto enumerations = labels().find(field);
  if (enumerations != labels().end()) {
    const auto key = lower_ascii(text);
    if (auto it = enumerations->second.find(key); it != enumerations->second.end()) return json(it->second);
    if (field == "tier") return json(key.size() == 1 ? std::string(1, static_cast<char>(std::toupper(key[0]))) : text);
    if (field == "relationship_level") return json(text);
    return json(key);  // a code (validated by the field rules)
  }
  return json(text);
}

Status check_import_options(const ImportOptions& options) {
  std::vector<FieldError> errors;
  if (options.kind != "accounts" && options.kind != "contacts")
    errors.push_back({"kind", "must be accounts or contacts"});
  if (options.on_duplicate != "skip" && options.on_duplicate != "update" && options.on_duplicate != "fail") {
    errors.push_back({"on_duplicate", "must be skip, update or fail"});
  }
  if (!errors.empty()) return Error::invalid(errors);
  return ok_status();
}

json to_json(const ImportReport& report) {
  json errors = json::array();
  for (const auto& e : report.errors) errors.push_back({{"row", e.row}, {"column", e.column}, {"message", e.message}});
  return {{"kind", report.kind},       {"dry_run", report.dry_run}, {"rows", report.rows},
          {"valid", report.valid},     {"created", report.created}, {"updated", report.updated},
          {"skipped", report.skipped}, {"errors", errors},          {"ignored_columns", report.ignored_columns}};
}

Expected<ImportReport> import_table(db::Connection& c, const auth::Principal& p, sheets::Table table,
                                    const ImportOptions& options) {
  if (!import_permitted(p)) return Error::forbidden();
  if (auto s = check_import_options(options); !s) return s.error();
  ImportReport report;
  report.kind = options.kind;
  report.dry_run = options.dry_run;
  if (table.empty()) {
    report.errors.push_back({1, "", "the file is empty: the first row must name the columns"});
    return report;
  }
  if (options.kind == "contacts") return import_contacts(c, p, table, options, std::move(report));
  return import_accounts(c, p, table, options, std::move(report));
}

Expected<ImportReport> import_file(db::Connection& c, const auth::Principal& p, std::string_view bytes,
                                   const ImportOptions& options) {
  if (!import_permitted(p)) return Error::forbidden();
  auto table = sheets::read_table(bytes);
  if (!table) return Error::invalid({{"file", table.error().detail()}});
  return import_table(c, p, std::move(*table), options);
}

}  // namespace kam::accounts

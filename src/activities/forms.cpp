// XLSX renderings of the activities forms (see forms.hpp): a title band, a
// line of who / when, then either a bordered table or label/value rows.
#include "activities/forms.hpp"

#include <fmt/format.h>

#include <map>

#include "accounts/records.hpp"
#include "activities/activities.hpp"
#include "auth/scope.hpp"
#include "platform/core/text.hpp"
#include "platform/sheets/sheets.hpp"

namespace kam::activities {

namespace {

using sheets::Style;

std::string local_time(const std::optional<std::string>& iso) {
  // Forms are read in China: show Beijing time (UTC+8, no daylight saving).
  if (!iso) return "";
  const auto t = parse_instant(*iso);
  if (!t) return *iso;
  const auto s = format_instant(*t + std::chrono::hours(8));
  return s.substr(0, 10) + " " + s.substr(11, 5);
}

std::string label(const std::string& field, const std::string& code) {
  static const std::map<std::string, std::map<std::string, std::string>> labels = {
      {"method", {{"in_person", "面访"}, {"phone", "电话"}, {"video", "视频"}}},
      {"status", {{"planned", "计划"}, {"done", "已完成"}, {"cancelled", "取消"}, {"open", "进行中"}}},
      {"kind", {{"call", "电话"}, {"email", "邮件"}, {"meeting", "会面"}, {"message", "消息"}}},
  };
  const auto f = labels.find(field);
  if (f == labels.end()) return code;
  const auto v = f->second.find(code);
  return v == f->second.end() ? code : v->second;
}

struct Person {
  std::string name;
  std::string department;
};

Expected<Person> visible_person(db::Connection& c, const auth::Principal& p, std::int64_t user_id) {
  if (!p.can("activities.read")) return Error::forbidden();
  const auto rows = c.query(
      "SELECT u.display_name, u.department_id, d.name FROM users u LEFT JOIN departments d ON d.id = u.department_id "
      "WHERE u.id = ?",
      {user_id});
  if (rows.empty() || !auth::can_see(p, user_id, rows.front().optional_integer("department_id"))) {
    return Error::not_found("user");
  }
  return Person{rows.front().text(0), rows.front().optional_text("name").value_or("")};
}

// A titled table form: title, one info line, headers, rows.
Expected<std::string> table_form(const std::string& title, const std::string& info,
                                 const std::vector<std::pair<std::string, double>>& columns,
                                 const std::vector<std::vector<std::string>>& rows) {
  sheets::XlsxWriter x;
  x.add_sheet(title);
  x.print_setup(true);
  const int last = static_cast<int>(columns.size()) - 1;
  x.merge(0, 0, 0, last, title, Style::title);
  x.set_row_height(0, 30);
  x.merge(1, 0, 1, last, info, Style::note);
  for (int i = 0; i <= last; ++i) {
    x.set_column_width(i, i, columns[static_cast<std::size_t>(i)].second);
    x.write(2, i, columns[static_cast<std::size_t>(i)].first, Style::header);
  }
  int r = 3;
  for (const auto& row : rows) {
    for (int i = 0; i <= last; ++i)
      x.write(r, i, sheets::neutralize_formula(row[static_cast<std::size_t>(i)]), Style::value);
    ++r;
  }
  // Paper forms leave blank lines to fill by hand.
  for (int blank = 0; blank < std::max(0, 8 - static_cast<int>(rows.size())); ++blank, ++r) {
    for (int i = 0; i <= last; ++i) x.write(r, i, "", Style::value);
  }
  return x.finish();
}

std::string week_info(const Person& who, const IsoWeek& week) {
  const auto start = format_instant(week_start(week));
  const auto end = format_instant(week_start(week) + std::chrono::hours(24 * 6));
  return "姓名：" + who.name + "    部门：" + who.department + "    周次：" + week.text() + "（" + start.substr(0, 10) +
         " 至 " + end.substr(0, 10) + "）";
}

Expected<IsoWeek> week_of(const std::string& text) {
  auto w = parse_iso_week(text);
  if (!w)
    return Error(Error::Code::bad_request, "invalid query parameters", {{"week", "must be an ISO week like 2026-W48"}});
  return *w;
}

std::string opt(const db::Row& r, const char* name) {
  return r.optional_text(name).value_or("");
}

constexpr const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
constexpr const char* kHtmlType = "text/html; charset=utf-8";

// text::html_escape, with line breaks kept as <br>.
std::string escape_html(const std::string& text) {
  std::string out;
  for (char ch : text::html_escape(text)) {
    if (ch == '\n')
      out += "<br>";
    else
      out += ch;
  }
  return out;
}

// A printable page (A4, bordered cells) with the same content as the XLSX.
std::string html_page(const std::string& title, const std::string& info, const std::string& body, bool landscape) {
  return "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" + escape_html(title) +
         "</title><style>@page{size:A4 " + std::string(landscape ? "landscape" : "portrait") +
         ";margin:12mm}body{font-family:sans-serif;font-size:12px}h1{text-align:center;font-size:20px}"
         "table{border-collapse:collapse;width:100%}th,td{border:1px solid #333;padding:4px 6px;vertical-align:top}"
         "th{background:#eee}.info{margin:8px 0}td.label{background:#f5f5f5;font-weight:bold;width:20%}</style>"
         "</head><body><h1>" +
         escape_html(title) + "</h1>" + (info.empty() ? "" : "<div class=\"info\">" + escape_html(info) + "</div>") +
         body + "</body></html>";
}

std::string html_table(const std::vector<std::pair<std::string, double>>& columns,
                       const std::vector<std::vector<std::string>>& rows) {
  std::string out = "<table><thead><tr>";
  for (const auto& column : columns) out += "<th>" + escape_html(column.first) + "</th>";
  out += "</tr></thead><tbody>";
  for (const auto& row : rows) {
    out += "<tr>";
    for (const auto& cell : row) out += "<td>" + escape_html(cell) + "</td>";
    out += "</tr>";
  }
  // Blank lines to fill by hand, as on paper.
  for (std::size_t blank = rows.size(); blank < 8; ++blank) {
    out += "<tr>";
    for (std::size_t i = 0; i < columns.size(); ++i) out += "<td>&nbsp;</td>";
    out += "</tr>";
  }
  return out + "</tbody></table>";
}

// The table form in the asked format.
Expected<FormFile> table_file(FormFormat format, const std::string& title, const std::string& info,
                              const std::vector<std::pair<std::string, double>>& columns,
                              const std::vector<std::vector<std::string>>& rows, const std::string& name) {
  if (format == FormFormat::html) {
    return FormFile{name + ".html", html_page(title, info, html_table(columns, rows), true), kHtmlType};
  }
  auto bytes = table_form(title, info, columns, rows);
  if (!bytes) return bytes.error();
  return FormFile{name + ".xlsx", std::move(*bytes), kXlsxType};
}

}  // namespace

Expected<FormFile> visit_plan_form(db::Connection& c, const auth::Principal& p, std::int64_t user_id,
                                   const std::string& week_text, FormFormat format) {
  auto week = week_of(week_text);
  if (!week) return week.error();
  auto who = visible_person(c, p, user_id);
  if (!who) return who.error();
  const auto from = format_instant(week_start(*week));
  const auto to = format_instant(week_start(*week) + std::chrono::hours(24 * 7));
  std::vector<std::vector<std::string>> rows;
  for (const auto& r :
       c.query("SELECT p.planned_at, a.name, p.contacts_to_meet, p.purpose, p.materials, p.our_participants, "
               "p.expected_outcome, p.status FROM visit_plans p JOIN accounts a ON a.id = p.account_id "
               "WHERE p.owner_id = ? AND p.planned_at >= ? AND p.planned_at < ? AND p.deleted_at IS NULL "
               "ORDER BY p.planned_at, p.id",
               {user_id, from, to})) {
    rows.push_back({local_time(r.text(0)), r.text(1), opt(r, "contacts_to_meet"), opt(r, "purpose"),
                    opt(r, "materials"), opt(r, "our_participants"), opt(r, "expected_outcome"),
                    label("status", r.text(7))});
  }
  return table_file(format, "客户拜访计划表", week_info(*who, *week),
                    {{"拜访时间", 17},
                     {"客户名称", 24},
                     {"拟拜访人员", 16},
                     {"拜访目的", 26},
                     {"需准备资料", 22},
                     {"我方参加人员", 16},
                     {"预期效果", 24},
                     {"状态", 8}},
                    rows, "客户拜访计划表-" + who->name + "-" + week->text());
}

Expected<FormFile> contact_log_form(db::Connection& c, const auth::Principal& p, std::int64_t user_id,
                                    const std::string& week_text, FormFormat format) {
  auto week = week_of(week_text);
  if (!week) return week.error();
  auto who = visible_person(c, p, user_id);
  if (!who) return who.error();
  const auto from = format_instant(week_start(*week));
  const auto to = format_instant(week_start(*week) + std::chrono::hours(24 * 7));
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : c.query(
           "SELECT l.occurred_at, a.name, ct.name AS contact_name, l.kind, l.content, l.result, l.next_step "
           "FROM contact_logs l JOIN accounts a ON a.id = l.account_id LEFT JOIN contacts ct ON ct.id = l.contact_id "
           "WHERE l.owner_id = ? AND l.occurred_at >= ? AND l.occurred_at < ? AND l.deleted_at IS NULL "
           "ORDER BY l.occurred_at, l.id",
           {user_id, from, to})) {
    rows.push_back({local_time(r.text(0)), r.text(1), opt(r, "contact_name"), label("kind", r.text(3)),
                    opt(r, "content"), opt(r, "result"), opt(r, "next_step")});
  }
  return table_file(
      format, "客户联络表", week_info(*who, *week),
      {{"时间", 17}, {"客户名称", 24}, {"联系人", 12}, {"方式", 8}, {"联络内容", 34}, {"结果", 24}, {"下一步", 24}},
      rows, "客户联络表-" + who->name + "-" + week->text());
}

Expected<FormFile> visit_record_form(db::Connection& c, const auth::Principal& p, std::int64_t visit_id,
                                     FormFormat format) {
  if (!p.can("activities.read")) return Error::forbidden();
  auto visit = accounts::get_record(c, p, visit_table(), visit_id);
  if (!visit) return visit.error();
  const auto& v = *visit;
  auto s = [&](const char* name) { return v.contains(name) && v[name].is_string() ? v[name].get<std::string>() : ""; };
  std::string checkin;
  if (v["checkin_latitude"].is_number()) {
    checkin = fmt::format("{:.5f}, {:.5f}", v["checkin_latitude"].get<double>(), v["checkin_longitude"].get<double>());
    if (v["checkin_accuracy_m"].is_number())
      checkin += fmt::format("（精度 {:.0f} 米）", v["checkin_accuracy_m"].get<double>());
    checkin += "  " + local_time(s("checkin_at"));
  }
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"客户名称", s("account_name")},
      {"拜访时间", local_time(s("occurred_at"))},
      {"拜访地点", s("place")},
      {"拜访方式", label("method", s("method"))},
      {"客户方参加人员", s("customer_participants")},
      {"我方参加人员", s("our_participants")},
      {"拜访人", s("owner_name")},
      {"现场签到", checkin},
      {"拜访要点", s("key_points")},
      {"客户意见", s("customer_views")},
      {"进一步发展的建议", s("suggestions")},
      {"下一步工作", s("next_steps")},
      {"回访期限", v["follow_up"].is_object() ? local_time(v["follow_up"]["due_at"].get<std::string>()) : ""},
  };
  const std::string name = "客户拜访记录表-" + s("account_name") + "-" + local_time(s("occurred_at")).substr(0, 10);
  if (format == FormFormat::html) {
    std::string body = "<table>";
    for (const auto& [field, value] : fields) {
      body += "<tr><td class=\"label\">" + escape_html(field) + "</td><td>" + escape_html(value) + "</td></tr>";
    }
    return FormFile{name + ".html", html_page("客户拜访记录表", "", body + "</table>", false), kHtmlType};
  }
  sheets::XlsxWriter x;
  x.add_sheet("客户拜访记录表");
  x.print_setup(false);
  x.set_column_width(0, 0, 18);
  x.set_column_width(1, 1, 60);
  x.merge(0, 0, 0, 1, "客户拜访记录表", Style::title);
  x.set_row_height(0, 30);
  int r = 1;
  for (const auto& [name, value] : fields) {
    x.write(r, 0, name, Style::label);
    x.write(r, 1, sheets::neutralize_formula(value), Style::value);
    if (value.size() > 60) x.set_row_height(r, 15.0 * static_cast<double>(1 + value.size() / 90));
    ++r;
  }
  auto bytes = x.finish();
  if (!bytes) return bytes.error();
  return FormFile{name + ".xlsx", std::move(*bytes), kXlsxType};
}

Expected<FormFile> relationship_form(db::Connection& c, const auth::Principal& p, std::int64_t account_id,
                                     FormFormat format) {
  if (!p.can("activities.read")) return Error::forbidden();
  if (auto s = accounts::require_visible_account(c, p, account_id); !s) return s.error();
  const auto account = c.query("SELECT name, relationship_stage FROM accounts WHERE id = ?", {account_id});
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : c.query(
           "SELECT ct.name AS contact_name, ct.title, t.current_level, t.measure, ru.display_name AS responsible, "
           "t.deadline, t.result, t.status FROM relationship_actions t LEFT JOIN contacts ct ON ct.id = t.contact_id "
           "LEFT JOIN users ru ON ru.id = t.responsible_id WHERE t.account_id = ? AND t.deleted_at IS NULL "
           "ORDER BY t.id",
           {account_id})) {
    const auto level = r.optional_integer("current_level");
    rows.push_back({opt(r, "contact_name"), opt(r, "title"), level ? std::to_string(*level) : "", opt(r, "measure"),
                    opt(r, "responsible"), opt(r, "deadline"), opt(r, "result"), label("status", r.text(7))});
  }
  static const std::map<std::string, std::string> stages = {
      {"establish", "建立"}, {"stabilize", "稳定"}, {"strengthen", "加强"}};
  const auto stage = account.front().text(1);
  const auto it = stages.find(stage);
  return table_file(
      format, "客户关系强化表",
      "客户名称：" + account.front().text(0) + "    关系阶段：" + (it == stages.end() ? stage : it->second),
      {{"关键联系人", 14},
       {"职务", 14},
       {"目前关系程度", 12},
       {"强化措施", 34},
       {"负责人", 10},
       {"期限", 12},
       {"结果", 26},
       {"状态", 8}},
      rows, "客户关系强化表-" + account.front().text(0));
}

}  // namespace kam::activities

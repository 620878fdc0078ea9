// The paper forms of requests: 礼品馈赠申请表 and 客户接待申请表 with their
// approval trail (审批记录), as XLSX (platform/sheets) and as a printable
// HTML page. One model feeds both renderings so they stay in step.
#include <map>

#include "approvals/approvals.hpp"
#include "platform/core/text.hpp"
#include "platform/sheets/sheets.hpp"

namespace kam::approvals {

using nlohmann::json;

namespace {

struct Cell {
  std::string label;
  std::string value;
  bool wide = false;  // takes the whole row
};

struct Grid {
  std::string title;  // section band; empty: none
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};

struct RequestForm {
  std::string title;
  std::string number;
  std::string date;
  std::vector<Cell> cells;
  std::vector<Grid> grids;
};

std::string text(const json& r, const char* key) {
  if (!r.contains(key) || r[key].is_null()) return "";
  if (r[key].is_string()) return r[key].get<std::string>();
  return r[key].dump();
}

std::string yuan(const json& r, const char* key) {
  if (!r.contains(key) || !r[key].is_number_integer()) return "";
  return accounts::fen_to_yuan(r[key].get<std::int64_t>());
}

std::string status_zh(const std::string& status) {
  static const std::map<std::string, std::string> names = {
      {"draft", "草稿"},      {"pending", "审批中"},   {"approved", "已批准"}, {"rejected", "已驳回"},
      {"returned", "已退回"}, {"withdrawn", "已撤回"}, {"waiting", "待审"},    {"preview", "预览"}};
  auto it = names.find(status);
  return it == names.end() ? status : it->second;
}

std::string action_zh(const std::string& action) {
  static const std::map<std::string, std::string> names = {
      {"submit", "提交"}, {"approve", "同意"}, {"reject", "驳回"}, {"return", "退回修改"}, {"withdraw", "撤回"}};
  auto it = names.find(action);
  return it == names.end() ? action : it->second;
}

std::string when(const std::string& instant) {
  // 2026-11-29T09:07:09.123Z → 2026-11-29 09:07 (UTC)
  if (instant.size() < 16) return instant;
  return instant.substr(0, 10) + " " + instant.substr(11, 5);
}

RequestForm build(const json& r) {
  RequestForm f;
  const bool gift = r["kind"] == kGift;
  f.title = gift ? "礼品馈赠申请表" : "客户接待申请表";
  f.number = std::string(gift ? "LP-" : "JD-") + text(r, "id");
  f.date =
      text(r, "submitted_at").empty() ? text(r, "created_at").substr(0, 10) : text(r, "submitted_at").substr(0, 10);
  if (gift) {
    f.cells = {{"客户名称", text(r, "account_name"), true},
               {"受礼人", text(r, "recipient_name")},
               {"职务", text(r, "recipient_title")},
               {"礼品名称", text(r, "gift_name")},
               {"数量", text(r, "quantity")},
               {"单价（元）", yuan(r, "unit_price_fen")},
               {"金额合计（元）", yuan(r, "total_fen")},
               {"赠送日期", text(r, "gift_date")},
               {"关联商机", text(r, "opportunity_id")},
               {"馈赠事由", text(r, "occasion"), true}};
  } else {
    std::string people;
    for (const auto& v : r["visitors"]) {
      people += (people.empty() ? "" : "，") + text(v, "name") +
                (text(v, "title").empty() ? "" : "（" + text(v, "title") + "）");
    }
    f.cells = {{"客户名称", text(r, "account_name"), true},
               {"来访单位", text(r, "visitor_company")},
               {"来访人数", text(r, "visitor_count")},
               {"来访人员", people, true},
               {"接待日期", text(r, "start_date") + " 至 " + text(r, "end_date")},
               {"关联商机", text(r, "opportunity_id")},
               {"接待事由", text(r, "purpose"), true},
               {"行程安排", text(r, "itinerary"), true},
               {"住宿安排", text(r, "lodging"), true},
               {"用餐安排", text(r, "meals"), true},
               {"交通安排", text(r, "transport"), true},
               {"我方陪同人员", text(r, "hosts"), true}};
    Grid budget{"费用预算", {"项目", "金额（元）"}, {}};
    for (const auto& line : r["budget_lines"]) budget.rows.push_back({text(line, "item"), yuan(line, "amount_fen")});
    budget.rows.push_back({"合计", yuan(r, "total_fen")});
    f.grids.push_back(std::move(budget));
  }
  f.cells.push_back({"申请人", text(r, "owner_name")});
  f.cells.push_back({"状态", status_zh(text(r, "status")) + (r.value("over_budget", false) ? "（超预算）" : "")});
  Grid steps{"审批流程", {"步骤", "审批人", "状态", "意见", "时间"}, {}};
  for (const auto& s : r["steps"]) {
    std::string approvers;
    for (const auto& a : s["approvers"]) approvers += (approvers.empty() ? "" : "、") + text(a, "display_name");
    const std::string decided = text(s, "decided_by_name");
    steps.rows.push_back({text(s, "position") + ". " + text(s, "name"), decided.empty() ? approvers : decided,
                          status_zh(text(s, "status")), text(s, "comment"), when(text(s, "decided_at"))});
  }
  f.grids.push_back(std::move(steps));
  Grid trail{"审批记录", {"时间", "经办人", "操作", "意见", "轮次"}, {}};
  for (const auto& e : r["trail"]) {
    trail.rows.push_back({when(text(e, "at")), text(e, "user_name"), action_zh(text(e, "action")), text(e, "comment"),
                          text(e, "round")});
  }
  f.grids.push_back(std::move(trail));
  return f;
}

// The XLSX grid has four columns: label | value | label | value; tables of a
// section use up to five columns.
Expected<std::string> render_xlsx(const RequestForm& f) {
  using sheets::Style;
  sheets::XlsxWriter w;
  w.add_sheet(f.title);
  w.print_setup(false);
  w.set_column_width(0, 0, 18);
  w.set_column_width(1, 1, 24);
  w.set_column_width(2, 2, 14);
  w.set_column_width(3, 4, 22);
  int row = 0;
  w.set_row_height(row, 32);
  w.merge(row, 0, row, 4, f.title, Style::title);
  ++row;
  w.write(row, 0, "编号：", Style::plain);
  w.write(row, 1, f.number, Style::plain);
  w.write(row, 2, "申请日期：", Style::plain);
  w.merge(row, 3, row, 4, f.date, Style::plain);
  ++row;
  bool half = false;
  for (const auto& cell : f.cells) {
    const std::string value = sheets::neutralize_formula(cell.value);
    if (cell.wide && half) {
      w.write(row, 2, "", Style::label);
      w.merge(row, 3, row, 4, "", Style::value);
      ++row;
      half = false;
    }
    if (cell.wide) {
      w.write(row, 0, cell.label, Style::label);
      w.merge(row, 1, row, 4, value, Style::value);
      if (value.size() > 80) w.set_row_height(row, 15.0 * static_cast<double>(1 + value.size() / 80));
      ++row;
      continue;
    }
    if (!half) {
      w.write(row, 0, cell.label, Style::label);
      w.write(row, 1, value, Style::value);
      half = true;
    } else {
      w.write(row, 2, cell.label, Style::label);
      w.merge(row, 3, row, 4, value, Style::value);
      ++row;
      half = false;
    }
  }
  if (half) {
    w.write(row, 2, "", Style::label);
    w.merge(row, 3, row, 4, "", Style::value);
    ++row;
  }
  for (const auto& grid : f.grids) {
    w.merge(row, 0, row, 4, grid.title, Style::section);
    ++row;
    const int columns = static_cast<int>(grid.headers.size());
    auto put = [&](const std::vector<std::string>& cells, Style style) {
      for (int c = 0; c < columns; ++c) {
        const auto& v = sheets::neutralize_formula(cells[static_cast<std::size_t>(c)]);
        if (columns == 2 && c == 1) {
          w.merge(row, 1, row, 4, v, style);
        } else {
          w.write(row, c, v, style);
        }
      }
      ++row;
    };
    put(grid.headers, Style::label);
    if (grid.rows.empty()) {
      w.merge(row, 0, row, 4, "（无）", Style::value);
      ++row;
    }
    for (const auto& r : grid.rows) put(r, Style::value);
  }
  ++row;
  w.write(row, 0, "申请人签字：", Style::plain);
  w.write(row, 2, "审批人签字：", Style::plain);
  return w.finish();
}

std::string render_html(const RequestForm& f) {
  std::string h =
      "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" + text::html_escape(f.title) + " " +
      text::html_escape(f.number) +
      "</title>\n<style>\n"
      "@page { size: A4; margin: 15mm; }\n"
      "body { font-family: 'SimSun', 'Songti SC', serif; color: #000; margin: 0 auto; max-width: 190mm; }\n"
      "h1 { text-align: center; font-size: 22pt; letter-spacing: 0.3em; margin: 8mm 0 4mm; }\n"
      ".meta { display: flex; justify-content: space-between; margin-bottom: 2mm; }\n"
      "table { width: 100%; border-collapse: collapse; table-layout: fixed; }\n"
      "th, td { border: 1px solid #000; padding: 2mm; vertical-align: top; word-wrap: break-word; font-size: "
      "10.5pt; }\n"
      "th { background: #f2f2f2; text-align: left; }\n"
      "td.section { background: #ddebf7; font-weight: bold; }\n"
      ".sign { display: flex; justify-content: space-between; margin-top: 8mm; }\n"
      "@media print { .noprint { display: none; } }\n"
      "</style></head><body>\n"
      "<p class=\"noprint\"><button onclick=\"window.print()\">打印 Print</button></p>\n<h1>" +
      text::html_escape(f.title) + "</h1>\n<div class=\"meta\"><span>编号：" + text::html_escape(f.number) +
      "</span><span>申请日期：" + text::html_escape(f.date) + "</span></div>\n<table>\n";
  bool open = false;
  for (const auto& cell : f.cells) {
    if (cell.wide) {
      if (open) h += "<th></th><td colspan=\"2\"></td></tr>\n";
      open = false;
      h += "<tr><th>" + text::html_escape(cell.label) + "</th><td colspan=\"4\">" + text::html_escape(cell.value) +
           "</td></tr>\n";
      continue;
    }
    if (!open) {
      h += "<tr><th>" + text::html_escape(cell.label) + "</th><td>" + text::html_escape(cell.value) + "</td>";
    } else {
      h += "<th>" + text::html_escape(cell.label) + "</th><td colspan=\"2\">" + text::html_escape(cell.value) +
           "</td></tr>\n";
    }
    open = !open;
  }
  if (open) h += "<th></th><td colspan=\"2\"></td></tr>\n";
  for (const auto& grid : f.grids) {
    h += "<tr><td class=\"section\" colspan=\"5\">" + text::html_escape(grid.title) + "</td></tr>\n<tr>";
    const bool pair = grid.headers.size() == 2;
    for (std::size_t i = 0; i < grid.headers.size(); ++i) {
      h += std::string(pair && i == 1 ? "<th colspan=\"4\">" : "<th>") + text::html_escape(grid.headers[i]) + "</th>";
    }
    h += "</tr>\n";
    if (grid.rows.empty()) h += "<tr><td colspan=\"5\">（无）</td></tr>\n";
    for (const auto& r : grid.rows) {
      h += "<tr>";
      for (std::size_t i = 0; i < r.size(); ++i) {
        h += std::string(pair && i == 1 ? "<td colspan=\"4\">" : "<td>") + text::html_escape(r[i]) + "</td>";
      }
      h += "</tr>\n";
    }
  }
  h += "</table>\n<div class=\"sign\"><span>申请人签字：______________</span><span>审批人签字：______________</span>"
       "</div>\n</body></html>\n";
  return h;
}

}  // namespace

Expected<accounts::FileReply> request_form(db::Connection& c, const auth::Principal& p, const std::string& kind,
                                           std::int64_t id, const std::string& format) {
  auto request = get_request(c, p, kind, id);
  if (!request) return request.error();
  const auto form = build(*request);
  const std::string stem = form.title + "-" + form.number;
  if (format == "html") return accounts::FileReply{"text/html; charset=utf-8", stem + ".html", render_html(form)};
  auto bytes = render_xlsx(form);
  if (!bytes) return bytes.error();
  return accounts::FileReply{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", stem + ".xlsx",
                             std::move(*bytes)};
}

}  // namespace kam::approvals

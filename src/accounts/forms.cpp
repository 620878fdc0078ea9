#include "accounts/forms.hpp"

#include "contacts/contacts.hpp"
#include "platform/core/text.hpp"

namespace kam::accounts {

using nlohmann::json;

namespace {

std::string opt(const std::optional<std::string>& v) {
  return v.value_or("");
}
std::string opt(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : "";
}
std::string label(const std::string& field, const std::optional<std::string>& v) {
  return v ? label_zh(field, *v) : "";
}

std::string chinese_date(const std::string& iso) {
  if (iso.size() < 10) return iso;
  auto strip = [](std::string s) { return s.size() == 2 && s[0] == '0' ? s.substr(1) : s; };
  return iso.substr(0, 4) + "年" + strip(iso.substr(5, 2)) + "月" + strip(iso.substr(8, 2)) + "日";
}

std::string text_of(const json& record, const char* key) {
  if (!record.contains(key) || record[key].is_null()) return "";
  if (record[key].is_string()) return record[key].get<std::string>();
  return record[key].dump();
}

}  // namespace

ArchiveForm archive_form(const Account& a, const json& contacts) {
  ArchiveForm form;
  form.archive_no = a.archive_no;
  form.filed_on = chinese_date(a.created_at);
  const std::string place = opt(a.province) + (a.city && a.city != a.province ? " " + *a.city : "");
  form.sections = {
      {"一、公司基本情况",
       {{"客户名称", a.name, true},
        {"统一社会信用代码", opt(a.credit_code)},
        {"所有制", label("ownership_type", a.ownership_type)},
        {"所属行业", opt(a.industry)},
        {"成立年份", opt(a.founded_year)},
        {"所在地区", place},
        {"员工人数", opt(a.employees)},
        {"详细地址", opt(a.address), true},
        {"年营业额（元）", a.annual_revenue_fen ? fen_to_yuan(*a.annual_revenue_fen) : ""},
        {"公司网址", opt(a.website)}}},
      {"二、经营状况",
       {{"经营状况", opt(a.business_status), true},
        {"采购模式", label("procurement_mode", a.procurement_mode)},
        {"客户类型", label("customer_kind", a.customer_kind)}}},
      {"三、需求与偏好",
       {{"主要需求", opt(a.needs), true},
        {"客户偏好", opt(a.preferences), true},
        {"价格敏感度", label("price_sensitivity", a.price_sensitivity)},
        {"关系阶段", label_zh("relationship_stage", a.relationship_stage)}}},
      {"五、客户分类",
       {{"客户等级", opt(a.tier)},
        {"市场阶段", label("market_stage", a.market_stage)},
        {"分级理由", opt(a.tier_override_reason), true},
        {"客户类型", label("customer_kind", a.customer_kind)},
        {"是否公海", a.in_pool() ? "是" : "否"}}},
      {"六、客户负责人",
       {{"负责人", opt(a.owner_name)},
        {"所属部门", opt(a.department_name)},
        {"负责起始", opt(a.owned_since).substr(0, 10)},
        {"最近活动", opt(a.last_activity_at).substr(0, 10)}}},
  };
  form.contact_headers = {"姓名", "职务", "部门", "电话", "采购角色", "态度"};
  if (contacts.is_array()) {
    for (const auto& c : contacts) {
      if (text_of(c, "status") == "left") continue;
      form.contacts.push_back({text_of(c, "name"), text_of(c, "title"), text_of(c, "department"), text_of(c, "phone"),
                               label_zh("buying_role", text_of(c, "buying_role")),
                               label_zh("attitude", text_of(c, "attitude"))});
    }
  }
  return form;
}

// The XLSX grid has six columns: label | value value | label | value value.
Expected<std::string> render_form_xlsx(const ArchiveForm& form) {
  using sheets::Style;
  sheets::XlsxWriter w;
  w.add_sheet("客户档案表");
  w.print_setup(false);
  w.set_column_width(0, 0, 16);
  w.set_column_width(1, 2, 14);
  w.set_column_width(3, 3, 16);
  w.set_column_width(4, 5, 14);
  int row = 0;
  w.set_row_height(row, 32);
  w.merge(row, 0, row, 5, "客户档案表", Style::title);
  ++row;
  w.write(row, 0, "档案编号：", Style::plain);
  w.merge(row, 1, row, 2, form.archive_no, Style::plain);
  w.write(row, 3, "建档日期：", Style::plain);
  w.merge(row, 4, row, 5, form.filed_on, Style::plain);
  ++row;
  auto contacts_section = [&] {
    w.merge(row, 0, row, 5, "四、主要联系人", Style::section);
    ++row;
    for (int c = 0; c < 6; ++c) w.write(row, c, form.contact_headers[static_cast<std::size_t>(c)], Style::label);
    ++row;
    if (form.contacts.empty()) {
      w.merge(row, 0, row, 5, "（暂无联系人）", Style::value);
      ++row;
    }
    for (const auto& contact : form.contacts) {
      for (int c = 0; c < 6; ++c) w.write(row, c, contact[static_cast<std::size_t>(c)], Style::value);
      ++row;
    }
  };
  for (const auto& section : form.sections) {
    if (section.title.rfind("五", 0) == 0) contacts_section();
    w.merge(row, 0, row, 5, section.title, Style::section);
    ++row;
    int half = 0;  // 0: next field starts a row; 1: the right half is free
    for (const auto& field : section.fields) {
      if (field.wide) {
        if (half == 1) {
          w.write(row, 3, "", Style::label);
          w.merge(row, 4, row, 5, "", Style::value);
          ++row;
          half = 0;
        }
        w.write(row, 0, field.label, Style::label);
        w.merge(row, 1, row, 5, field.value, Style::value);
        if (field.value.size() > 60) w.set_row_height(row, 15.0 * static_cast<double>(1 + field.value.size() / 60));
        ++row;
        continue;
      }
      const int column = half == 0 ? 0 : 3;
      w.write(row, column, field.label, Style::label);
      w.merge(row, column + 1, row, column + 2, field.value, Style::value);
      if (half == 1) ++row;
      half = 1 - half;
    }
    if (half == 1) {
      w.write(row, 3, "", Style::label);
      w.merge(row, 4, row, 5, "", Style::value);
      ++row;
    }
  }
  ++row;
  w.write(row, 0, "填表人：", Style::plain);
  w.write(row, 3, "审核：", Style::plain);
  return w.finish();
}

std::string render_form_html(const ArchiveForm& form) {
  std::string h =
      "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>客户档案表 " +
      text::html_escape(form.archive_no) +
      "</title>\n<style>\n"
      "@page { size: A4; margin: 15mm; }\n"
      "body { font-family: 'SimSun', 'Songti SC', serif; color: #000; margin: 0 auto; max-width: 190mm; }\n"
      "h1 { text-align: center; font-size: 22pt; letter-spacing: 0.5em; margin: 8mm 0 4mm; }\n"
      ".meta { display: flex; justify-content: space-between; margin-bottom: 2mm; }\n"
      "table { width: 100%; border-collapse: collapse; table-layout: fixed; margin-bottom: 0; }\n"
      "th, td { border: 1px solid #000; padding: 2mm; vertical-align: top; word-wrap: break-word; font-size: 10.5pt; "
      "}\n"
      "th { background: #f2f2f2; font-weight: bold; text-align: left; width: 16%; }\n"
      "td.section { background: #ddebf7; font-weight: bold; }\n"
      ".sign { display: flex; justify-content: space-between; margin-top: 8mm; }\n"
      "@media print { .noprint { display: none; } }\n"
      "</style></head><body>\n"
      "<p class=\"noprint\"><button onclick=\"window.print()\">打印 Print</button></p>\n"
      "<h1>客户档案表</h1>\n<div class=\"meta\"><span>档案编号：" +
      text::html_escape(form.archive_no) + "</span><span>建档日期：" + text::html_escape(form.filed_on) +
      "</span></div>\n<table>\n<colgroup><col style=\"width:16%\"><col style=\"width:17%\"><col style=\"width:17%\">"
      "<col style=\"width:16%\"><col style=\"width:17%\"><col style=\"width:17%\"></colgroup>\n";
  auto contacts_section = [&] {
    h += "<tr><td class=\"section\" colspan=\"6\">四、主要联系人</td></tr>\n<tr>";
    for (const auto& header : form.contact_headers) h += "<th>" + text::html_escape(header) + "</th>";
    h += "</tr>\n";
    if (form.contacts.empty()) h += "<tr><td colspan=\"6\">（暂无联系人）</td></tr>\n";
    for (const auto& contact : form.contacts) {
      h += "<tr>";
      for (const auto& cell : contact) h += "<td>" + text::html_escape(cell) + "</td>";
      h += "</tr>\n";
    }
  };
  for (const auto& section : form.sections) {
    if (section.title.rfind("五", 0) == 0) contacts_section();
    h += "<tr><td class=\"section\" colspan=\"6\">" + text::html_escape(section.title) + "</td></tr>\n";
    bool open = false;
    for (const auto& field : section.fields) {
      if (field.wide) {
        if (open) h += "<th></th><td colspan=\"2\"></td></tr>\n";
        open = false;
        h += "<tr><th>" + text::html_escape(field.label) + "</th><td colspan=\"5\">" + text::html_escape(field.value) +
             "</td></tr>\n";
        continue;
      }
      if (!open) h += "<tr>";
      h += "<th>" + text::html_escape(field.label) + "</th><td colspan=\"2\">" + text::html_escape(field.value) +
           "</td>";
      if (open) h += "</tr>\n";
      open = !open;
    }
    if (open) h += "<th></th><td colspan=\"2\"></td></tr>\n";
  }
  h += "</table>\n<div class=\"sign\"><span>填表人：______________</span><span>审核：______________</span></div>\n"
       "</body></html>\n";
  return h;
}

Expected<FileReply> archive_form_file(db::Connection& c, const auth::Principal& p, std::int64_t account_id,
                                      const std::string& format) {
  auto account = get_account(c, p, account_id);
  if (!account) return account.error();
  json contacts = json::array();
  if (auto center = contacts::buying_center(c, p, account_id); center && center->contains("contacts")) {
    contacts = (*center)["contacts"];
  }
  const auto form = archive_form(*account, contacts);
  const std::string stem = "客户档案表-" + account->archive_no;
  if (format == "html") return FileReply{"text/html; charset=utf-8", stem + ".html", render_form_html(form)};
  auto bytes = render_form_xlsx(form);
  if (!bytes) return bytes.error();
  return FileReply{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", stem + ".xlsx",
                   std::move(*bytes)};
}

}  // namespace kam::accounts

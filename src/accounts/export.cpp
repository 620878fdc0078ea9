#include "accounts/export.hpp"

#include <algorithm>
#include <map>

#include "platform/core/clock.hpp"

namespace kam::accounts {

namespace {

bool export_permitted(const auth::Principal& p) {
  const auto& known = auth::known_permissions();
  if (std::find(known.begin(), known.end(), "accounts.export") == known.end()) return p.can("accounts.read");
  return p.can("accounts.export") && p.can("accounts.read");
}

std::string opt(const std::optional<std::string>& v) {
  return v.value_or("");
}
std::string opt(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : "";
}
std::string label(const std::string& field, const std::optional<std::string>& v) {
  return v ? label_zh(field, *v) : "";
}

}  // namespace

std::string label_zh(const std::string& field, const std::string& code) {
  static const std::map<std::string, std::map<std::string, std::string>> labels = {
      {"ownership_type",
       {{"state_owned", "国有"},
        {"private", "民营"},
        {"foreign", "外资"},
        {"joint_venture", "合资"},
        {"collective", "集体"},
        {"other", "其他"}}},
      {"procurement_mode", {{"centralized", "集中采购"}, {"decentralized", "分散采购"}}},
      {"customer_kind", {{"channel", "渠道"}, {"end_user", "终端"}}},
      {"price_sensitivity", {{"high", "高"}, {"medium", "中"}, {"low", "低"}}},
      {"market_stage", {{"mature", "成熟"}, {"development", "发展"}, {"rectification", "整改"}}},
      {"relationship_stage", {{"establish", "建立"}, {"stabilize", "稳定"}, {"strengthen", "强化"}}},
      {"buying_role",
       {{"decision_maker", "决策者"},
        {"influencer", "影响者"},
        {"user", "使用者"},
        {"gatekeeper", "把关者"},
        {"insider", "内线"}}},
      {"attitude", {{"supporter", "支持"}, {"neutral", "中立"}, {"opponent", "反对"}}},
      {"status", {{"active", "在职"}, {"left", "离职"}}},
  };
  auto f = labels.find(field);
  if (f == labels.end()) return code;
  auto it = f->second.find(code);
  return it == f->second.end() ? code : it->second;
}

std::string fen_to_yuan(std::int64_t fen) {
  const bool negative = fen < 0;
  const auto magnitude = negative ? -(fen + 1) + 1 : fen;  // avoids overflow at INT64_MIN
  std::string cents = std::to_string(magnitude % 100);
  if (cents.size() < 2) cents = "0" + cents;
  return (negative ? "-" : "") + std::to_string(magnitude / 100) + "." + cents;
}

sheets::Table export_table(const std::vector<Account>& accounts) {
  sheets::Table table;
  table.push_back({"档案编号", "客户名称", "统一社会信用代码", "行业",         "省份",     "城市",
                   "地址",     "所有制",   "员工人数",         "年营业额(元)", "成立年份", "网址",
                   "经营状况", "采购模式", "客户类型",         "需求",         "偏好",     "价格敏感度",
                   "客户等级", "分级理由", "市场阶段",         "关系阶段",     "负责人",   "部门",
                   "最近活动", "建档日期", "更新时间"});
  for (const auto& a : accounts) {
    sheets::Row row = {a.archive_no,
                       a.name,
                       opt(a.credit_code),
                       opt(a.industry),
                       opt(a.province),
                       opt(a.city),
                       opt(a.address),
                       label("ownership_type", a.ownership_type),
                       opt(a.employees),
                       a.annual_revenue_fen ? fen_to_yuan(*a.annual_revenue_fen) : "",
                       opt(a.founded_year),
                       opt(a.website),
                       opt(a.business_status),
                       label("procurement_mode", a.procurement_mode),
                       label("customer_kind", a.customer_kind),
                       opt(a.needs),
                       opt(a.preferences),
                       label("price_sensitivity", a.price_sensitivity),
                       opt(a.tier),
                       opt(a.tier_override_reason),
                       label("market_stage", a.market_stage),
                       label_zh("relationship_stage", a.relationship_stage),
                       opt(a.owner_name),
                       opt(a.department_name),
                       opt(a.last_activity_at),
                       a.created_at.substr(0, 10),
                       a.updated_at};
    for (auto& cell : row) cell = sheets::neutralize_formula(cell);
    table.push_back(std::move(row));
  }
  return table;
}

Expected<FileReply> export_accounts(db::Connection& c, const auth::Principal& p, ListQuery query,
                                    const std::string& format) {
  if (!export_permitted(p)) return Error::forbidden();
  if (format != "csv" && format != "xlsx") return Error::invalid({{"format", "must be csv or xlsx"}});
  auto all = list_all_accounts(c, p, query);
  if (!all) return all.error();
  const auto table = export_table(*all);
  const std::string stem = "客户档案-" + now_text().substr(0, 10);
  if (format == "csv") return FileReply{"text/csv; charset=utf-8", stem + ".csv", sheets::write_csv(table)};
  auto bytes = sheets::table_to_xlsx(table, "客户档案");
  if (!bytes) return bytes.error();
  return FileReply{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", stem + ".xlsx",
                   std::move(*bytes)};
}

}  // namespace kam::accounts

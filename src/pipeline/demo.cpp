#include "pipeline/demo.hpp"

#include <string>
#include <vector>

#include "pipeline/pipeline.hpp"
#include "platform/core/clock.hpp"

namespace kam::pipeline {

namespace {
// Params built one by one: null where the stage has not produced the evidence.
void text_or_null(db::Params& p, bool present, const std::string& value) {
  if (present) {
    p.emplace_back(value);
  } else {
    p.emplace_back(nullptr);
  }
}
void number_or_null(db::Params& p, bool present, std::int64_t value) {
  if (present) {
    p.emplace_back(value);
  } else {
    p.emplace_back(nullptr);
  }
}
}  // namespace

void load_demo(db::Connection& c) {
  const auto now_s = epoch_seconds(now_text()).value_or(0);
  const auto day = [&](std::int64_t offset) { return iso_of_epoch(now_s + offset * 86400); };
  const auto accounts = c.query(
      "SELECT id, owner_id, department_id, name FROM accounts WHERE owner_id IS NOT NULL AND deleted_at IS NULL "
      "ORDER BY id LIMIT 90");
  const char* lines[] = {",瓦楞纸箱,", ",彩盒,", ",标签,", ",瓦楞纸箱,彩盒,", ",食品级包材,"};
  const char* projects[] = {"年度包材替换", "新产线配套", "出口包装升级", "电商物流箱", "环保包材试点"};
  const char* lost_reasons[] = {"price", "competitor", "delivery", "quality"};
  db::Transaction tx(c, true);
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    const auto& a = accounts[i];
    const auto n = static_cast<std::int64_t>(i);
    std::int64_t stage = 1 + n % 5;
    std::string status = "open";
    if (n % 9 == 7) {
      status = "won";
      stage = 5;
    } else if (n % 9 == 8) {
      status = "lost";
    } else if (n % 11 == 10) {
      status = "terminated";
      stage = 1;
    }
    const auto created = day(-40 - n % 60 - stage * 12);
    const std::int64_t ago = 1 + n * 7 % 70;  // days in the current stage: a few open ones are stalled
    const auto entered = day(-ago);
    const std::int64_t value = (5 + n * 37 % 200) * 1000000;  // 5万..205万 元, in fen
    const bool s1 = stage > 1 || status == "won";
    const bool terminated = status == "terminated";
    db::Params p;
    p.emplace_back(a.integer(0));
    p.emplace_back(a.text(3) + projects[i % 5]);
    p.emplace_back(std::string(lines[i % 5]));
    p.emplace_back(value);
    p.emplace_back(day(10 + n * 11 % 350).substr(0, 10));
    p.emplace_back(stage);
    p.emplace_back(status);
    p.emplace_back(entered);
    number_or_null(p, stage >= 3, 20 + n * 13 % 70);
    p.emplace_back(a.integer(1));
    p.push_back(a.at(2));
    text_or_null(p, s1, "经营" + std::to_string(5 + i % 20) + "年");
    text_or_null(p, s1, "员工" + std::to_string(200 + i * 37 % 3000) + "人");
    text_or_null(p, s1, "稳定增长");
    text_or_null(p, s1, "新产线需要稳定的包材供应");
    text_or_null(p, s1, i % 2 ? "high" : "medium");
    text_or_null(p, s1, "两家本地供应商");
    text_or_null(p, s1, "交期不稳，质量波动");
    text_or_null(p, s1 || terminated, terminated ? "no_go" : "go");
    text_or_null(p, s1 || terminated, terminated ? "需求量太小" : "需求明确，预算已批");
    text_or_null(p, stage > 2, "月需求约2万件，食品级");
    p.emplace_back(std::string(stage > 3 ? "[\"老供应商关系深\",\"价格敏感\"]" : "[]"));
    number_or_null(p, stage > 3, value / 50);
    number_or_null(p, status == "won", value - value / 20);
    text_or_null(p, status == "won", day(-(n % 300)).substr(0, 10));
    text_or_null(p, status == "lost", lost_reasons[i % 4]);
    text_or_null(p, status != "open", entered);
    p.emplace_back(created);
    p.emplace_back(entered);
    const auto id =
        c.query(
             "INSERT INTO opportunities (account_id, name, product_lines, expected_value_fen, expected_close_date, "
             "stage, status, stage_entered_at, win_probability, owner_id, department_id, customer_business_age, "
             "customer_scale, customer_status, potential_need, need_urgency, supplier_structure, supplier_problems, "
             "go_decision, go_reason, requirements, obstacles, expected_cost_fen, won_value_fen, won_date, "
             "lost_reason_code, closed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
             "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
             p)
            .front()
            .integer(0);
    // Stage k was entered (stage - k) * 9 days before the current one; the
    // demo has no samples or touchpoints, so later stages say they were
    // entered by an override with the reason that the data was imported.
    for (std::int64_t s = 1; s <= stage; ++s) {
      const bool left = s < stage || status != "open";
      const auto stage_in = s == stage ? entered : (s == 1 ? created : day(-ago - (stage - s) * 9));
      const auto stage_out = s < stage ? day(-ago - (stage - s - 1) * 9) : entered;
      db::Params h;
      h.emplace_back(id);
      h.emplace_back(s);
      h.emplace_back(stage_in);
      text_or_null(h, left, stage_out);
      h.emplace_back(a.integer(1));
      number_or_null(h, left, a.integer(1));
      h.emplace_back(static_cast<std::int64_t>(s > 1));
      text_or_null(h, s > 1, "演示数据：按导入的阶段建立");
      h.emplace_back(a.integer(1));
      h.push_back(a.at(2));
      number_or_null(h, left, *epoch_seconds(stage_out) - *epoch_seconds(stage_in));
      c.query(
          "INSERT INTO opportunity_stage_history (opportunity_id, stage, entered_at, exited_at, entered_by, "
          "exited_by, override, override_reason, owner_id, department_id, duration_seconds) VALUES (?, ?, ?, ?, ?, "
          "?, ?, ?, ?, ?, ?)",
          h);
    }
  }
  rebuild_tally(c);
  tx.commit();
}

}  // namespace kam::pipeline

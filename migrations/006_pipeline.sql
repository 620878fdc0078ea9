-- The five-stage development pipeline (大客户开发流程, issue 4): opportunities
-- (开发项目) with their evidence (samples, plan steps, touchpoints, closing
-- records), stage history, the gate checklists as data, the lost-reason
-- taxonomy and the stalled thresholds per stage.

CREATE TABLE opportunities (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  product_lines TEXT NOT NULL DEFAULT '',  -- ",line a,line b," (delimited so a line filter is one instr)
  expected_value_fen BIGINT NOT NULL DEFAULT 0,
  expected_close_date TEXT,                -- ISO date
  stage BIGINT NOT NULL DEFAULT 1,         -- 1..5
  status TEXT NOT NULL DEFAULT 'open',     -- open | won | lost | terminated
  stage_entered_at TEXT NOT NULL,          -- last stage change (drives "stalled")
  win_probability BIGINT,                  -- 0..100
  owner_id BIGINT REFERENCES users(id),
  department_id BIGINT REFERENCES departments(id),
  -- stage 1 evidence (确定开发对象)
  customer_business_age TEXT,              -- 经营年限
  customer_scale TEXT,                     -- 规模
  customer_status TEXT,                    -- 现状
  potential_need TEXT,                     -- 潜在需求
  need_urgency TEXT,                       -- high | medium | low
  supplier_structure TEXT,                 -- 现有供应商结构
  supplier_problems TEXT,                  -- 现有供应商的问题
  go_decision TEXT,                        -- go | no_go
  go_reason TEXT,
  -- stage 2 evidence
  requirements TEXT,                       -- 需求说明
  -- stage 3 evidence (价值评估)
  obstacles TEXT NOT NULL DEFAULT '[]',    -- JSON array of strings
  expected_cost_fen BIGINT,
  -- closing
  won_value_fen BIGINT,
  won_date TEXT,
  lost_reason_code TEXT,
  close_note TEXT,
  closed_at TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
-- Board and lists of one owner, scoped lists by department, an account's tab.
CREATE INDEX opportunities_owner ON opportunities (owner_id, status, stage, id);
CREATE INDEX opportunities_department ON opportunities (department_id, status, stage, id);
CREATE INDEX opportunities_account ON opportunities (account_id, id);
-- Stalled (open by stage and stage entry). Funnel (by status and stage),
-- forecast (open by close month, won by won date): covering, so the company-wide
-- aggregates read only the index (scope columns and deleted_at included).
CREATE INDEX opportunities_status_stage ON opportunities (status, stage, stage_entered_at);
CREATE INDEX opportunities_funnel ON opportunities (status, stage, expected_value_fen, win_probability, won_value_fen, owner_id, department_id, deleted_at);
CREATE INDEX opportunities_status_close ON opportunities (status, expected_close_date, expected_value_fen, win_probability, owner_id, department_id, deleted_at);
CREATE INDEX opportunities_status_won ON opportunities (status, won_date, won_value_fen, owner_id, department_id, deleted_at);

CREATE TABLE opportunity_stage_history (
  id {{id}},
  opportunity_id BIGINT NOT NULL REFERENCES opportunities(id),
  stage BIGINT NOT NULL,
  entered_at TEXT NOT NULL,
  exited_at TEXT,
  entered_by BIGINT REFERENCES users(id),  -- who moved it into this stage
  exited_by BIGINT REFERENCES users(id),
  override BIGINT NOT NULL DEFAULT 0,      -- 1: entered by a manager's gate override
  override_reason TEXT
);
CREATE INDEX opportunity_stage_history_opportunity ON opportunity_stage_history (opportunity_id, id);
CREATE INDEX opportunity_stage_history_stage ON opportunity_stage_history (stage, opportunity_id);

CREATE TABLE opportunity_samples (
  id {{id}},
  opportunity_id BIGINT NOT NULL REFERENCES opportunities(id),
  specification TEXT NOT NULL,             -- the agreed specification
  quantity BIGINT NOT NULL,
  requested_on TEXT NOT NULL,              -- ISO date
  delivered_on TEXT,
  requested_by BIGINT REFERENCES users(id),
  result TEXT NOT NULL DEFAULT 'pending',  -- pending | passed | failed
  signed_off_by BIGINT REFERENCES users(id),
  signed_off_at TEXT,
  note TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX opportunity_samples_opportunity ON opportunity_samples (opportunity_id, id);

CREATE TABLE opportunity_plan_steps (
  id {{id}},
  opportunity_id BIGINT NOT NULL REFERENCES opportunities(id),
  title TEXT NOT NULL,
  owner_id BIGINT REFERENCES users(id),
  due_date TEXT,
  done BIGINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX opportunity_plan_steps_opportunity ON opportunity_plan_steps (opportunity_id, id);

-- A recorded touchpoint with a contact of the account (stage 4).
CREATE TABLE opportunity_touchpoints (
  id {{id}},
  opportunity_id BIGINT NOT NULL REFERENCES opportunities(id),
  contact_id BIGINT NOT NULL REFERENCES contacts(id),
  touched_on TEXT NOT NULL,
  summary TEXT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX opportunity_touchpoints_opportunity ON opportunity_touchpoints (opportunity_id, contact_id);

-- Stage 5 records: executive meeting, site inspection / factory audit, system support.
CREATE TABLE opportunity_closing_records (
  id {{id}},
  opportunity_id BIGINT NOT NULL REFERENCES opportunities(id),
  kind TEXT NOT NULL,                      -- executive_meeting | site_inspection | factory_audit | system_support
  held_on TEXT NOT NULL,
  summary TEXT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX opportunity_closing_records_opportunity ON opportunity_closing_records (opportunity_id, kind);

-- The gate checklists as data; the checker (src/pipeline/gates.cpp) knows the kinds.
CREATE TABLE gate_items (
  id {{id}},
  stage BIGINT NOT NULL,
  code TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,                      -- field | equals | count | decision_makers_level | decision_makers_touched
  params TEXT NOT NULL DEFAULT '{}',       -- JSON object
  label_zh TEXT NOT NULL,
  label_en TEXT NOT NULL,
  enabled BIGINT NOT NULL DEFAULT 1,
  position BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX gate_items_stage ON gate_items (stage, position);

INSERT INTO gate_items (stage, code, kind, params, label_zh, label_en, position) VALUES
 (1, 's1_business_age', 'field', '{"field":"customer_business_age"}', '已记录客户经营年限', 'Business age of the customer recorded', 1),
 (1, 's1_scale', 'field', '{"field":"customer_scale"}', '已记录客户规模', 'Scale of the customer recorded', 2),
 (1, 's1_status', 'field', '{"field":"customer_status"}', '已记录客户现状', 'Current status of the customer recorded', 3),
 (1, 's1_need', 'field', '{"field":"potential_need"}', '已记录潜在需求', 'Potential need recorded', 4),
 (1, 's1_urgency', 'field', '{"field":"need_urgency"}', '已评估需求紧迫性（为何增加或更换供应商）', 'Urgency of the need assessed (why add or change a supplier)', 5),
 (1, 's1_suppliers', 'field', '{"field":"supplier_structure"}', '已记录现有供应商结构', 'Current supplier structure recorded', 6),
 (1, 's1_supplier_problems', 'field', '{"field":"supplier_problems"}', '已记录现有供应商的问题', 'Problems of the current suppliers recorded', 7),
 (1, 's1_go', 'equals', '{"field":"go_decision","value":"go"}', '已作出“开发”决定并说明理由', 'A go decision with its reason', 8),
 (2, 's2_sample', 'count', '{"count":"samples_passed","min":1}', '至少一个样品通过技术确认（由申请人以外的人签字）', 'At least one sample passed technical sign-off (by someone other than the requester)', 1),
 (2, 's2_insider', 'count', '{"count":"insiders","min":1}', '已确定内线', 'An insider identified', 2),
 (2, 's2_requirements', 'field', '{"field":"requirements"}', '已记录客户需求', 'Requirements documented', 3),
 (3, 's3_probability', 'field', '{"field":"win_probability"}', '已评估成交概率', 'Win probability assessed', 1),
 (3, 's3_obstacles', 'count', '{"count":"obstacles","min":1}', '已列出开发障碍', 'Obstacles listed', 2),
 (3, 's3_cost', 'field', '{"field":"expected_cost_fen"}', '已估算开发成本', 'Expected cost of winning estimated', 3),
 (3, 's3_plan', 'count', '{"count":"plan_steps","min":1}', '已制定开发计划（步骤、负责人、期限）', 'A development plan of steps with owner and due date', 4),
 (4, 's4_decision_makers', 'count', '{"count":"decision_makers","min":1}', '已确定关键决策人', 'Decision makers identified', 1),
 (4, 's4_relationship', 'decision_makers_level', '{"min_level":3}', '每位关键决策人的关系等级达到要求', 'Every decision maker at the minimum relationship level', 2),
 (4, 's4_touchpoints', 'decision_makers_touched', '{"min":1}', '与每位关键决策人至少有一次接触记录', 'At least one touchpoint with every decision maker', 3),
 (5, 's5_executive_meeting', 'count', '{"count":"executive_meetings","min":1}', '已举行高层会晤', 'Executive meeting held', 1),
 (5, 's5_inspection', 'count', '{"count":"inspections","min":1}', '已完成考察/验厂', 'Site inspection or factory audit done', 2),
 (5, 's5_system_support', 'count', '{"count":"system_support","min":1}', '已提供系统支持', 'System support provided', 3);

-- Lost reasons (输单原因), a configurable taxonomy.
CREATE TABLE lost_reasons (
  code TEXT PRIMARY KEY,
  label_zh TEXT NOT NULL,
  label_en TEXT NOT NULL,
  enabled BIGINT NOT NULL DEFAULT 1,
  position BIGINT NOT NULL DEFAULT 0
);
INSERT INTO lost_reasons (code, label_zh, label_en, position) VALUES
 ('price', '价格', 'Price', 1),
 ('quality', '质量', 'Quality', 2),
 ('delivery', '交期', 'Delivery time', 3),
 ('relationship', '关系', 'Relationship', 4),
 ('competitor', '竞品替代', 'Replaced by a competitor', 5),
 ('need_cancelled', '客户需求取消', 'Customer cancelled the need', 6),
 ('other', '其他', 'Other', 7);

-- Days without a stage change after which an open opportunity is stalled.
CREATE TABLE pipeline_stage_settings (
  stage BIGINT PRIMARY KEY,
  stalled_days BIGINT NOT NULL
);
INSERT INTO pipeline_stage_settings (stage, stalled_days) VALUES (1, 30), (2, 45), (3, 30), (4, 60), (5, 45);

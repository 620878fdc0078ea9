-- Visits and contact (拜访与联络, issue 5): visit plans and records, tasks with
-- the follow-up rule, contact logs, weekly reports, relationship actions and
-- stage changes, events, and the calendar feed tokens.
--
-- Sized for 10M activity rows: every list reads an index in its own order
-- (account timeline: account_id + occurred_at; a person's week: owner_id +
-- occurred_at; open tasks: owner_id + status + due_at) and pages by keyset.

CREATE TABLE visit_plans (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  owner_id BIGINT NOT NULL REFERENCES users(id),   -- who plans to visit
  department_id BIGINT,
  planned_at TEXT NOT NULL,        -- ISO instant
  contacts_to_meet TEXT,           -- 拟拜访人员
  purpose TEXT,                    -- 拜访目的
  materials TEXT,                  -- 需准备资料
  our_participants TEXT,           -- 我方参加人员
  expected_outcome TEXT,           -- 预期效果
  status TEXT NOT NULL DEFAULT 'planned',  -- planned | done | cancelled
  visit_id BIGINT,                 -- the visit that carried it out
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX visit_plans_account ON visit_plans (account_id, planned_at);
CREATE INDEX visit_plans_owner ON visit_plans (owner_id, planned_at);

CREATE TABLE visits (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  owner_id BIGINT NOT NULL REFERENCES users(id),   -- the visitor
  department_id BIGINT,
  plan_id BIGINT REFERENCES visit_plans(id),
  occurred_at TEXT NOT NULL,       -- the visit's own time (not when it was recorded)
  place TEXT,
  method TEXT NOT NULL DEFAULT 'in_person',  -- in_person | phone | video
  customer_participants TEXT,
  our_participants TEXT,
  key_points TEXT,                 -- 拜访要点
  customer_views TEXT,             -- 客户意见
  suggestions TEXT,                -- 进一步发展的建议
  next_steps TEXT,
  checkin_latitude DOUBLE PRECISION,
  checkin_longitude DOUBLE PRECISION,
  checkin_accuracy_m DOUBLE PRECISION,
  checkin_at TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX visits_account ON visits (account_id, occurred_at);
CREATE INDEX visits_owner ON visits (owner_id, occurred_at);

-- 待办. owner_id is the assignee (so the data scope applies as to accounts).
CREATE TABLE tasks (
  id {{id}},
  title TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'manual',   -- follow_up | manual | decision_maker_left | pool_recovery
  owner_id BIGINT NOT NULL REFERENCES users(id),
  department_id BIGINT,
  due_at TEXT NOT NULL,
  urgent BIGINT NOT NULL DEFAULT 0,
  important BIGINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'open',   -- open | done | cancelled
  entity TEXT,                           -- linked record: visit | account | contact ...
  entity_id BIGINT,
  account_id BIGINT REFERENCES accounts(id),
  notes TEXT,
  completed_at TEXT,
  follow_up_method TEXT,                 -- phone | visit | video | message (a follow-up's record)
  customer_opinion TEXT,
  created_by BIGINT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX tasks_owner ON tasks (owner_id, status, due_at);
-- A department's open follow-ups by due date (overdue lists), and its
-- follow-ups by due date with what compliance reads (index-only).
CREATE INDEX tasks_department_open ON tasks (department_id, kind, status, due_at, owner_id) WHERE deleted_at IS NULL;
CREATE INDEX tasks_department_due ON tasks (department_id, kind, due_at, status, completed_at, owner_id) WHERE deleted_at IS NULL;
CREATE INDEX tasks_entity ON tasks (entity, entity_id);
CREATE INDEX tasks_account ON tasks (account_id, completed_at);

CREATE TABLE contact_logs (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  owner_id BIGINT NOT NULL REFERENCES users(id),
  department_id BIGINT,
  contact_id BIGINT REFERENCES contacts(id),
  kind TEXT NOT NULL,              -- call | email | meeting | message
  occurred_at TEXT NOT NULL,
  content TEXT,
  result TEXT,
  next_step TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX contact_logs_account ON contact_logs (account_id, occurred_at);
CREATE INDEX contact_logs_owner ON contact_logs (owner_id, occurred_at);

CREATE TABLE weekly_reports (
  id {{id}},
  owner_id BIGINT NOT NULL REFERENCES users(id),
  department_id BIGINT,
  week TEXT NOT NULL,              -- ISO week 2026-W48
  summary TEXT,
  status TEXT NOT NULL DEFAULT 'draft',  -- draft | submitted | reviewed
  content TEXT,                    -- generated content, frozen at submission (JSON)
  submitted_at TEXT,
  manager_comment TEXT,
  reviewed_by BIGINT,
  reviewed_at TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX weekly_reports_owner_week ON weekly_reports (owner_id, week);
CREATE INDEX weekly_reports_week ON weekly_reports (week, department_id);

-- 客户关系强化表
CREATE TABLE relationship_actions (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  contact_id BIGINT REFERENCES contacts(id),
  current_level BIGINT,            -- 1..5
  measure TEXT NOT NULL,           -- strengthening measure
  responsible_id BIGINT REFERENCES users(id),
  deadline TEXT,                   -- ISO date
  result TEXT,
  status TEXT NOT NULL DEFAULT 'open',   -- open | done
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX relationship_actions_account ON relationship_actions (account_id, id);

-- Relationship stage moves (establish → stabilize → strengthen and back).
CREATE TABLE relationship_stage_changes (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  from_stage TEXT,
  to_stage TEXT NOT NULL,
  reason TEXT,
  changed_by BIGINT,
  occurred_at TEXT NOT NULL
);
CREATE INDEX relationship_stage_changes_account ON relationship_stage_changes (account_id, occurred_at);

-- 产品介绍会 / 研讨会
CREATE TABLE events (
  id {{id}},
  owner_id BIGINT NOT NULL REFERENCES users(id),
  department_id BIGINT,
  topic TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'presentation',  -- presentation | seminar
  starts_at TEXT NOT NULL,
  place TEXT,
  description TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX events_starts ON events (starts_at);

CREATE TABLE event_invitations (
  id {{id}},
  event_id BIGINT NOT NULL REFERENCES events(id),
  contact_id BIGINT NOT NULL REFERENCES contacts(id),
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  status TEXT NOT NULL DEFAULT 'invited',  -- invited | accepted | declined | attended | absent
  lead_note TEXT,                  -- what came of it (a lead)
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX event_invitations_pair ON event_invitations (event_id, contact_id);

-- The secret iCalendar feed of a user (one at a time; deleting revokes it).
CREATE TABLE calendar_feeds (
  user_id BIGINT PRIMARY KEY REFERENCES users(id),
  token TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX calendar_feeds_token ON calendar_feeds (token);

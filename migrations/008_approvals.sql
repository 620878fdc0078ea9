-- Approvals (issue 6): gift requests (礼品馈赠申请表) and reception requests
-- (客户接待申请表) in one table, the approval chains as data, the concrete
-- steps a submission resolved to (with a snapshot of their approvers), the
-- approval trail, and budgets per account, period and kind.

-- A chain per kind; its steps in order. A step applies when min_amount_fen is
-- null or the total exceeds it, or (when_over_budget = 1) when the request is
-- over the remaining budget. resolver: department_manager | role:<code>.
CREATE TABLE approval_chains (
  id {{id}},
  kind TEXT NOT NULL UNIQUE,                  -- gift | reception
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE approval_chain_steps (
  id {{id}},
  chain_id BIGINT NOT NULL REFERENCES approval_chains(id),
  position BIGINT NOT NULL,                   -- 1, 2, ...
  name TEXT NOT NULL,                         -- shown on the request (部门经理审批)
  resolver TEXT NOT NULL,                     -- department_manager | role:<code>
  min_amount_fen BIGINT,                      -- applies only above this total (null: always)
  when_over_budget INTEGER NOT NULL DEFAULT 0, -- 1: applies as well when over budget
  UNIQUE (chain_id, position)
);

-- The default chains of SPEC §4: KA manager → marketing director (above
-- ¥5,000 or over budget) → finance.
INSERT INTO approval_chains (kind, created_at, updated_at) VALUES ('gift', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
INSERT INTO approval_chains (kind, created_at, updated_at) VALUES ('reception', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
INSERT INTO approval_chain_steps (chain_id, position, name, resolver, min_amount_fen, when_over_budget)
  SELECT id, 1, '大客户部经理审批', 'department_manager', NULL, 0 FROM approval_chains;
INSERT INTO approval_chain_steps (chain_id, position, name, resolver, min_amount_fen, when_over_budget)
  SELECT id, 2, '营销总监审批', 'role:director', 500000, 1 FROM approval_chains;
INSERT INTO approval_chain_steps (chain_id, position, name, resolver, min_amount_fen, when_over_budget)
  SELECT id, 3, '财务审核', 'role:finance', NULL, 0 FROM approval_chains;

-- Both kinds of request. Common columns first; the gift and reception
-- columns are null on the other kind. Money in fen.
CREATE TABLE approval_requests (
  id {{id}},
  kind TEXT NOT NULL,                         -- gift | reception
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  opportunity_id BIGINT,                      -- optional link to the pipeline (no FK yet: issue 4 owns opportunities)
  owner_id BIGINT NOT NULL REFERENCES users(id),  -- the submitter
  department_id BIGINT REFERENCES departments(id),
  status TEXT NOT NULL DEFAULT 'draft',       -- draft | pending | approved | rejected | returned | withdrawn
  round BIGINT NOT NULL DEFAULT 0,            -- submissions so far; a resubmission starts a new round of steps
  current_step BIGINT NOT NULL DEFAULT 0,     -- position of the step waiting (0: none)
  total_fen BIGINT NOT NULL DEFAULT 0,
  spend_date TEXT NOT NULL,                   -- ISO date the spend falls on (gift date, reception start)
  over_budget INTEGER NOT NULL DEFAULT 0,     -- at the last submission
  -- gift
  occasion TEXT,                              -- 馈赠事由
  gift_date TEXT,
  recipient_name TEXT,
  recipient_title TEXT,
  contact_id BIGINT,
  gift_name TEXT,
  quantity BIGINT,
  unit_price_fen BIGINT,
  -- reception
  visitor_company TEXT,
  visitors TEXT,                              -- JSON [{name, title}]
  visitor_count BIGINT,
  purpose TEXT,                               -- 接待事由
  start_date TEXT,
  end_date TEXT,
  itinerary TEXT,
  lodging TEXT,
  meals TEXT,
  transport TEXT,
  budget_lines TEXT,                          -- JSON [{item, amount_fen}]
  hosts TEXT,
  submitted_at TEXT,
  decided_at TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX approval_requests_owner ON approval_requests (owner_id, id);
CREATE INDEX approval_requests_department ON approval_requests (department_id, id);
CREATE INDEX approval_requests_account ON approval_requests (account_id, kind, status, spend_date);
CREATE INDEX approval_requests_kind_status ON approval_requests (kind, status, id);
CREATE INDEX approval_requests_opportunity ON approval_requests (opportunity_id) WHERE opportunity_id IS NOT NULL;

-- The steps a submission resolved to. status: waiting | pending | approved |
-- rejected | returned | withdrawn (the step that was current when the
-- request was withdrawn).
CREATE TABLE approval_request_steps (
  id {{id}},
  request_id BIGINT NOT NULL REFERENCES approval_requests(id),
  round BIGINT NOT NULL,
  position BIGINT NOT NULL,
  name TEXT NOT NULL,
  resolver TEXT NOT NULL,
  status TEXT NOT NULL,
  decided_by BIGINT REFERENCES users(id),
  comment TEXT,
  decided_at TEXT,
  UNIQUE (request_id, round, position)
);

-- Who may decide a step, resolved at submission (a snapshot: later changes of
-- roles or departments do not move a request already on its way).
-- `pending` is 1 while the step waits for a decision (kept in step with the
-- step's status by every transition) so the inbox is one small index range
-- even for finance, who is an approver of nearly every request.
CREATE TABLE approval_step_approvers (
  step_id BIGINT NOT NULL REFERENCES approval_request_steps(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  pending INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (step_id, user_id)
);
CREATE INDEX approval_step_approvers_user ON approval_step_approvers (user_id, step_id);
CREATE INDEX approval_step_approvers_inbox ON approval_step_approvers (user_id, step_id) WHERE pending = 1;

-- The approval trail as the paper form shows it: every submit and decision
-- with who, when and the comment.
CREATE TABLE approval_events (
  id {{id}},
  request_id BIGINT NOT NULL REFERENCES approval_requests(id),
  round BIGINT NOT NULL,
  position BIGINT NOT NULL,                   -- the step decided (0 for submit / withdraw by the submitter)
  action TEXT NOT NULL,                       -- submit | approve | reject | return | withdraw
  user_id BIGINT NOT NULL REFERENCES users(id),
  comment TEXT,
  at TEXT NOT NULL
);
CREATE INDEX approval_events_request ON approval_events (request_id, id);

-- Budgets per account, kind and period (2026-Q4 or 2026). The committed spend
-- is computed from approved requests whose spend_date falls in the period.
CREATE TABLE budgets (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  kind TEXT NOT NULL,                         -- gift | reception
  period TEXT NOT NULL,                       -- 2026-Q4 | 2026
  period_start TEXT NOT NULL,                 -- first day (ISO date)
  period_end TEXT NOT NULL,                   -- last day (ISO date)
  amount_fen BIGINT NOT NULL,
  notes TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (account_id, kind, period)
);

-- The complete customer archive (客户档案): account fields, contacts and the
-- buying centre, secondary customers (二级客户) with growth records,
-- competitors (竞争对手), the customer pool (公海) settings and claims,
-- saved list views, and leases for background jobs.

ALTER TABLE accounts ADD COLUMN credit_code TEXT;            -- 统一社会信用代码, 18 chars, GB 32100-2015
ALTER TABLE accounts ADD COLUMN ownership_type TEXT;         -- 所有制: state_owned, private, foreign, joint_venture, collective, other
ALTER TABLE accounts ADD COLUMN employees BIGINT;
ALTER TABLE accounts ADD COLUMN annual_revenue_fen BIGINT;   -- money in fen
ALTER TABLE accounts ADD COLUMN founded_year BIGINT;
ALTER TABLE accounts ADD COLUMN website TEXT;
ALTER TABLE accounts ADD COLUMN business_status TEXT;        -- 经营状况 (free text)
ALTER TABLE accounts ADD COLUMN procurement_mode TEXT;       -- centralized | decentralized
ALTER TABLE accounts ADD COLUMN customer_kind TEXT;          -- channel | end_user
ALTER TABLE accounts ADD COLUMN needs TEXT;
ALTER TABLE accounts ADD COLUMN preferences TEXT;
ALTER TABLE accounts ADD COLUMN price_sensitivity TEXT;      -- high | medium | low
ALTER TABLE accounts ADD COLUMN tier TEXT;                   -- A | B | C
ALTER TABLE accounts ADD COLUMN tier_override_reason TEXT;
ALTER TABLE accounts ADD COLUMN market_stage TEXT;           -- mature | development | rectification
ALTER TABLE accounts ADD COLUMN relationship_stage TEXT NOT NULL DEFAULT 'establish'; -- establish | stabilize | strengthen
ALTER TABLE accounts ADD COLUMN last_activity_at TEXT;       -- ISO instant; drives pool recovery
ALTER TABLE accounts ADD COLUMN owned_since TEXT;            -- when the current owner got it (claim/transfer)

CREATE UNIQUE INDEX accounts_credit_code ON accounts (credit_code) WHERE credit_code IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX accounts_province_city ON accounts (province, city, id);
CREATE INDEX accounts_industry ON accounts (industry, id);
CREATE INDEX accounts_tier ON accounts (tier, id);
CREATE INDEX accounts_customer_kind ON accounts (customer_kind, id);
CREATE INDEX accounts_last_activity ON accounts (last_activity_at);

CREATE TABLE contacts (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  title TEXT,                    -- 职务
  department TEXT,               -- the customer's department
  phone TEXT,
  email TEXT,
  buying_role TEXT,              -- decision_maker | influencer | user | gatekeeper | insider
  attitude TEXT,                 -- supporter | neutral | opponent
  relationship_level BIGINT,     -- 1..5
  status TEXT NOT NULL DEFAULT 'active',  -- active | left
  notes TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX contacts_account ON contacts (account_id, id);
CREATE INDEX contacts_name ON contacts (name);

CREATE TABLE secondary_customers (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL,            -- direct_retailer | indirect_retailer | mixed_dealer
  contact_name TEXT,
  phone TEXT,
  province TEXT,
  city TEXT,
  address TEXT,
  business_status TEXT,          -- 经营状况
  resources TEXT,                -- 经营资源: outlets, vehicles, staff, warehouses ...
  notes TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX secondary_customers_account ON secondary_customers (account_id, id);

CREATE TABLE secondary_customer_growth (
  id {{id}},
  secondary_customer_id BIGINT NOT NULL REFERENCES secondary_customers(id),
  recorded_on TEXT NOT NULL,     -- ISO date
  revenue_fen BIGINT,            -- sales in the period, fen
  outlets BIGINT,                -- number of outlets / points of sale
  note TEXT,
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX secondary_customer_growth_customer ON secondary_customer_growth (secondary_customer_id, recorded_on);

CREATE TABLE competitors (
  id {{id}},
  name TEXT NOT NULL,
  website TEXT,
  main_products TEXT,
  strengths TEXT,
  weaknesses TEXT,
  notes TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE UNIQUE INDEX competitors_name ON competitors (name) WHERE deleted_at IS NULL;

CREATE TABLE account_competitors (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  competitor_id BIGINT NOT NULL REFERENCES competitors(id),
  products TEXT,                 -- what they supply to this account
  price_level TEXT,              -- higher | similar | lower (than ours)
  share_percent BIGINT,          -- estimated share of the account's purchases, 0..100
  strengths TEXT,
  weaknesses TEXT,
  notes TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE UNIQUE INDEX account_competitors_pair ON account_competitors (account_id, competitor_id) WHERE deleted_at IS NULL;

-- Admin settings as JSON values, e.g. 'pool' → {"max_owned_per_user":200,...}.
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL
);

-- Every ownership change of an account (claim, release, transfer, recover, import).
CREATE TABLE account_ownership_log (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  action TEXT NOT NULL,          -- claim | release | transfer | recover | import
  from_user_id BIGINT,
  to_user_id BIGINT,
  by_user_id BIGINT,
  at TEXT NOT NULL
);
CREATE INDEX account_ownership_log_account ON account_ownership_log (account_id, id);
CREATE INDEX account_ownership_log_claims ON account_ownership_log (by_user_id, action, at);

CREATE TABLE saved_views (
  id {{id}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  entity TEXT NOT NULL,          -- 'accounts'
  name TEXT NOT NULL,
  query TEXT NOT NULL,           -- JSON object of list parameters (q, sort, filters)
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX saved_views_user ON saved_views (user_id, entity);

-- One holder at a time per background job across all servers.
CREATE TABLE job_leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at TEXT NOT NULL
);

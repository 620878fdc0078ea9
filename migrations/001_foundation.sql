-- Foundation: organisation, users and roles, sessions, audit, counters and
-- the first resource (accounts) with its Chinese substring search index.
-- Instants are ISO-8601 UTC text; booleans are 0/1 integers.

CREATE TABLE departments (
  id {{id}},
  name TEXT NOT NULL,
  parent_id BIGINT REFERENCES departments(id),
  path TEXT {{bytewise}} NOT NULL DEFAULT '/', -- materialised path of ids: '/1/4/9/' (range-queried)
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX departments_parent ON departments (parent_id);
CREATE INDEX departments_path ON departments (path);

CREATE TABLE roles (
  id {{id}},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL,
  permissions TEXT NOT NULL,               -- space separated permission keys
  data_scope TEXT NOT NULL CHECK (data_scope IN ('self', 'department', 'department_tree', 'all')),
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE users (
  id {{id}},
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  display_name TEXT NOT NULL,
  email TEXT,
  phone TEXT,
  department_id BIGINT REFERENCES departments(id),
  active INTEGER NOT NULL DEFAULT 1,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX users_department ON users (department_id);

CREATE TABLE user_roles (
  user_id BIGINT NOT NULL REFERENCES users(id),
  role_id BIGINT NOT NULL REFERENCES roles(id),
  PRIMARY KEY (user_id, role_id)
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,             -- BLAKE2b of the bearer token; the token itself is never stored
  user_id BIGINT NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_attempts (
  username TEXT PRIMARY KEY,
  failures BIGINT NOT NULL,
  window_started_at TEXT NOT NULL
);

CREATE TABLE audit_log (
  id {{id}},
  at TEXT NOT NULL,
  user_id BIGINT,
  entity TEXT NOT NULL,
  entity_id BIGINT NOT NULL,
  action TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);

CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);

CREATE TABLE accounts (
  id {{id}},
  archive_no TEXT {{bytewise}} UNIQUE,     -- 档案编号 KA-YYYY-NNNNNN (prefix-searched as a range)
  name TEXT NOT NULL,
  search_key TEXT NOT NULL,                -- normalised name for substring verification
  industry TEXT,
  province TEXT,
  city TEXT,
  address TEXT,
  owner_id BIGINT REFERENCES users(id),
  department_id BIGINT REFERENCES departments(id),
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX accounts_owner ON accounts (owner_id, id);
CREATE INDEX accounts_department ON accounts (department_id, id);
CREATE INDEX accounts_name ON accounts (name, id);
CREATE INDEX accounts_created ON accounts (created_at, id);
CREATE INDEX accounts_updated ON accounts (updated_at, id);

-- Bigram postings: every distinct pair of adjacent characters of the
-- normalised name (a one-character name posts itself). Two-character
-- Chinese queries such as 华为 are one index range.
CREATE TABLE account_search (
  gram TEXT NOT NULL,
  account_id BIGINT NOT NULL,
  PRIMARY KEY (gram, account_id)
) {{without_rowid}};

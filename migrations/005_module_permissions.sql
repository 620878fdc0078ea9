-- Permissions of the pipeline (issue 4), visits and activities (issue 5) and
-- gift/reception requests (issue 6), added to the seeded roles of databases created
-- before them (new databases get them from kSeedRoles in src/auth/service.cpp -
-- keep the two in step). A word is added only when missing.

UPDATE roles SET permissions = trim(permissions || ' opportunities.read'), version = version + 1
 WHERE code IN ('admin', 'director', 'manager', 'specialist', 'assistant', 'finance')
   AND instr(' ' || permissions || ' ', ' opportunities.read ') = 0;

UPDATE roles SET permissions = trim(permissions || ' opportunities.write'), version = version + 1
 WHERE code IN ('admin', 'director', 'manager', 'specialist', 'assistant')
   AND instr(' ' || permissions || ' ', ' opportunities.write ') = 0;

UPDATE roles SET permissions = trim(permissions || ' opportunities.override'), version = version + 1
 WHERE code IN ('admin', 'director', 'manager')
   AND instr(' ' || permissions || ' ', ' opportunities.override ') = 0;

UPDATE roles SET permissions = trim(permissions || ' pipeline.admin'), version = version + 1
 WHERE code IN ('admin')
   AND instr(' ' || permissions || ' ', ' pipeline.admin ') = 0;

UPDATE roles SET permissions = trim(permissions || ' activities.read'), version = version + 1
 WHERE code IN ('admin', 'director', 'manager', 'specialist', 'assistant', 'finance')
   AND instr(' ' || permissions || ' ', ' activities.read ') = 0;

UPDATE roles SET permissions = trim(permissions || ' activities.write'), version = version + 1
 WHERE code IN ('admin', 'director', 'manager', 'specialist', 'assistant')
   AND instr(' ' || permissions || ' ', ' activities.write ') = 0;

UPDATE roles SET permissions = trim(permissions || ' reports.review'), version = version + 1
 WHERE code IN ('admin', 'director', 'manager')
   AND instr(' ' || permissions || ' ', ' reports.review ') = 0;

UPDATE roles SET permissions = trim(permissions || ' requests.read'), version = version + 1
 WHERE code IN ('admin', 'director', 'manager', 'specialist', 'assistant', 'finance')
   AND instr(' ' || permissions || ' ', ' requests.read ') = 0;

UPDATE roles SET permissions = trim(permissions || ' requests.write'), version = version + 1
 WHERE code IN ('admin', 'director', 'manager', 'specialist', 'assistant')
   AND instr(' ' || permissions || ' ', ' requests.write ') = 0;

UPDATE roles SET permissions = trim(permissions || ' approvals.admin'), version = version + 1
 WHERE code IN ('admin')
   AND instr(' ' || permissions || ' ', ' approvals.admin ') = 0;

UPDATE roles SET permissions = trim(permissions || ' budgets.admin'), version = version + 1
 WHERE code IN ('admin', 'director', 'finance')
   AND instr(' ' || permissions || ' ', ' budgets.admin ') = 0;

-- Permissions of the customer archive (issue 3), added to the seeded roles of
-- databases created before them (a new database gets them from the seed list
-- in src/auth/service.cpp, kSeedRoles - keep the two in step):
--   accounts.transfer  manager, director, admin (transfer and bulk-transfer owners)
--   accounts.import    assistant, manager, director, admin
--   accounts.export    every role that has accounts.read
-- Permissions are space-separated words; a word is added only when missing.

UPDATE roles SET permissions = trim(permissions || ' accounts.transfer'), version = version + 1
 WHERE code IN ('manager', 'director', 'admin')
   AND instr(' ' || permissions || ' ', ' accounts.transfer ') = 0;

UPDATE roles SET permissions = trim(permissions || ' accounts.import'), version = version + 1
 WHERE code IN ('assistant', 'manager', 'director', 'admin')
   AND instr(' ' || permissions || ' ', ' accounts.import ') = 0;

UPDATE roles SET permissions = trim(permissions || ' accounts.export'), version = version + 1
 WHERE instr(' ' || permissions || ' ', ' accounts.read ') > 0
   AND instr(' ' || permissions || ' ', ' accounts.export ') = 0;

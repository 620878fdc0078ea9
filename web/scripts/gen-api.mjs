// Generates src/api/schema.d.ts from the server's OpenAPI document (../api/openapi.json)
// with openapi-typescript. When the document is absent the step is skipped, and the
// committed schema.d.ts (or the hand-written types in src/api/types.ts) stay in use.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const webRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const input = resolve(webRoot, '../api/openapi.json');
const output = resolve(webRoot, 'src/api/schema.d.ts');

if (!existsSync(input)) {
  console.warn(`gen:api: ${input} not found; keeping the existing API types.`);
  process.exit(0);
}
const bin = resolve(webRoot, 'node_modules/.bin/openapi-typescript');
const result = spawnSync(bin, [input, '-o', output], { stdio: 'inherit' });
process.exit(result.status ?? 1);

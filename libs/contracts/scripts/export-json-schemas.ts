// Writes libs/contracts/schemas/*.schema.json from the zod schemas (see src/json-schemas.ts).
// Run with `npm run export-schemas -w @bascule/contracts` after changing src/services.ts, and commit.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderJsonSchemas } from '../src/json-schemas.ts';

const schemasDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas');
mkdirSync(schemasDir, { recursive: true });

const files = renderJsonSchemas();
// Files no longer in the catalog go away, so a renamed shape leaves nothing stale behind.
for (const existing of readdirSync(schemasDir)) {
  if (existing.endsWith('.schema.json') && !files.has(existing)) rmSync(join(schemasDir, existing));
}
for (const [name, text] of files) writeFileSync(join(schemasDir, name), text);
console.log(`wrote ${files.size} JSON Schema files to ${schemasDir}`);

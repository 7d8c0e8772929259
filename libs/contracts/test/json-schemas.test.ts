// The JSON Schema files are what the Python images test against: they must be current, and every
// fixture must be judged the same way by the files (through an independent validator, Ajv) and by zod.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_CATALOG, jsonSchemaFileName, renderJsonSchemas } from '../src/json-schemas.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemasDir = join(root, 'schemas');
const fixturesDir = join(root, 'fixtures');
const FIXTURE_NAME = /^(?<shape>[a-z_]+(?:\.[a-z_]+)*)\.(?<kind>valid|invalid)\.[a-z0-9-]+\.json$/;

interface Fixture {
  file: string;
  schemaName: string;
  valid: boolean;
  value: unknown;
}

function loadFixtures(): Fixture[] {
  const fixtures: Fixture[] = [];
  for (const service of readdirSync(fixturesDir)) {
    for (const file of readdirSync(join(fixturesDir, service))) {
      const match = FIXTURE_NAME.exec(file);
      if (!match?.groups) throw new Error(`fixtures/${service}/${file}: expected <shape>.<valid|invalid>.<label>.json`);
      fixtures.push({
        file: `${service}/${file}`,
        schemaName: `${service}.${match.groups.shape}`,
        valid: match.groups.kind === 'valid',
        value: JSON.parse(readFileSync(join(fixturesDir, service, file), 'utf8')),
      });
    }
  }
  return fixtures;
}

const fixtures = loadFixtures();
const ajv = new Ajv2020({ allErrors: true, strict: true });

describe('schemas/*.schema.json', () => {
  it('are exactly what `npm run export-schemas` renders (regenerate and commit when this fails)', () => {
    const expected = renderJsonSchemas();
    const committed = readdirSync(schemasDir).filter((f) => f.endsWith('.schema.json'));
    expect(committed.sort()).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) expect(readFileSync(join(schemasDir, name), 'utf8'), name).toBe(text);
  });

  it('are valid draft 2020-12 schemas', () => {
    for (const name of Object.keys(JSON_SCHEMA_CATALOG)) {
      const schema = JSON.parse(readFileSync(join(schemasDir, jsonSchemaFileName(name)), 'utf8')) as object;
      expect(ajv.validateSchema(schema), `${name}: ${ajv.errorsText()}`).toBe(true);
    }
  });

  it('each have at least one valid and one invalid fixture', () => {
    for (const name of Object.keys(JSON_SCHEMA_CATALOG)) {
      expect(fixtures.some((f) => f.schemaName === name && f.valid), `${name} valid fixture`).toBe(true);
      expect(fixtures.some((f) => f.schemaName === name && !f.valid), `${name} invalid fixture`).toBe(true);
    }
  });
});

describe('fixtures', () => {
  it.each(fixtures.map((f) => [f.file, f] as const))('%s is judged as its name says, by the JSON Schema and by zod', (_file, fixture) => {
    const entry = JSON_SCHEMA_CATALOG[fixture.schemaName];
    expect(entry, `no schema named ${fixture.schemaName}`).toBeDefined();
    const schema = JSON.parse(readFileSync(join(schemasDir, jsonSchemaFileName(fixture.schemaName)), 'utf8')) as object;
    const validate = ajv.compile(schema);
    expect(validate(fixture.value), ajv.errorsText(validate.errors)).toBe(fixture.valid);
    expect(entry!.schema.safeParse(fixture.value).success).toBe(fixture.valid);
  });
});

/**
 * The schema contract (DESIGN.md section 1): schema.graphql is generated and up to date, and
 * every client operation in ../shared/contract/*.graphql validates against it, except the
 * operations of features whose issue has not landed yet (KNOWN_PENDING, which only shrinks).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBareSchema } from '../../src/schema.js';
import { renderSchema } from '../../src/schema-file.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));
const CONTRACT_DIR = fileURLToPath(new URL('../../../shared/contract/', import.meta.url));

/**
 * Contract operations that do not validate yet, as `file:Operation` → the issue that adds them.
 * Each entry must still fail (the test below checks it): remove the entry when its issue lands.
 * Nothing of team.graphql may ever be listed here.
 */
const KNOWN_PENDING: Record<string, string> = {
};

interface ContractOperation {
  key: string;
  file: string;
  name: string;
  document: DocumentNode;
}

/** Every named operation of every contract file, each with the file's fragments. */
function contractOperations(): ContractOperation[] {
  const files = readdirSync(CONTRACT_DIR)
    .filter((f) => f.endsWith('.graphql'))
    .sort();
  return files.flatMap((file) => {
    const doc = parse(readFileSync(`${CONTRACT_DIR}${file}`, 'utf8'));
    const fragments = doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
    return doc.definitions
      .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
      .map((op, i) => {
        const name = op.name?.value ?? `<anonymous #${i}>`;
        return { key: `${file}:${name}`, file, name, document: { kind: Kind.DOCUMENT, definitions: [op, ...fragments] } };
      });
  });
}

function errorsOf(schema: GraphQLSchema, op: ContractOperation): string[] {
  return validate(schema, op.document).map((e) => e.message);
}

describe('schema.graphql', () => {
  it('is generated from the code and up to date', async () => {
    const onDisk = existsSync(SCHEMA_FILE) ? readFileSync(SCHEMA_FILE, 'utf8') : '';
    expect(onDisk === (await renderSchema()), 'schema.graphql is stale: run npm run schema').toBe(true);
  });
});

const haveContract = existsSync(CONTRACT_DIR);

describe('contract operations (../shared/contract)', () => {
  if (!haveContract) {
    it.skip('skipped because ../shared/contract is absent (as in a user\'s clone)', () => {});
    return;
  }

  let schema: GraphQLSchema;
  let operations: ContractOperation[];
  beforeAll(async () => {
    schema = await buildBareSchema();
    operations = contractOperations();
  });

  it('finds the contract files and their operations', () => {
    expect(operations.length).toBeGreaterThan(0);
    expect(operations.some((o) => o.file === 'team.graphql')).toBe(true);
    const names = operations.map((o) => o.key);
    expect(new Set(names).size, 'operation names are unique per file').toBe(names.length);
  });

  it('validates every operation that is not known to be pending', () => {
    const failures = operations
      .filter((op) => !(op.key in KNOWN_PENDING))
      .flatMap((op) => errorsOf(schema, op).map((m) => `${op.key}: ${m}`));
    expect(failures, `contract operations that do not validate against the schema:\n  ${failures.join('\n  ')}`).toEqual([]);
  });

  it('validates every operation of team.graphql (never pending)', () => {
    const pendingTeam = Object.keys(KNOWN_PENDING).filter((k) => k.startsWith('team.graphql:'));
    expect(pendingTeam).toEqual([]);
    const team = operations.filter((o) => o.file === 'team.graphql');
    expect(team.length).toBeGreaterThan(0);
    for (const op of team) expect(errorsOf(schema, op), op.key).toEqual([]);
  });

  it('lists only operations that exist and still fail (the pending list only shrinks)', () => {
    const byKey = new Map(operations.map((o) => [o.key, o]));
    const unknown = Object.keys(KNOWN_PENDING).filter((k) => !byKey.has(k));
    expect(unknown, 'KNOWN_PENDING names operations the contract does not have').toEqual([]);
    const nowValid = Object.entries(KNOWN_PENDING)
      .filter(([k]) => byKey.has(k) && errorsOf(schema, byKey.get(k)!).length === 0)
      .map(([k, issue]) => `${k} (${issue})`);
    expect(nowValid, `these operations validate now: remove them from KNOWN_PENDING\n  ${nowValid.join('\n  ')}`).toEqual([]);
  });
});

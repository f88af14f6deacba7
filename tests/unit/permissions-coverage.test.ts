/**
 * Deny by default (DESIGN.md section 2): every field of every object type has an explicit,
 * named entry in the permission rule tree, the rule tree names nothing the schema lacks,
 * and a field without a rule is refused at run time (the guard's fallback is deny).
 */
import { execute, extendSchema, isObjectType, parse, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBareSchema } from '../../src/schema.js';
import { ruleTree } from '../../src/permissions/permissions.js';
import { applyPermissions } from '../../src/permissions/guard.js';
import { Role } from '../../src/modules/common/enums.js';

/** The rule tree as `{ Type: { field: rule } }`; a type-level rule (not an object) has no named fields. */
function ruleMap(): Map<string, Set<string> | null> {
  const map = new Map<string, Set<string> | null>();
  for (const [type, rules] of Object.entries(ruleTree as Record<string, unknown>)) {
    const isFieldMap = typeof rules === 'object' && rules !== null && rules.constructor === Object;
    map.set(type, isFieldMap ? new Set(Object.keys(rules as object)) : null);
  }
  return map;
}

function objectTypes(schema: GraphQLSchema): GraphQLObjectType[] {
  return Object.values(schema.getTypeMap())
    .filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'))
    .sort((a, b) => a.name.localeCompare(b.name));
}

describe('permission rule tree', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildBareSchema();
  });

  it('has Query and Mutation root types to check', () => {
    expect(schema.getQueryType()?.name).toBe('Query');
    expect(schema.getMutationType()?.name).toBe('Mutation');
  });

  it('lists every field of every object type by name (a type-level rule does not count)', () => {
    const rules = ruleMap();
    const missing: string[] = [];
    for (const type of objectTypes(schema)) {
      const listed = rules.get(type.name);
      for (const field of Object.keys(type.getFields()).sort()) {
        if (!listed || !listed.has(field)) missing.push(`${type.name}.${field}`);
      }
    }
    expect(missing, `fields without an explicit rule in src/permissions/permissions.ts:\n  ${missing.join('\n  ')}`).toEqual([]);
  });

  it('names no type or field that the schema does not have (no stale rules)', () => {
    const stale: string[] = [];
    for (const [typeName, fields] of ruleMap()) {
      const type = schema.getType(typeName);
      if (!type || !isObjectType(type)) {
        stale.push(typeName);
        continue;
      }
      const existing = type.getFields();
      for (const field of fields ?? []) if (!existing[field]) stale.push(`${typeName}.${field}`);
    }
    expect(stale, `rules for types/fields that no longer exist:\n  ${stale.join('\n  ')}`).toEqual([]);
  });

  it('has no type-level rules: every type is a map of named fields', () => {
    const typeLevel = [...ruleMap()].filter(([, fields]) => fields === null).map(([type]) => type);
    expect(typeLevel).toEqual([]);
  });
});

describe('permission fallback', () => {
  it('refuses a field that has no rule, even for an authenticated team worker', async () => {
    // A field added to the schema without a rule: the permission layer must refuse it.
    const extended = extendSchema(await buildBareSchema(), parse('extend type Query { unlistedProbe: String }'));
    const guarded = applyPermissions(extended, ruleTree);
    const viewer = {
      kind: 'staff',
      id: '00000000-0000-4000-8000-000000000001',
      name: 'Probe',
      role: Role.TEAM_WORKER,
      organisationId: null,
      organisationName: null,
      teamIds: new Set<string>(),
      memberTeamIds: new Set<string>(),
    };
    const denied: unknown[] = [];
    const audit = { denied: (...args: unknown[]) => denied.push(args), read() {}, export() {} };
    const result = await execute({
      schema: guarded,
      document: parse('{ unlistedProbe }'),
      rootValue: { unlistedProbe: 'must not be returned' },
      contextValue: { viewer, audit, requestId: 'probe-request' },
    });
    expect(result.data?.unlistedProbe ?? null).toBeNull();
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(result)).not.toContain('must not be returned');
  });
});

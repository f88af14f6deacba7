/**
 * Every field of every type whose columns the case list and detail may leave out
 * (`omittedProps`), asked on its own at each place those reads reach it: the answer is the same
 * as when the operation asks for every field of the type, and nothing reads a left-out column —
 * under the guard of src/db/lean.ts (outside production a read of one throws, which would show
 * here as INTERNAL_SERVER_ERROR). The fields come from the schema, so a field added later is
 * covered without touching this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, isObjectType, isNonNullType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { startTestHub, type TestHub } from '../helpers/app.js';
import { buildCareAllocation, buildCase, buildConsent, buildGoal, buildHousehold, buildNote, buildOrganisation, buildStaff, buildTeam, buildZrm } from '../../seeds/factories.js';
import { Rng } from '../../seeds/random.js';
import { buildAppSchema } from '../../src/schema.js';
import { CaseStatus, OrganisationKind, Role, ZrmKind } from '../../src/modules/common/enums.js';
import type { Case } from '../../src/modules/case/case.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Team } from '../../src/modules/team/team.entity.js';

let hub: TestHub;
let schema: GraphQLSchema;
let team: Team;
let lead: Staff;
let rich: Case;

beforeAll(async () => {
  hub = await startTestHub();
  schema = await buildAppSchema();
  const em = hub.em();
  const rng = new Rng('read-columns-fields');
  team = buildTeam(em, { postcodes: ['3914'] });
  lead = buildStaff(em, { role: Role.TEAM_LEAD, teams: [team], rng });
  const gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE, rng });
  for (let i = 0; i < 3; i++) {
    const h = buildHousehold(em, { team, members: 2, rng });
    const c = buildCase(em, { household: h.household, status: CaseStatus.ACTIVE, coordinator: lead, rng });
    const base = buildZrm(em, { case: c, kind: ZrmKind.BASELINE, rng });
    buildZrm(em, { case: c, kind: ZrmKind.FOLLOW_UP, previous: base, rng });
    if (i === 0) {
      rich = c;
      buildGoal(em, { case: c, rng });
      buildNote(em, { case: c, author: lead, rng });
      buildCareAllocation(em, { case: c, rng });
      buildConsent(em, { resident: h.residents[0]!, recipient: gp, recordedBy: lead, rng });
    }
  }
  await em.flush();
});

afterAll(async () => {
  await hub?.stop();
});

/** The least selection of a field: itself for a leaf, its typename below an object; null when it needs arguments. */
function leastSelection(field: GraphQLField<unknown, unknown>): string | null {
  if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) return null;
  const args = field.args.some((a) => a.name === 'first') ? '(first: 5)' : '';
  return isObjectType(getNamedType(field.type)) ? `${field.name}${args} { __typename }` : `${field.name}${args}`;
}

type Json = any;
const listCases = (d: Json): Json[] => d.cases.edges.map((e: Json) => e.node);
const detail = (d: Json): Json => d.case;

/** Where the one-statement reads reach each type: a selection with `$F` for the field asked, and where its objects are in the answer. */
const PLACES: Record<string, { selection: string; objects: (data: Json) => Json[] }[]> = {
  Case: [
    { selection: 'cases(filter: { teamId: $teamId }, first: 50) { edges { node { id $F } } }', objects: listCases },
    { selection: 'case(id: $id) { id $F }', objects: (d) => [detail(d)] },
  ],
  Household: [
    { selection: 'cases(filter: { teamId: $teamId }, first: 50) { edges { node { household { id $F } } } }', objects: (d) => listCases(d).map((c) => c.household) },
    { selection: 'case(id: $id) { household { id $F } }', objects: (d) => [detail(d).household] },
  ],
  Resident: [
    { selection: 'cases(filter: { teamId: $teamId }, first: 50) { edges { node { household { members { id $F } } } } }', objects: (d) => listCases(d).flatMap((c) => c.household.members) },
    { selection: 'case(id: $id) { household { members { id $F } } }', objects: (d) => detail(d).household.members },
  ],
  Staff: [
    { selection: 'cases(filter: { teamId: $teamId }, first: 50) { edges { node { coordinator { id $F } } } }', objects: (d) => listCases(d).map((c) => c.coordinator) },
    { selection: 'case(id: $id) { coordinator { id $F } }', objects: (d) => [detail(d).coordinator] },
  ],
  ZrmAssessment: [
    { selection: 'cases(filter: { teamId: $teamId }, first: 50) { edges { node { latestZrm { id $F } } } }', objects: (d) => listCases(d).map((c) => c.latestZrm) },
    { selection: 'case(id: $id) { zrmAssessments { id $F } }', objects: (d) => detail(d).zrmAssessments },
  ],
  CaseNote: [{ selection: 'case(id: $id) { notes(first: 5) { edges { node { id $F } } } }', objects: (d) => detail(d).notes.edges.map((e: Json) => e.node) }],
  Goal: [{ selection: 'case(id: $id) { goals { id $F } }', objects: (d) => detail(d).goals }],
  CareAllocation: [{ selection: 'case(id: $id) { careAllocations { id $F } }', objects: (d) => detail(d).careAllocations }],
  Consent: [{ selection: 'case(id: $id) { consents { id $F } }', objects: (d) => detail(d).consents }],
};

async function ask(selection: string) {
  const vars = selection.includes('$teamId') ? '$teamId: ID!' : '$id: ID!';
  const res = await hub.gql(`query(${vars}) { ${selection} }`, { teamId: team.id, id: rich.id }, await hub.tokenFor(lead));
  return res;
}

describe('each field alone = the field among all of its type', () => {
  for (const [typeName, places] of Object.entries(PLACES)) {
    it(`${typeName}`, async () => {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
      const fields = Object.values(type.getFields()).map((f) => [f.name, leastSelection(f)] as const).filter((f): f is readonly [string, string] => f[1] !== null);
      expect(fields.length).toBeGreaterThan(2);
      for (const { selection: place, objects } of places) {
        const all = await ask(place.replace('$F', fields.map(([, s]) => s).join(' ')));
        expect(all.errors, place).toBeUndefined();
        const full = objects(all.data);
        // Not trivially equal: the place holds objects.
        expect(full.length, place).toBeGreaterThan(0);
        expect(full.every((o) => o !== null), place).toBe(true);
        for (const [name, selection] of fields) {
          const alone = await ask(place.replace('$F', selection));
          expect(alone.errors, `${typeName}.${name} at ${place}`).toBeUndefined();
          expect(objects(alone.data).map((o) => [o.id, o[name]]), `${typeName}.${name} at ${place}`).toEqual(full.map((o) => [o.id, o[name]]));
        }
      }
    });
  }
});

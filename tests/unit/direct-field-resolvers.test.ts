/**
 * The plain @FieldResolver methods are called directly (src/direct-field-resolvers.ts); those
 * with arguments keep type-graphql's resolver, which converts and validates them. That both
 * answer alike is what every integration test of these fields shows.
 */
import { describe, expect, it } from 'vitest';
import { buildBareSchema } from '../../src/schema.js';
import { useDirectFieldResolvers } from '../../src/direct-field-resolvers.js';

describe('useDirectFieldResolvers', () => {
  it('calls the plain field resolvers directly and leaves those with arguments to type-graphql', async () => {
    const schema = await buildBareSchema();
    const replaced = useDirectFieldResolvers(schema);
    expect(replaced).toEqual(expect.arrayContaining(['Case.household', 'Case.coordinator', 'Case.latestZrm', 'Household.address', 'Household.members']));
    expect(replaced).not.toContain('Case.notes'); // notes(first, after)
    for (const coordinate of replaced) {
      const [type, field] = coordinate.split('.') as [string, string];
      const def = (schema.getType(type) as import('graphql').GraphQLObjectType).getFields()[field]!;
      expect(def.args.filter((a) => a.name), coordinate).toEqual([]);
    }
  });

  it('passes root, context and info in the order the method declares them', async () => {
    const schema = await buildBareSchema();
    const field = (schema.getType('Case') as import('graphql').GraphQLObjectType).getFields().daysToFirstContact!;
    const registeredAt = new Date('2015-04-01T10:00:00Z');
    const firstContactAt = new Date('2015-04-04T10:00:00Z');
    expect(field.resolve!({ registeredAt, firstContactAt }, {}, {}, {} as never)).toBe(3);
  });
});

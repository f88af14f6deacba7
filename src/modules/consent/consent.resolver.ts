import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { fieldResolverReads } from '../../db/lean.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Consent } from './consent.entity.js';
import { RecordConsentInput, recordConsent, revokeConsent } from './consent.service.js';

@Resolver(() => Consent)
export class ConsentResolver {
  @Mutation(() => Consent, { description: "Record a resident's consent to share with an organisation for a purpose." })
  recordConsent(@Arg('input', () => RecordConsentInput) input: RecordConsentInput, @Ctx() ctx: Context) {
    return recordConsent(ctx, input);
  }

  @Mutation(() => Consent, { description: 'Revoke a consent; takes effect on the next request.' })
  revokeConsent(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return revokeConsent(ctx, id);
  }

  @FieldResolver(() => Organisation)
  recipient(@Root() c: Consent, @Ctx() ctx: Context) {
    return ctx.loaders.organisation.get(c.recipient.id);
  }

  @FieldResolver(() => ID, { description: 'The resident who consented.' })
  residentId(@Root() c: Consent) {
    return c.resident.id;
  }
}

// What the resolvers read of a consent beyond ids and relations (omittedProps).
fieldResolverReads(Consent, { recipient: [], residentId: [] });

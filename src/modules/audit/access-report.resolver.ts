import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context.js';
import { AccessReport, accessReport } from './access-report.js';

@Resolver(() => AccessReport)
export class AccessReportResolver {
  @Query(() => AccessReport, { nullable: true, description: "AVG art. 15 report for a resident of your own team (team workers and leads; not flex workers, who see only their assigned cases); audited as EXPORT." })
  accessReport(@Arg('residentId', () => ID) residentId: string, @Ctx() ctx: Context) {
    return accessReport(ctx, residentId);
  }
}

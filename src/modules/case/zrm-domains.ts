import { ZrmDomain, ZrmVersion } from '../common/enums.js';

/** The domains of each ZRM version, in the order of the matrix. */
export const ZRM_DOMAINS: Record<ZrmVersion, readonly ZrmDomain[]> = {
  [ZrmVersion.ZRM_2015]: [
    ZrmDomain.INCOME,
    ZrmDomain.DAYTIME_ACTIVITIES,
    ZrmDomain.HOUSING,
    ZrmDomain.FAMILY_RELATIONS,
    ZrmDomain.MENTAL_HEALTH,
    ZrmDomain.PHYSICAL_HEALTH,
    ZrmDomain.ADDICTION,
    ZrmDomain.ADL,
    ZrmDomain.SOCIAL_NETWORK,
    ZrmDomain.SOCIAL_PARTICIPATION,
    ZrmDomain.JUSTICE,
  ],
  [ZrmVersion.ZRM_2017]: [
    ZrmDomain.FINANCES,
    ZrmDomain.WORK_EDUCATION,
    ZrmDomain.TIME_USE,
    ZrmDomain.HOUSING,
    ZrmDomain.DOMESTIC_RELATIONS,
    ZrmDomain.MENTAL_HEALTH,
    ZrmDomain.PHYSICAL_HEALTH,
    ZrmDomain.SUBSTANCE_USE,
    ZrmDomain.BASIC_ADL,
    ZrmDomain.INSTRUMENTAL_ADL,
    ZrmDomain.SOCIAL_NETWORK,
    ZrmDomain.SOCIAL_PARTICIPATION,
    ZrmDomain.JUSTICE,
  ],
};

import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from './config.js';
import type { Viewer } from './permissions/viewer.js';
import type { AuditTrail } from './modules/audit/audit-trail.js';
import type { Loaders } from './loaders.js';

/** One request = one context: viewer, its scope, one EntityManager fork, its own loaders. */
export interface Context {
  requestId: string;
  config: Config;
  viewer: Viewer | null;
  em: EntityManager;
  audit: AuditTrail;
  loaders: Loaders;
}

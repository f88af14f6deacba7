// TEMPORARY (helper session): vitest.config.ts plus a graphql alias; not to be committed.
import { createRequire } from 'node:module';
import { mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';
const require = createRequire(import.meta.url);
export default mergeConfig(base, { resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] } });

/** npm run schema: writes schema.graphql (generated from the code; checked in; a test fails when stale). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderSchema } from '../src/schema-file.js';

const target = fileURLToPath(new URL('../schema.graphql', import.meta.url));
writeFileSync(target, await renderSchema());
console.log(`wrote ${target}`);

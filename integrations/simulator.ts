/**
 * `npm run simulator -- huisarts|corporation [--port N] [--demo-interval MS] [--records N]`:
 * a partner system on loopback for demos and manual tests. Faults are switched through
 * POST /_control/faults (see integrations/sim-core.ts), e.g.
 *   curl -XPOST localhost:4010/_control/faults -d '{"failNext":[{"status":429,"retryAfter":5}]}'
 */
import { HuisartsSimulator } from './huisarts/simulator.js';
import { CorporationSimulator } from './corporation/simulator.js';

const args = process.argv.slice(2);
const kind = args[0];
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
};
if (kind !== 'huisarts' && kind !== 'corporation') {
  process.stderr.write('usage: npm run simulator -- huisarts|corporation [--port N] [--demo-interval MS] [--records N]\n');
  process.exit(64);
}
const sim = kind === 'huisarts' ? new HuisartsSimulator() : new CorporationSimulator();
for (let i = 0; i < opt('--records', 3); i++) sim.addDemoRecord();
const url = await sim.start(opt('--port', kind === 'huisarts' ? 4010 : 4011));
sim.startDemo(opt('--demo-interval', 20_000));
process.stdout.write(`${kind} simulator on ${url} (control: ${url}/_control/received)\n`);
const stop = () => void sim.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

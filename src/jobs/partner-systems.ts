/**
 * Where the partner systems are: HUISARTS_URL / CORPORATION_URL, or — when unset and
 * SIMULATORS is on (the default outside production) — simulators started in this process on
 * free loopback ports, with a trickle of demo records (SIMULATOR_DEMO_INTERVAL_MS), so the
 * demo shows referrals arriving.
 */
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { HuisartsSimulator } from '../../integrations/huisarts/simulator.js';
import { CorporationSimulator } from '../../integrations/corporation/simulator.js';

export interface PartnerSystems {
  huisartsUrl: string | null;
  corporationUrl: string | null;
  simulators: { huisarts: HuisartsSimulator | null; corporation: CorporationSimulator | null };
  stop(): Promise<void>;
}

export async function resolvePartnerSystems(config: Config, log: Logger): Promise<PartnerSystems> {
  const simulate = config.SIMULATORS && config.NODE_ENV !== 'production';
  let huisarts: HuisartsSimulator | null = null;
  let corporation: CorporationSimulator | null = null;
  let huisartsUrl = config.HUISARTS_URL ?? null;
  let corporationUrl = config.CORPORATION_URL ?? null;
  if (!huisartsUrl && simulate) {
    huisarts = new HuisartsSimulator();
    huisarts.addDemoRecord();
    huisartsUrl = await huisarts.start(0, '127.0.0.1');
    huisarts.startDemo(config.SIMULATOR_DEMO_INTERVAL_MS);
    log.info({ url: huisartsUrl }, 'HUISARTS_URL unset: GP system simulator started');
  }
  if (!corporationUrl && simulate) {
    corporation = new CorporationSimulator();
    corporation.addDemoRecord();
    corporationUrl = await corporation.start(0, '127.0.0.1');
    corporation.startDemo(config.SIMULATOR_DEMO_INTERVAL_MS);
    log.info({ url: corporationUrl }, 'CORPORATION_URL unset: corporation system simulator started');
  }
  if (!huisartsUrl) log.warn('HUISARTS_URL unset: no GP system is polled or told about status changes');
  if (!corporationUrl) log.warn('CORPORATION_URL unset: no corporation system is polled or told about status changes');
  return {
    huisartsUrl,
    corporationUrl,
    simulators: { huisarts, corporation },
    async stop() {
      await Promise.all([huisarts?.stop(), corporation?.stop()]);
    },
  };
}

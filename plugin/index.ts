import { buildLoket, type LoketInstance } from './loket.js';
import type { LoketOptionsInput } from './config/schema.js';

export type { LoketInstance } from './loket.js';
export type { LoketOptionsInput as LoketOptions, LoketConfig } from './config/schema.js';
export type { Actor, ActorKind, Role } from './access/actor.js';
export { LoketError, ConfigError } from './errors.js';

/**
 * Creates Loket as an Express sub-app: `const loket = createLoket({ databaseUrl }); await loket.migrate();
 * host.use('/helpdesk', loket.app);`. Invalid options throw a ConfigError naming the setting.
 */
export function createLoket(options: LoketOptionsInput = {}): LoketInstance {
  const loket = buildLoket(options);
  return { app: loket.app, migrate: () => loket.migrate(), close: () => loket.close() };
}

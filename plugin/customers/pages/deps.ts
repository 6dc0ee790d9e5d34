import type { Logger } from 'pino';
import type { LoketConfig } from '../../config/schema.js';
import type { BackendService } from '../backend-service.js';
import type { CustomerService } from '../customer-service.js';
import type { CustomerUserAccounts } from '../customer-user-accounts.js';
import type { CustomerUserService } from '../customer-user-service.js';

/** What the customer screens need from the container. */
export interface CustomerScreenDeps {
  customers: CustomerService;
  customerUsers: CustomerUserService;
  accounts: CustomerUserAccounts;
  backends: BackendService;
  config: LoketConfig;
  logger: Logger;
}

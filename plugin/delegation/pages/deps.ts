import type { CustomerService } from '../../customers/customer-service.js';
import type { DelegationService } from '../delegation-service.js';
import type { DeputyService } from '../deputy-service.js';

/** What the delegation screens need: the two services (every access decision is theirs) and customer names. */
export interface DelegationPagesDeps {
  delegations: DelegationService;
  deputies: DeputyService;
  customers: Pick<CustomerService, 'findMany'>;
}

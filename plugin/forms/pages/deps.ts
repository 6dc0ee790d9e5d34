import type { QueueService } from '../../tickets/queue-service.js';
import type { FormsService, RunsService } from '../types.js';

/** What the forms pages need: the two engine services (every access decision is theirs) and the queues for a new form's template. */
export interface FormPagesDeps {
  forms: FormsService;
  formRuns: RunsService;
  queues: Pick<QueueService, 'all'>;
}

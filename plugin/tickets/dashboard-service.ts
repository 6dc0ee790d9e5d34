import type { Actor } from '../access/actor.js';
import { requireCapability } from '../access/policy.js';
import type { TicketAudience } from '../access/ticket-access.js';
import type { Queue } from './queue-store.js';
import type { TicketState } from './schema.js';
import type { DayCount, QueueScope, StatsStore } from './stats-store.js';

export const DASHBOARD_DAYS = 30;
export const TOP_ARTICLES = 10;
/** The states a ticket still needs work in. */
export const ACTIVE_STATES = ['new', 'open', 'pending'] as const satisfies readonly TicketState[];
type ActiveState = (typeof ACTIVE_STATES)[number];
const isActive = (state: TicketState): state is ActiveState => (ACTIVE_STATES as readonly TicketState[]).includes(state);

export interface QueueLoad {
  name: string;
  group: string;
  valid: boolean;
  counts: Record<ActiveState, number>;
  total: number;
}

export interface DayFigures {
  day: string;
  tickets: number;
  deflections: number;
}

export interface TopArticle {
  id: number;
  title: string;
  language: string;
  opened: number;
  answered: number;
}

export interface Dashboard {
  /** First and last UTC day of the period, both included. */
  from: string;
  to: string;
  queues: QueueLoad[];
  days: DayFigures[];
  totals: { tickets: number; deflections: number };
  /** answered / (answered + tickets) over the period; null when both are zero. */
  deflectionRate: number | null;
  articles: TopArticle[];
}

const DAY_MS = 86_400_000;

/** The `count` UTC days ending with the day of `now`, oldest first, as `YYYY-MM-DD`. */
export function lastDays(now: Date, count: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: count }, (_, i) => new Date(today - (count - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

const byDay = (rows: readonly DayCount[]) => new Map(rows.map((r) => [r.day, r.count]));

/** Queues a person's ticket audience covers: every one for `all`, the `ro` ones for agents. */
function queuesIn(audience: TicketAudience, queues: readonly Queue[]): { visible: Queue[]; scope: QueueScope } {
  if (audience.kind === 'all') return { visible: [...queues], scope: null };
  if (audience.kind === 'agent') return { visible: queues.filter((q) => audience.queueIds.includes(q.id)), scope: audience.queueIds };
  return { visible: [], scope: [] };
}

/**
 * The agents' dashboard: open work per queue, tickets against deflections per day and the articles the
 * ticket form's suggestions led to. Ticket figures cover only the queues the viewer may see (the same
 * audience as the ticket lists); deflections are not tied to a queue and count everywhere.
 */
export function createDashboardService(deps: {
  stats: StatsStore;
  tickets: { audienceOf(actor: Actor): Promise<{ audience: TicketAudience; queues: Queue[] }> };
  clock?: () => Date;
}) {
  const now = deps.clock ?? (() => new Date());

  return {
    async overview(actor: Actor): Promise<Dashboard> {
      requireCapability(actor, 'agent.use');
      const { audience, queues } = await deps.tickets.audienceOf(actor);
      const { visible, scope } = queuesIn(audience, queues);
      const days = lastDays(now(), DASHBOARD_DAYS);
      const since = `${days[0]}T00:00:00.000Z`;
      const [byState, created, answered, articles] = await Promise.all([
        deps.stats.ticketsByQueueAndState(ACTIVE_STATES, scope),
        deps.stats.ticketsPerDay(since, scope),
        deps.stats.outcomesPerDay('answered', since),
        deps.stats.topArticles(since, TOP_ARTICLES),
      ]);

      const perQueue = new Map<number, Record<ActiveState, number>>();
      for (const row of byState) {
        if (!isActive(row.state)) continue;
        const counts = perQueue.get(row.queueId) ?? { new: 0, open: 0, pending: 0 };
        counts[row.state] += row.count;
        perQueue.set(row.queueId, counts);
      }
      const loads = visible.map((q): QueueLoad => {
        const counts = perQueue.get(q.id) ?? { new: 0, open: 0, pending: 0 };
        return { name: q.name, group: q.group, valid: q.validity === 'valid' && q.groupValid, counts, total: counts.new + counts.open + counts.pending };
      });

      const ticketDays = byDay(created);
      const answeredDays = byDay(answered);
      const figures = days.map((day) => ({ day, tickets: ticketDays.get(day) ?? 0, deflections: answeredDays.get(day) ?? 0 }));
      const totals = figures.reduce((sum, d) => ({ tickets: sum.tickets + d.tickets, deflections: sum.deflections + d.deflections }), { tickets: 0, deflections: 0 });
      const asked = totals.tickets + totals.deflections;

      return {
        from: days[0] ?? '',
        to: days[days.length - 1] ?? '',
        queues: loads,
        days: figures,
        totals,
        deflectionRate: asked === 0 ? null : totals.deflections / asked,
        articles: articles.map((a) => ({ id: a.articleId, title: a.title, language: a.language, opened: a.opened, answered: a.answered })),
      };
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;

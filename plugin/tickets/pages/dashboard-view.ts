import type { Translate } from '../../customers/pages/form-errors.js';
import { groupedBars } from '../charts/grouped-bars.js';
import { horizontalBars } from '../charts/horizontal-bars.js';
import { miniBars, type MiniBars } from '../charts/mini-bars.js';
import type { SvgChart } from '../charts/svg-chart.js';
import type { Dashboard, TopArticle } from '../dashboard-service.js';

export interface DashboardView {
  dashboard: Dashboard;
  queueChart: SvgChart | null;
  dayChart: SvgChart;
  /** The deflection rate as the reader writes percentages, or null when nothing was asked. */
  rate: string | null;
  articles: (TopArticle & { bars: MiniBars })[];
  dayLabel(day: string): string;
}

/** The dashboard's figures as charts and texts in the reader's language. */
export function dashboardView(dashboard: Dashboard, t: Translate, language: string): DashboardView {
  const dayFormat = new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const dayLabel = (day: string) => dayFormat.format(new Date(`${day}T00:00:00Z`));
  const open = dashboard.queues.reduce((sum, q) => sum + q.total, 0);

  const queueChart = dashboard.queues.length
    ? horizontalBars({
        id: 'dash-queues-chart',
        title: t('ticketsAdmin.dashboard.queues.chartTitle'),
        desc: t('ticketsAdmin.dashboard.queues.chartDesc', { count: dashboard.queues.length, open }),
        rows: dashboard.queues.map((q) => ({ label: q.name, value: q.total })),
      })
    : null;

  const dayChart = groupedBars({
    id: 'dash-days-chart',
    title: t('ticketsAdmin.dashboard.days.chartTitle'),
    desc: t('ticketsAdmin.dashboard.days.chartDesc', { from: dashboard.from, to: dashboard.to, tickets: dashboard.totals.tickets, deflections: dashboard.totals.deflections }),
    categories: dashboard.days.map((d) => dayLabel(d.day)),
    series: [
      { label: t('ticketsAdmin.dashboard.days.tickets'), values: dashboard.days.map((d) => d.tickets) },
      { label: t('ticketsAdmin.dashboard.days.deflections'), values: dashboard.days.map((d) => d.deflections) },
    ],
  });

  const most = Math.max(0, ...dashboard.articles.flatMap((a) => [a.opened, a.answered]));
  return {
    dashboard,
    queueChart,
    dayChart,
    rate: dashboard.deflectionRate === null ? null : new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(dashboard.deflectionRate),
    articles: dashboard.articles.map((a) => ({ ...a, bars: miniBars([a.opened, a.answered], most) })),
    dayLabel,
  };
}

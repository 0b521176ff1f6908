import { ORDER_STATUSES, type OrderStats, type OrderStatus } from '@ordertrack/shared';

export interface StatusBar {
  status: OrderStatus;
  count: number;
}

export const statusBars = (stats: OrderStats): StatusBar[] =>
  ORDER_STATUSES.map((status) => ({ status, count: stats.statusCounts[status] ?? 0 }));

/** One point per UTC day from `fromDay` to `toDay` inclusive (yyyy-mm-dd), zero where the server reported none. */
export function dailySeries(stats: OrderStats, fromDay: string, toDay: string): { date: string; count: number }[] {
  const counts = new Map(stats.dailyTrend.map((point) => [point.date, point.count]));
  const start = Date.parse(`${fromDay}T00:00:00Z`);
  const end = Date.parse(`${toDay}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start || end - start > 400 * 86_400_000) {
    return stats.dailyTrend;
  }
  const series: { date: string; count: number }[] = [];
  for (let day = start; day <= end; day += 86_400_000) {
    const date = new Date(day).toISOString().slice(0, 10);
    series.push({ date, count: counts.get(date) ?? 0 });
  }
  return series;
}

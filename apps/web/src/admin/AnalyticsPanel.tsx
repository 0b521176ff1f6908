import { OrderStatus, StatsQuery } from '@ordertrack/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Rectangle,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type BarShapeProps,
} from 'recharts';
import { describeError } from '../api/api-error';
import { useSignedInSession } from '../auth/use-session';
import { orderKeys, SEARCH_BACKED_POLL_MS } from '../orders/order-queries';
import { fieldErrors } from '../ui/field-errors';
import { dayBoundary, formatDateTime, formatTime, localDateValue, statusLabel } from '../ui/format';
import { TextField } from '../ui/TextField';
import { dailySeries, statusBars } from './stats-series';
import { STATUS_COLORS } from './status-colors';

const DEFAULT_DAYS = 7;

/** Chart axes hand back untyped values; anything that is not a status is shown as it is. */
function statusText(value: unknown): string {
  const status = OrderStatus.safeParse(value);
  return status.success ? statusLabel(status.data) : String(value);
}

function defaultRange(): { from: string; to: string } {
  const today = new Date();
  const start = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (DEFAULT_DAYS - 1));
  return { from: localDateValue(start), to: localDateValue(today) };
}

/** Status counts, daily trend and busiest hour over a date range; the dashboard refetches it as events arrive. */
export function AnalyticsPanel() {
  const { api } = useSignedInSession();
  const [range, setRange] = useState(defaultRange);
  const query = { from: dayBoundary(range.from, 'start'), to: dayBoundary(range.to, 'end') };
  const check = StatsQuery.safeParse(query);
  const rangeErrors = check.success ? {} : fieldErrors(check.error);
  const stats = useQuery({
    queryKey: [...orderKeys.stats, query.from, query.to],
    queryFn: () => api.stats(query),
    enabled: check.success,
    placeholderData: keepPreviousData,
    refetchInterval: SEARCH_BACKED_POLL_MS,
  });

  const bars = stats.data === undefined ? [] : statusBars(stats.data);
  const total = bars.reduce((sum, bar) => sum + bar.count, 0);
  const trend = stats.data === undefined ? [] : dailySeries(stats.data, range.from, range.to);
  const busiest = stats.data?.busiestPeriod ?? null;

  return (
    <section className="card card--wide" aria-labelledby="analytics-title">
      <div className="card__head card__head--wrap">
        <h2 id="analytics-title">Analytics</h2>
        <form className="range" aria-label="Analytics date range" onSubmit={(e) => e.preventDefault()}>
          <TextField
            label="From"
            type="date"
            value={range.from}
            max={range.to}
            onChange={(e) => setRange({ ...range, from: e.target.value })}
            error={rangeErrors['from']}
          />
          <TextField
            label="To"
            type="date"
            value={range.to}
            min={range.from}
            onChange={(e) => setRange({ ...range, to: e.target.value })}
          />
        </form>
      </div>
      {stats.isError && (
        <p className="alert" role="alert">
          {describeError(stats.error)}
        </p>
      )}
      <dl className="kpis" data-testid="status-counts">
        <div className="kpi">
          <dt>Orders</dt>
          <dd data-testid="stat-total">{total}</dd>
        </div>
        {bars.map((bar) => (
          <div className="kpi" key={bar.status} style={{ borderTopColor: STATUS_COLORS[bar.status] }}>
            <dt>{statusLabel(bar.status)}</dt>
            <dd data-testid={`stat-count-${bar.status}`}>{bar.count}</dd>
          </div>
        ))}
      </dl>
      <div className="charts">
        <figure className="chart">
          <figcaption>Orders by current status</figcaption>
          <ResponsiveContainer width="100%" height={230}>
            <BarChart data={bars} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="#e3e8ef" />
              <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11 }} />
              <YAxis type="category" dataKey="status" tickFormatter={statusText} tick={{ fontSize: 12 }} width={72} />
              <Tooltip
                formatter={(value) => [value, 'orders']}
                labelFormatter={statusText}
                cursor={{ fill: '#f1f4f9' }}
              />
              <Bar
                dataKey="count"
                isAnimationActive={false}
                radius={[0, 4, 4, 0]}
                maxBarSize={22}
                shape={(props: BarShapeProps) => (
                  <Rectangle {...props} fill={STATUS_COLORS[bars[props.index]?.status ?? 'CREATED']} />
                )}
              />
            </BarChart>
          </ResponsiveContainer>
        </figure>
        <figure className="chart">
          <figcaption>Orders placed per day (UTC)</figcaption>
          <ResponsiveContainer width="100%" height={230}>
            <BarChart data={trend} margin={{ top: 4, right: 8, bottom: 0, left: -20 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e3e8ef" />
              <XAxis dataKey="date" tickFormatter={(date: string) => date.slice(5)} tick={{ fontSize: 11 }} />
              <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
              <Tooltip formatter={(value) => [value, 'orders placed']} cursor={{ fill: '#f1f4f9' }} />
              <Bar dataKey="count" fill="#2457a6" isAnimationActive={false} radius={[4, 4, 0, 0]} maxBarSize={36} />
            </BarChart>
          </ResponsiveContainer>
        </figure>
      </div>
      <div className="busiest" data-testid="busiest-period">
        <span className="busiest__label">Busiest hour</span>
        {busiest === null ? (
          <span className="muted">No activity in this range yet.</span>
        ) : (
          <span>
            <strong>
              {formatDateTime(busiest.start)} – {formatTime(busiest.end)}
            </strong>{' '}
            · {busiest.eventCount} status {busiest.eventCount === 1 ? 'change' : 'changes'}
          </span>
        )}
      </div>
    </section>
  );
}

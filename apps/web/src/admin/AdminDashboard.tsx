import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Route, Routes } from 'react-router';
import { orderKeys } from '../orders/order-queries';
import { useLiveOrders } from '../realtime/use-live-orders';
import { AppShell } from '../ui/AppShell';
import { AnalyticsPanel } from './AnalyticsPanel';
import { LiveFeed } from './LiveFeed';
import { OrderDetailPage } from './OrderDetailPage';
import { SearchPage } from './SearchPage';

const STATS_REFRESH_DEBOUNCE_MS = 800;
const RECENT_EVENTS_SHOWN = 8;

const NAV = [
  { to: '/admin', label: 'Overview', end: true },
  { to: '/admin/search', label: 'Search' },
] as const;

/** Refetches the stats once a burst of events has settled, instead of once per event. */
function useDebouncedStatsRefresh(): () => void {
  const queryClient = useQueryClient();
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return () => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(
      () => void queryClient.invalidateQueries({ queryKey: orderKeys.stats }),
      STATS_REFRESH_DEBOUNCE_MS,
    );
  };
}

export default function AdminDashboard() {
  const [recentEvents, setRecentEvents] = useState<readonly OrderLifecycleEvent[]>([]);
  const refreshStats = useDebouncedStatsRefresh();
  const connection = useLiveOrders(orderKeys.adminFeed, {
    onEvent: (event) => {
      refreshStats();
      setRecentEvents((events) =>
        events.some((known) => known.eventId === event.eventId)
          ? events
          : [event, ...events].slice(0, RECENT_EVENTS_SHOWN),
      );
    },
    onStale: refreshStats,
  });

  return (
    <AppShell nav={NAV} connection={connection}>
      <Routes>
        <Route
          index
          element={
            <div className="admin-grid">
              <AnalyticsPanel />
              <LiveFeed recentEvents={recentEvents} />
            </div>
          }
        />
        <Route path="search" element={<SearchPage />} />
        <Route path="orders/:orderId" element={<OrderDetailPage />} />
      </Routes>
    </AppShell>
  );
}

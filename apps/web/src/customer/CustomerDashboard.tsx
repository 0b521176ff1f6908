import { useState } from 'react';
import { useSignedInSession } from '../auth/use-session';
import { orderKeys } from '../orders/order-queries';
import { useLiveOrders } from '../realtime/use-live-orders';
import { AppShell } from '../ui/AppShell';
import { shortId, statusLabel } from '../ui/format';
import { MyOrders } from './MyOrders';
import { PlaceOrderForm } from './PlaceOrderForm';

export function CustomerDashboard() {
  const { session } = useSignedInSession();
  const [announcement, setAnnouncement] = useState('');
  const connection = useLiveOrders(orderKeys.mine(session.user.id), {
    onEvent: (event) => setAnnouncement(`Order ${shortId(event.orderId)} is now ${statusLabel(event.status)}.`),
  });
  return (
    <AppShell nav={[]} connection={connection}>
      {/* Screen readers hear each live status change; sighted users see the badge and timeline change. */}
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
      <div className="customer-grid">
        <PlaceOrderForm />
        <MyOrders />
      </div>
    </AppShell>
  );
}

import type { ConnectionState } from '../realtime/use-order-socket';

const LABELS: Readonly<Record<ConnectionState, string>> = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

export function ConnectionIndicator({ state }: { state: ConnectionState }) {
  return (
    <span className={`connection connection--${state}`} role="status" data-testid="connection-state" data-state={state}>
      <span className="connection__dot" aria-hidden="true" />
      {LABELS[state]}
    </span>
  );
}

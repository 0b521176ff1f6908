import { ORDER_STATUSES, type OrderStatus } from '@ordertrack/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { Link } from 'react-router';
import type { OrderSearchParams } from '../api/api-client';
import { describeError } from '../api/api-error';
import { useSignedInSession } from '../auth/use-session';
import { orderKeys } from '../orders/order-queries';
import { describeItems, formatDateTime, shortId, statusLabel } from '../ui/format';
import { StatusBadge } from '../ui/StatusBadge';
import { TextField } from '../ui/TextField';
import { EMPTY_SEARCH, SEARCH_PAGE_SIZE, toSearchParams, type SearchForm } from './search-form';

export function SearchPage() {
  const { api } = useSignedInSession();
  const [form, setForm] = useState<SearchForm>(EMPTY_SEARCH);
  const [submitted, setSubmitted] = useState<OrderSearchParams>(() => toSearchParams(EMPTY_SEARCH, 1).params ?? {});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const results = useQuery({
    queryKey: [...orderKeys.search, submitted],
    queryFn: () => api.searchOrders(submitted),
    placeholderData: keepPreviousData,
  });

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const built = toSearchParams(form, 1);
    setErrors(built.errors ?? {});
    if (built.params !== undefined) setSubmitted(built.params);
  }

  /** Pages through the submitted search, not through edits not yet submitted. */
  const goToPage = (target: number) => setSubmitted({ ...submitted, page: target });

  function toggleStatus(status: OrderStatus, checked: boolean) {
    setForm((current) => ({
      ...current,
      statuses: checked ? [...current.statuses, status] : current.statuses.filter((s) => s !== status),
    }));
  }

  const page = submitted.page ?? 1;
  const pages = Math.max(1, Math.ceil((results.data?.total ?? 0) / SEARCH_PAGE_SIZE));

  return (
    <section className="card card--wide" aria-labelledby="search-title">
      <h2 id="search-title">Search orders</h2>
      <form className="search-form" onSubmit={submit} noValidate aria-label="Search orders">
        <TextField
          label="Order id"
          value={form.orderId}
          onChange={(e) => setForm({ ...form, orderId: e.target.value })}
          error={errors['orderId']}
          placeholder="full UUID"
        />
        <TextField
          label="Customer id"
          value={form.userId}
          onChange={(e) => setForm({ ...form, userId: e.target.value })}
          error={errors['userId']}
          placeholder="full UUID"
        />
        <TextField
          label="Product text"
          value={form.q}
          onChange={(e) => setForm({ ...form, q: e.target.value })}
          error={errors['q']}
          placeholder="e.g. ESP cup"
        />
        <TextField
          label="Created from"
          type="date"
          value={form.fromDay}
          onChange={(e) => setForm({ ...form, fromDay: e.target.value })}
          error={errors['from']}
        />
        <TextField
          label="Created to"
          type="date"
          value={form.toDay}
          onChange={(e) => setForm({ ...form, toDay: e.target.value })}
          error={errors['to']}
        />
        <fieldset className="statuses">
          <legend className="field__label">Status</legend>
          {ORDER_STATUSES.map((status) => (
            <label key={status} className="check">
              <input
                type="checkbox"
                checked={form.statuses.includes(status)}
                onChange={(e) => toggleStatus(status, e.target.checked)}
              />
              {statusLabel(status)}
            </label>
          ))}
        </fieldset>
        <div className="search-form__buttons">
          <button type="submit" className="button button--primary">
            Search
          </button>
          <button
            type="button"
            className="button button--ghost"
            onClick={() => {
              setForm(EMPTY_SEARCH);
              setErrors({});
              setSubmitted(toSearchParams(EMPTY_SEARCH, 1).params ?? {});
            }}
          >
            Clear
          </button>
        </div>
      </form>

      {results.isError && (
        <p className="alert" role="alert">
          {describeError(results.error)}
        </p>
      )}
      <p className="muted small" aria-live="polite" data-testid="search-total">
        {results.data === undefined
          ? 'Searching…'
          : `${results.data.total} ${results.data.total === 1 ? 'order' : 'orders'} found`}
      </p>
      {results.data !== undefined && results.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table table--stacked" data-testid="search-results">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Customer</th>
                <th scope="col">Items</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {results.data.items.map((order) => (
                <tr key={order.id}>
                  <td data-label="Order">
                    <Link
                      to={`/admin/orders/${order.id}`}
                      className="mono"
                      aria-label={`Open order ${shortId(order.id)}`}
                    >
                      {shortId(order.id)}
                    </Link>
                  </td>
                  <td data-label="Customer" className="mono">
                    {shortId(order.userId)}
                  </td>
                  <td data-label="Items" className="cell--items">
                    {describeItems(order.items)}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={order.status} />
                  </td>
                  <td data-label="Created">{formatDateTime(order.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Result pages">
        <button
          type="button"
          className="button button--secondary"
          disabled={page <= 1 || results.isFetching}
          onClick={() => goToPage(page - 1)}
        >
          Previous
        </button>
        <span>
          Page {page} of {pages}
        </span>
        <button
          type="button"
          className="button button--secondary"
          disabled={page >= pages || results.isFetching}
          onClick={() => goToPage(page + 1)}
        >
          Next
        </button>
      </nav>
    </section>
  );
}

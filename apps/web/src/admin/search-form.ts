import { SearchOrdersQuery, type OrderStatus } from '@ordertrack/shared';
import type { OrderSearchParams } from '../api/api-client';
import { dayBoundary } from '../ui/format';
import { fieldErrors } from '../ui/field-errors';

export const SEARCH_PAGE_SIZE = 10;

/** The search form as typed; dates are yyyy-mm-dd in the viewer's time zone. */
export interface SearchForm {
  orderId: string;
  userId: string;
  statuses: readonly OrderStatus[];
  fromDay: string;
  toDay: string;
  q: string;
}

export const EMPTY_SEARCH: SearchForm = { orderId: '', userId: '', statuses: [], fromDay: '', toDay: '', q: '' };

const blankToUndefined = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());

/** Builds the query for a page of results, checked with the same schema the server applies. */
export function toSearchParams(
  form: SearchForm,
  page: number,
): { params: OrderSearchParams; errors: undefined } | { params: undefined; errors: Record<string, string> } {
  const params: OrderSearchParams = {
    orderId: blankToUndefined(form.orderId)?.toLowerCase(),
    userId: blankToUndefined(form.userId)?.toLowerCase(),
    status: form.statuses.length > 0 ? form.statuses : undefined,
    from: form.fromDay === '' ? undefined : dayBoundary(form.fromDay, 'start'),
    to: form.toDay === '' ? undefined : dayBoundary(form.toDay, 'end'),
    q: blankToUndefined(form.q),
    page,
    size: SEARCH_PAGE_SIZE,
  };
  const defined = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
  const check = SearchOrdersQuery.safeParse(defined);
  return check.success ? { params, errors: undefined } : { params: undefined, errors: fieldErrors(check.error) };
}

import type { Actor } from '../domain/actor';
import type { RequestMeta, Store, WriteScope } from '../store/store';

/** What every use case needs: the store, who is acting, and request facts for the audit log. */
export interface ServiceContext {
  store: Store;
  actor: Actor;
  meta: RequestMeta;
}

export function write<T>(ctx: ServiceContext, fn: (scope: WriteScope) => Promise<T>): Promise<T> {
  return ctx.store.write(ctx.actor, fn, ctx.meta);
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface PageRequest {
  page: number;
  pageSize: number;
}

export function pageOffset(p: PageRequest): { offset: number; limit: number } {
  return { offset: (p.page - 1) * p.pageSize, limit: p.pageSize };
}

/** Flagsmith's page-number pagination body; `next`/`previous` are relative links (same path, other page). */
export function toPage<T>(results: T[], count: number, p: PageRequest, basePath: string): Page<T> {
  const link = (page: number) => {
    const url = new URL(basePath, 'http://x');
    url.searchParams.set('page', String(page));
    url.searchParams.set('page_size', String(p.pageSize));
    return url.pathname + url.search;
  };
  return {
    count,
    next: p.page * p.pageSize < count ? link(p.page + 1) : null,
    previous: p.page > 1 ? link(p.page - 1) : null,
    results,
  };
}

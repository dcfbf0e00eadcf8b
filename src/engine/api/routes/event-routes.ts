// `GET /events`: the event stream with since/until and docker's filters
// (type, event/action, container, image, volume, network, label).

import { checkFilterNames, matchLabels, queryFilters } from '../http-io.js';
import type { Router } from '../router.js';
import type { EngineEvent, EventBus } from '../../events/event-bus.js';

export function registerEventRoutes(router: Router, events: EventBus): void {
  router.get('/events', async (ctx) => {
    const f = queryFilters(ctx.query);
    checkFilterNames(f, ['type', 'event', 'action', 'container', 'image', 'volume', 'network', 'label', 'scope', 'daemon']);
    const since = timeArg(ctx.query.get('since'));
    const until = timeArg(ctx.query.get('until'));
    const res = ctx.res!;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    const wanted = (e: EngineEvent) => {
      if (f.type && !f.type.includes(e.Type)) return false;
      const actions = [...(f.event ?? []), ...(f.action ?? [])];
      if (actions.length && !actions.some((a) => e.Action === a || e.Action.startsWith(`${a}:`))) return false;
      for (const kind of ['container', 'image', 'volume', 'network'] as const) {
        const list = f[kind];
        if (list && (e.Type !== kind || !list.some((x) => e.Actor.ID.startsWith(x) || e.Actor.Attributes.name === x))) return false;
      }
      return matchLabels(e.Actor.Attributes, f.label);
    };
    const send = (e: EngineEvent) => {
      if (until && e.timeNano > until) return;
      if (wanted(e)) res.write(JSON.stringify(e) + '\n');
    };
    if (since !== undefined) events.since(since).forEach(send);
    if (until && until <= Date.now() * 1e6) {
      res.end();
      return;
    }
    const unsubscribe = events.subscribe(send);
    let timer: NodeJS.Timeout | undefined;
    if (until) timer = setTimeout(() => res.end(), until / 1e6 - Date.now());
    res.on('close', () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    });
  });
}

/** Unix seconds (with fractions) or an RFC 3339 time → ns. */
function timeArg(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1e9);
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t * 1e6;
}

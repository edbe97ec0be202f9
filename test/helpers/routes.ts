import type { FastifyInstance } from 'fastify';

/**
 * "METHOD /path" for every route, read from the router's own printout: independent of any hook
 * or declaration, so it can check them.
 */
export function printedRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  let parents: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+) \(([^)]+)\)/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    parents = [...parents.slice(0, depth), match[2]!];
    for (const method of match[3]!.split(', ')) routes.push(`${method} ${parents.join('')}`);
  }
  return routes;
}

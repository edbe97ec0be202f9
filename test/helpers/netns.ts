import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** Why namespace tests cannot run here, or undefined when they can (root, and `ip netns` works). */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'network namespaces need root (ip netns); run the tests as root to include them';
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'the `ip` command (iproute2) is missing';
  }
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Virtual LANs of network namespaces: each LAN is a bridge in a namespace of its own, each host a
 * namespace with one `eth0` on a LAN. Names start with a prefix of this process, so runs side by
 * side never meet, and `destroy` removes every namespace (and with them every link) it made.
 */
export class VirtualNetwork {
  readonly #namespaces: string[] = [];
  readonly #children: ChildProcessWithoutNullStreams[] = [];

  constructor(readonly prefix: string) {}

  #add(name: string): string {
    const ns = `${this.prefix}${name}`;
    ip('netns', 'add', ns);
    this.#namespaces.push(ns);
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    return ns;
  }

  lan(name: string): string {
    const ns = this.#add(name);
    ip('-n', ns, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', ns, 'link', 'set', 'br0', 'up');
    return ns;
  }

  /** Plugs a new interface of `host` (a new namespace unless it exists) into `lan`, with `cidr`. */
  plug(host: string, lan: string, device: string, cidr: string): string {
    const ns = this.#namespaces.includes(`${this.prefix}${host}`) ? `${this.prefix}${host}` : this.#add(host);
    const port = `p-${host}-${device}`.slice(0, 15);
    ip('link', 'add', 'name', device, 'netns', ns, 'type', 'veth', 'peer', 'name', port, 'netns', lan);
    ip('-n', lan, 'link', 'set', port, 'master', 'br0', 'up');
    ip('-n', ns, 'addr', 'add', cidr, 'dev', device);
    ip('-n', ns, 'link', 'set', device, 'up');
    return ns;
  }

  /** A host with one `eth0` on `lan` at `cidr`, multicast routed out of it (a namespace has no default route to send it by). */
  host(name: string, lan: string, cidr: string): string {
    const ns = this.plug(name, lan, 'eth0', cidr);
    this.route(ns, '224.0.0.0/4', 'dev', 'eth0');
    return ns;
  }

  /**
   * Plugs this process's own namespace into `lan` with `cidr`, so a test talks to the hosts as one
   * more machine on the LAN. Its link goes with the LAN's namespace in destroy().
   */
  plugSelf(lan: string, cidr: string): void {
    const device = `${this.prefix}self`.slice(0, 15);
    ip('link', 'add', 'name', device, 'type', 'veth', 'peer', 'name', 'p-self', 'netns', lan);
    ip('-n', lan, 'link', 'set', 'p-self', 'master', 'br0', 'up');
    ip('addr', 'add', cidr, 'dev', device);
    ip('link', 'set', device, 'up');
  }

  route(ns: string, ...spec: string[]): void {
    ip('-n', ns, 'route', 'add', ...spec);
  }

  /** Runs `command` in `ns` as a child that destroy() kills. */
  spawn(ns: string, command: string, args: string[]): ChildProcessWithoutNullStreams {
    const child = spawn('ip', ['netns', 'exec', ns, command, ...args], { stdio: 'pipe' });
    this.#children.push(child);
    return child;
  }

  async destroy(): Promise<void> {
    await Promise.all(
      this.#children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
          }),
      ),
    );
    for (const ns of this.#namespaces.reverse()) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // already gone
      }
    }
  }
}

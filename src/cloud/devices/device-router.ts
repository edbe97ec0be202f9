import type { CommandAnswer, DeviceCommand } from '../../recorder/api/cloud-link.js';

/** The device is not connected to any instance, or did not answer in time. */
export class DeviceUnreachableError extends Error {
  constructor(serial: string, why: 'offline' | 'timeout' | 'closed') {
    super(`device ${serial} is unreachable (${why})`);
    this.name = 'DeviceUnreachableError';
  }
}

/**
 * How the cloud's routes reach a recorder: deliver a command to the connection of a serial and
 * await its answer. The only way device commands travel, so that an implementation over Redis
 * (several instances: the device may be connected to another one) can stand in for the in-process
 * one without any route changing. Keep it this narrow.
 */
export interface DeviceRouter {
  /** Rejects with DeviceUnreachableError when no connection of `serial` answers within `timeoutMs`. */
  deliver(serial: string, command: DeviceCommand, timeoutMs: number): Promise<CommandAnswer>;
  /** Which of `serials` have a live, authenticated connection now. */
  online(serials: readonly string[]): Promise<Set<string>>;
}

/** The device's answer, or undefined when it is unreachable (offline, gone, too slow): the callers' common case. */
export function deliverIfReachable(router: DeviceRouter, serial: string, command: DeviceCommand, timeoutMs: number): Promise<CommandAnswer | undefined> {
  return router.deliver(serial, command, timeoutMs).catch((error: unknown) => {
    if (error instanceof DeviceUnreachableError) return undefined;
    throw error;
  });
}

/** One authenticated device connection, as the gateway holds it. */
export interface DeviceConnection {
  /** The device key the connection proved, SPKI PEM. */
  publicKey: string;
  send(command: DeviceCommand, timeoutMs: number): Promise<CommandAnswer>;
  close(code: number, reason: string): void;
}

/**
 * The connections this instance holds, by serial: one per serial, the newest wins. The in-process
 * router reads it; a Redis router would read it for the devices held here and publish for the rest.
 */
export class ConnectionTable {
  readonly #bySerial = new Map<string, DeviceConnection>();

  /** Holds `connection` for `serial`; answers the one it replaces, for the caller to close. */
  attach(serial: string, connection: DeviceConnection): DeviceConnection | undefined {
    const previous = this.#bySerial.get(serial);
    this.#bySerial.set(serial, connection);
    return previous === connection ? undefined : previous;
  }

  /** Forgets `connection` if it is still the one held for `serial` (a newer one may have replaced it). */
  detach(serial: string, connection: DeviceConnection): void {
    if (this.#bySerial.get(serial) === connection) this.#bySerial.delete(serial);
  }

  get(serial: string): DeviceConnection | undefined {
    return this.#bySerial.get(serial);
  }

  get size(): number {
    return this.#bySerial.size;
  }
}

/** The router of one instance: every device it can reach is connected to it. */
export function localDeviceRouter(connections: ConnectionTable): DeviceRouter {
  return {
    async deliver(serial, command, timeoutMs) {
      const connection = connections.get(serial);
      if (!connection) throw new DeviceUnreachableError(serial, 'offline');
      return connection.send(command, timeoutMs);
    },
    async online(serials) {
      return new Set(serials.filter((s) => connections.get(s) !== undefined));
    },
  };
}

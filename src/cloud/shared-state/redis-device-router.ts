import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CommandAnswer, DeviceCommand } from '../../recorder/api/cloud-link.js';
import type { Logger } from '../../shared/logger.js';
import { ConnectionTable, DeviceUnreachableError, type DeviceConnection, type DeviceRouter } from '../devices/device-router.js';

// Device commands between instances through Redis. Each instance holds some recorders' WebSockets;
// `vigil:device:<serial>` names the instance holding that serial's (the newest connection wins, as
// in the instance's own table), and each instance listens on its own channel. A command for a
// serial held elsewhere is published to the holder's channel; the holder sends it down the
// connection and publishes the answer on the asker's channel.

/** How long a holder's claim lasts unless renewed: a holder that died unnoticed stops being named after this. */
const CLAIM_TTL_MS = 30_000;
const RENEW_EVERY_MS = 10_000;
/** The time an answer takes between instances, on top of the device's own time. */
const RELAY_MARGIN_MS = 2_000;

type Unreachable = ConstructorParameters<typeof DeviceUnreachableError>[1];
type Envelope =
  | { kind: 'command'; id: string; serial: string; command: DeviceCommand; timeoutMs: number; replyTo: string }
  | { kind: 'answer'; id: string; answer: CommandAnswer }
  | { kind: 'unreachable'; id: string; why: Unreachable };

/** Renews the claim only if this instance still holds it (another may have taken the serial over). */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
/** Drops the claim only if it is still this instance's. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export interface SharedDeviceRouting {
  /** The table the gateway fills: attaching a connection claims its serial for this instance. */
  connections: ConnectionTable;
  router: DeviceRouter;
  close(): Promise<void>;
}

/**
 * Device routing over Redis for instances that share it. `redis` is the instance's connection;
 * a second one (a subscriber can do nothing else) listens for the commands and answers sent here.
 */
export function redisDeviceRouting(redis: Redis, logger: Logger, prefix = 'vigil:'): SharedDeviceRouting {
  const instance = randomUUID();
  const channelOf = (id: string) => `${prefix}instance:${id}`;
  const claimKey = (serial: string) => `${prefix}device:${serial}`;
  /** Commands sent to another instance, by id: what to do with the answer. */
  const waiting = new Map<string, { answer(answer: CommandAnswer): void; unreachable(why: Unreachable): void }>();
  const held = new Set<string>();

  const warn = (what: string) => (err: unknown) => logger.warn({ err }, what);
  const subscriber = redis.duplicate();
  subscriber.on('error', () => undefined); // the commands' own errors say it
  let subscribed = false;
  const listening = subscriber.subscribe(channelOf(instance)).then(() => void (subscribed = true));
  listening.catch(warn('device commands from other instances cannot be received'));
  // Claims wait until this instance listens (a claim naming a channel nobody hears reads as gone),
  // then go at once, so that a claim reaches Redis before what follows it; releases keep their order.
  const afterSubscribing = (write: () => Promise<unknown>, what: string) => void (subscribed ? write() : listening.then(write)).catch(warn(what));
  const claim = (serial: string) => afterSubscribing(() => redis.set(claimKey(serial), instance, 'PX', CLAIM_TTL_MS), 'a device connection could not be claimed in Redis');
  const release = (serial: string) => afterSubscribing(() => redis.eval(RELEASE, 1, claimKey(serial), instance), 'a device claim could not be dropped in Redis');

  class ClaimingConnectionTable extends ConnectionTable {
    override attach(serial: string, connection: DeviceConnection): DeviceConnection | undefined {
      held.add(serial);
      claim(serial);
      return super.attach(serial, connection);
    }
    override detach(serial: string, connection: DeviceConnection): void {
      const wasHeld = this.get(serial) === connection;
      super.detach(serial, connection);
      if (!wasHeld) return;
      held.delete(serial);
      release(serial);
    }
  }
  const connections = new ClaimingConnectionTable();

  const publish = (to: string, envelope: Envelope) => redis.publish(channelOf(to), JSON.stringify(envelope));

  /** A command sent here by another instance: through the connection, and the answer back. */
  async function serve(request: Extract<Envelope, { kind: 'command' }>): Promise<void> {
    const connection = connections.get(request.serial);
    let reply: Envelope;
    if (!connection) reply = { kind: 'unreachable', id: request.id, why: 'offline' };
    else {
      reply = await connection.send(request.command, request.timeoutMs).then(
        (answer): Envelope => ({ kind: 'answer', id: request.id, answer }),
        (error: unknown): Envelope => {
          if (!(error instanceof DeviceUnreachableError)) logger.warn({ err: error, serial: request.serial }, 'a relayed device command failed');
          return { kind: 'unreachable', id: request.id, why: 'closed' };
        },
      );
    }
    await publish(request.replyTo, reply);
  }

  subscriber.on('message', (_channel: string, raw: string) => {
    const envelope = JSON.parse(raw) as Envelope;
    if (envelope.kind === 'command') return void serve(envelope).catch(warn('a device answer could not be relayed'));
    const asker = waiting.get(envelope.id);
    if (envelope.kind === 'answer') asker?.answer(envelope.answer);
    else asker?.unreachable(envelope.why);
  });

  // A Redis restarted without its data (no persistence) has forgotten every claim, and renewing
  // extends only a claim that is there: at each reconnection this instance claims its devices
  // again, each only where nobody claimed the serial meanwhile (NX), so a newer holder keeps it.
  const reclaim = () => {
    if (held.size === 0) return;
    const batch = redis.pipeline();
    for (const serial of held) batch.set(claimKey(serial), instance, 'PX', CLAIM_TTL_MS, 'NX');
    batch.exec().catch(warn('device claims could not be made again in Redis'));
  };
  redis.on('ready', reclaim);

  const renewal = setInterval(() => {
    const batch = redis.pipeline();
    for (const serial of held) batch.eval(RENEW, 1, claimKey(serial), instance, CLAIM_TTL_MS);
    batch.exec().catch(warn('device claims could not be renewed in Redis'));
  }, RENEW_EVERY_MS);
  renewal.unref();

  /** The instances named for `serials` (undefined: nobody), those with nobody listening left out. */
  async function holders(serials: readonly string[]): Promise<(string | undefined)[]> {
    if (serials.length === 0) return [];
    const named = await redis.mget(serials.map(claimKey));
    const instances = [...new Set(named.filter((n): n is string => n !== null))];
    // An instance killed without a word keeps its claims until they expire, but its channel has no
    // listener from the moment Redis saw its connection close.
    const counts = instances.length === 0 ? [] : ((await redis.call('PUBSUB', 'NUMSUB', ...instances.map(channelOf))) as (string | number)[]);
    const heard = new Set(instances.filter((_, i) => Number(counts[2 * i + 1]) > 0));
    return named.map((n) => (n !== null && heard.has(n) ? n : undefined));
  }

  const router: DeviceRouter = {
    async deliver(serial, command, timeoutMs) {
      const local = connections.get(serial);
      if (local) return local.send(command, timeoutMs);
      const [holder] = await holders([serial]);
      if (!holder || holder === instance) throw new DeviceUnreachableError(serial, 'offline');
      const id = randomUUID();
      const answer = new Promise<CommandAnswer>((resolve, reject) => {
        const unreachable = (why: Unreachable) => {
          done();
          reject(new DeviceUnreachableError(serial, why));
        };
        const timer = setTimeout(() => unreachable('timeout'), timeoutMs + RELAY_MARGIN_MS);
        const done = () => {
          clearTimeout(timer);
          waiting.delete(id);
        };
        waiting.set(id, {
          answer(value) {
            done();
            resolve(value);
          },
          unreachable,
        });
      });
      // Nobody listening: the holder died between the look-up and now.
      const receivers = await publish(holder, { kind: 'command', id, serial, command, timeoutMs, replyTo: instance });
      if (receivers === 0) waiting.get(id)?.unreachable('offline');
      return answer;
    },
    async online(serials) {
      const remote = serials.filter((s) => !connections.get(s));
      const named = await holders(remote);
      return new Set([...serials.filter((s) => connections.get(s)), ...remote.filter((_, i) => named[i] !== undefined)]);
    },
  };

  return {
    connections,
    router,
    async close() {
      clearInterval(renewal);
      redis.off('ready', reclaim);
      await Promise.all([...held].map((serial) => redis.eval(RELEASE, 1, claimKey(serial), instance).catch(() => undefined)));
      held.clear();
      subscriber.disconnect();
      for (const asker of [...waiting.values()]) asker.unreachable('closed');
    },
  };
}

import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeviceUnreachableError, type DeviceConnection } from '../../../src/cloud/devices/device-router.js';
import { redisDeviceRouting, type SharedDeviceRouting } from '../../../src/cloud/shared-state/redis-device-router.js';
import type { CommandAnswer, DeviceCommand } from '../../../src/recorder/api/cloud-link.js';
import { createLogger } from '../../../src/shared/logger.js';
import { startRedis, type TestRedis } from '../../helpers/redis.js';

// Two instances' device routing on one real Redis, each with its own connections as in two
// processes. The device side is the router's narrow port (DeviceConnection): a connection that
// answers what it is sent, or never answers. test/cloud/instances.test.ts runs a real recorder.
let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server?.stop());

interface Instance {
  redis: Redis;
  routing: SharedDeviceRouting;
}
const instances: Instance[] = [];
let prefixes = 0;

async function twoInstances(): Promise<[Instance, Instance]> {
  const prefix = `test-${++prefixes}:`;
  const start = async () => {
    // No reconnection: a connection cut off stays cut off, as a killed process's would.
    const redis = new Redis(server.url, { connectionName: `instance-${prefixes}-${instances.length}`, retryStrategy: () => null });
    const instance = { redis, routing: redisDeviceRouting(redis, createLogger({ level: 'silent' }), prefix) };
    instances.push(instance);
    return instance;
  };
  return [await start(), await start()];
}
afterEach(async () => {
  for (const { routing, redis } of instances.splice(0)) {
    await routing.close();
    redis.disconnect();
  }
});

/** Closes every Redis connection of `instance` (its own and its subscriber, which share its name) from Redis's side. */
async function cutOff(instance: Instance, via: Redis): Promise<void> {
  const name = instance.redis.options.connectionName!;
  const clients = String(await via.client('LIST')).split('\n').filter((line) => line.includes(` name=${name} `));
  expect(clients).toHaveLength(2);
  for (const line of clients) await via.client('KILL', 'ID', /id=(\d+)/.exec(line)![1]!);
}

/** A device connection that answers every command with what it was asked, and keeps what it got. */
function answeringDevice(received: DeviceCommand[] = []): DeviceConnection {
  return {
    publicKey: 'unused',
    async send(command): Promise<CommandAnswer> {
      received.push(command);
      return { ok: true, device: { publicKey: `answered ${command.kind}`, model: 'TEST' } };
    },
    close: () => undefined,
  };
}

const SERIAL = 'VGL-TEST-0001';

describe('device commands between instances through Redis', () => {
  it('a command for a device held by another instance reaches its connection, and the answer comes back', async () => {
    const [a, b] = await twoInstances();
    const received: DeviceCommand[] = [];
    a.routing.connections.attach(SERIAL, answeringDevice(received));
    await expect.poll(() => b.routing.router.online([SERIAL, 'VGL-OTHER'])).toEqual(new Set([SERIAL]));
    const answer = await b.routing.router.deliver(SERIAL, { kind: 'unbind' }, 1000);
    expect(answer).toEqual({ ok: true, device: { publicKey: 'answered unbind', model: 'TEST' } });
    expect(received).toEqual([{ kind: 'unbind' }]);
    // The holder itself delivers through its own table.
    expect(await a.routing.router.deliver(SERIAL, { kind: 'unbind' }, 1000)).toMatchObject({ ok: true });
    expect(received).toHaveLength(2);
  });

  it('a device nobody holds is offline and unreachable at once; a connection that went away takes its claim with it', async () => {
    const [a, b] = await twoInstances();
    await expect(b.routing.router.deliver(SERIAL, { kind: 'unbind' }, 1000)).rejects.toBeInstanceOf(DeviceUnreachableError);
    const device = answeringDevice();
    a.routing.connections.attach(SERIAL, device);
    await expect.poll(() => b.routing.router.online([SERIAL])).toEqual(new Set([SERIAL]));
    a.routing.connections.detach(SERIAL, device);
    await expect.poll(() => b.routing.router.online([SERIAL])).toEqual(new Set());
    await expect(b.routing.router.deliver(SERIAL, { kind: 'unbind' }, 1000)).rejects.toBeInstanceOf(DeviceUnreachableError);
  });

  it('the newest connection wins: a device that moved to another instance is reached there', async () => {
    const [a, b] = await twoInstances();
    const atA: DeviceCommand[] = [];
    const atB: DeviceCommand[] = [];
    a.routing.connections.attach(SERIAL, answeringDevice(atA));
    await expect.poll(() => b.routing.router.online([SERIAL])).toEqual(new Set([SERIAL]));
    b.routing.connections.attach(SERIAL, answeringDevice(atB));
    // A still has the old connection in its table: its detach must not drop B's claim.
    a.routing.connections.detach(SERIAL, a.routing.connections.get(SERIAL)!);
    await a.routing.router.deliver(SERIAL, { kind: 'unbind' }, 1000);
    expect([atA.length, atB.length]).toEqual([0, 1]);
    expect(await a.routing.router.online([SERIAL])).toEqual(new Set([SERIAL]));
  });

  it('an instance that dies without a word (its Redis connections cut) no longer counts as holding its devices', async () => {
    const [a, b] = await twoInstances();
    a.routing.connections.attach(SERIAL, answeringDevice());
    await expect.poll(() => b.routing.router.online([SERIAL])).toEqual(new Set([SERIAL]));
    // As SIGKILL would: the sockets close, nothing is released, the claim is still in Redis.
    await cutOff(a, b.redis);
    expect(await b.redis.get(`test-${prefixes}:device:${SERIAL}`)).not.toBeNull();
    await expect.poll(() => b.routing.router.online([SERIAL])).toEqual(new Set());
    await expect(b.routing.router.deliver(SERIAL, { kind: 'unbind' }, 1000)).rejects.toBeInstanceOf(DeviceUnreachableError);
  });

  it('a device that does not answer in time is unreachable for the asker too', async () => {
    const [a, b] = await twoInstances();
    const silent: DeviceConnection = {
      publicKey: 'unused',
      send: (_command, timeoutMs) => new Promise((_, reject) => setTimeout(() => reject(new DeviceUnreachableError(SERIAL, 'timeout')), timeoutMs)),
      close: () => undefined,
    };
    a.routing.connections.attach(SERIAL, silent);
    await expect.poll(() => b.routing.router.online([SERIAL])).toEqual(new Set([SERIAL]));
    await expect(b.routing.router.deliver(SERIAL, { kind: 'unbind' }, 100)).rejects.toBeInstanceOf(DeviceUnreachableError);
  });

  it('after Redis restarts empty (no persistence), each instance claims its devices again as soon as it reconnects', async () => {
    let own = await startRedis();
    // Instances that reconnect, as the cloud's do (shared-state/redis.ts).
    const start = () => {
      const redis = new Redis(own.url, { retryStrategy: () => 100 });
      return { redis, routing: redisDeviceRouting(redis, createLogger({ level: 'silent' })) };
    };
    const [a, b] = [start(), start()];
    try {
      a.routing.connections.attach(SERIAL, answeringDevice());
      await expect.poll(() => b.routing.router.online([SERIAL])).toEqual(new Set([SERIAL]));
      const port = Number(new URL(own.url).port);
      await own.stop();
      own = await startRedis(port);
      // Well before the 10 s renewal, which only extends a claim that is still there.
      await expect.poll(() => b.routing.router.online([SERIAL]), { timeout: 5000 }).toEqual(new Set([SERIAL]));
      expect(await b.routing.router.deliver(SERIAL, { kind: 'unbind' }, 1000)).toMatchObject({ ok: true });
    } finally {
      for (const { routing, redis } of [a, b]) {
        await routing.close();
        redis.disconnect();
      }
      await own.stop();
    }
  });
});

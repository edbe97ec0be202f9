import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { externalUrl, listenAddress, wholeNumber } from '../shared/cli-arguments.js';
import { parseListenAddress, type ListenAddress } from '../shared/listen-address.js';
import type { SmtpServer } from '../identity/senders/smtp.js';
import { parseSmtpUrl } from './mail.js';
import { DEFAULT_RECOVERY_WAIT_SECONDS } from './recovery/account-recovery-policy.js';

/** A PostgreSQL server's address; its password may be in it, so it is never printed back. */
function databaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected a URL such as postgres://vigil:PASSWORD@db.example.net:5432/vigil');
  }
  if (!['postgres:', 'postgresql:'].includes(url.protocol)) {
    throw new InvalidArgumentError('expected a postgres:// URL, such as postgres://vigil:PASSWORD@db.example.net:5432/vigil');
  }
  return value;
}

/** A Redis server's address; its password may be in it too. */
function redisUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // answered below
  }
  if (!url || !['redis:', 'rediss:'].includes(url.protocol)) {
    throw new InvalidArgumentError('expected a redis:// (or rediss:// for TLS) URL, such as redis://:PASSWORD@cache.example.net:6379/0');
  }
  return value;
}

/** Addresses or CIDR ranges, separated by commas: what a proxy in front of the cloud connects from. */
function proxyAddresses(value: string): string[] {
  const addresses = value.split(',').map((a) => a.trim());
  for (const address of addresses) {
    const [ip, bits, ...rest] = address.split('/');
    const family = isIP(ip ?? '');
    const maxBits = family === 6 ? 128 : 32;
    const validBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits);
    if (family === 0 || !validBits || rest.length > 0) {
      throw new InvalidArgumentError(`${JSON.stringify(address)} is not an address or a CIDR range, such as 10.0.0.5 or 10.0.0.0/24`);
    }
  }
  return addresses;
}

function smtpUrl(value: string): SmtpServer {
  try {
    return parseSmtpUrl(value);
  } catch (error) {
    throw new InvalidArgumentError(`${(error as Error).message}, such as smtps://cloud:PASSWORD@mail.example.net:465`);
  }
}

/** An SMS gateway's address: texts are POSTed there as JSON `{ to, text }`. */
function smsGatewayUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected a URL such as https://sms.example.net/send');
  }
  if (!['http:', 'https:'].includes(url.protocol)) throw new InvalidArgumentError('expected an http:// or https:// URL, such as https://sms.example.net/send');
  return value;
}

interface CloudCommandOptions {
  data: string;
  listen: ListenAddress;
  database?: string;
  redis?: string;
  trustedProxy?: string[];
  externalUrl?: string;
  smtp?: SmtpServer;
  mailFrom?: string;
  smsGateway?: string;
  smsGatewayAuth?: string;
  tlsCert?: string;
  tlsKey?: string;
  accountRecoveryWait: number;
}

/** `vigil cloud`: the cloud account service. */
export function registerCloudCommand(program: Command): void {
  program
    .command('cloud')
    .description('the cloud account service: owners\' accounts online, for the recorders bound to them')
    .addOption(
      new Option('--data <dir>', 'data directory of the cloud: its keys, its certificate, and its database unless --database is given')
        .env('VIGIL_CLOUD_DATA')
        .default('./cloud-data'),
    )
    .addOption(
      new Option('--listen <host:port>', 'address to serve the API on; plain HTTP only on loopback, HTTPS elsewhere')
        .env('VIGIL_CLOUD_LISTEN')
        .default(parseListenAddress('127.0.0.1:8090'), '127.0.0.1:8090')
        .argParser(listenAddress),
    )
    .addOption(
      new Option('--database <url>', 'a PostgreSQL server (postgres://user:password@host:port/db) instead of the embedded one in --data; several instances can share it')
        .env('VIGIL_CLOUD_DATABASE')
        .argParser(databaseUrl),
    )
    .addOption(
      new Option('--redis <url>', 'a Redis server (redis://:password@host:port/db) that several instances on one --database share: the per-source throttles count there')
        .env('VIGIL_CLOUD_REDIS')
        .argParser(redisUrl),
    )
    .addOption(
      new Option('--trusted-proxy <addresses>', 'the proxy in front of the instances (addresses or CIDR ranges, comma-separated): its X-Forwarded-For names the client; nobody else\'s is believed')
        .env('VIGIL_CLOUD_TRUSTED_PROXY')
        .argParser(proxyAddresses),
    )
    .addOption(
      new Option('--external-url <url>', 'the address people use to reach the cloud (for links in its mails; its name is the passkeys\' relying party)').env('VIGIL_CLOUD_EXTERNAL_URL').argParser(externalUrl),
    )
    .addOption(
      new Option('--smtp <url>', 'the mail server for sign-up codes and security mail: smtps://user:password@host:465, smtp://...:587 (STARTTLS), or smtp://host:25?security=none for a local relay; best in the environment, out of `ps`')
        .env('VIGIL_CLOUD_SMTP')
        .argParser(smtpUrl),
    )
    .addOption(new Option('--mail-from <address>', 'the sender address of its mails (with --smtp)').env('VIGIL_CLOUD_MAIL_FROM'))
    .addOption(
      new Option('--sms-gateway <url>', 'an SMS gateway for sign-up codes and security notices by text: texts are POSTed to it as JSON {to, text}, as the recorder sends them')
        .env('VIGIL_CLOUD_SMS_GATEWAY')
        .argParser(smsGatewayUrl),
    )
    .addOption(
      new Option('--sms-gateway-auth <header>', 'the Authorization header value for --sms-gateway; best in the environment, out of `ps`').env('VIGIL_CLOUD_SMS_GATEWAY_AUTH'),
    )
    .addOption(new Option('--tls-cert <file>', 'TLS certificate (PEM) instead of the self-signed one the cloud makes in --data').env('VIGIL_CLOUD_TLS_CERT'))
    .addOption(new Option('--tls-key <file>', 'private key (PEM) of --tls-cert').env('VIGIL_CLOUD_TLS_KEY'))
    .addOption(
      new Option('--account-recovery-wait <seconds>', 'how long an account recovery (lost second factors) waits, with daily notices, before it removes them')
        .env('VIGIL_CLOUD_ACCOUNT_RECOVERY_WAIT')
        .default(DEFAULT_RECOVERY_WAIT_SECONDS, `${DEFAULT_RECOVERY_WAIT_SECONDS} (7 days)`)
        .argParser(wholeNumber(60, 90 * 86_400)),
    )
    .action(async (opts: CloudCommandOptions, command: Command) => {
      if (Boolean(opts.tlsCert) !== Boolean(opts.tlsKey)) command.error('--tls-cert and --tls-key go together: give both or neither');
      if (Boolean(opts.smtp) !== Boolean(opts.mailFrom)) command.error('--smtp and --mail-from go together: give both or neither');
      if (opts.smsGatewayAuth && !opts.smsGateway) command.error('--sms-gateway-auth needs --sms-gateway');
      // The server (Fastify, the database drivers) loads only when the cloud runs.
      const { startCloud, CloudDataDirBusyError, CloudDatabaseUnavailableError, CloudRedisUnavailableError } = await import('./daemon.js');
      const { DatabaseNewerError } = await import('./db/migrate.js');
      const dataDir = resolve(opts.data);
      let running: Awaited<ReturnType<typeof startCloud>>;
      try {
        running = await startCloud({
          dataDir,
          listen: opts.listen,
          databaseUrl: opts.database,
          redisUrl: opts.redis,
          trustedProxies: opts.trustedProxy,
          externalUrl: opts.externalUrl,
          mail: opts.smtp && opts.mailFrom ? { server: opts.smtp, from: opts.mailFrom } : undefined,
          sms: opts.smsGateway ? { url: opts.smsGateway, authorization: opts.smsGatewayAuth } : undefined,
          tls: opts.tlsCert && opts.tlsKey ? { certFile: opts.tlsCert, keyFile: opts.tlsKey } : undefined,
          accountRecoveryWaitSeconds: opts.accountRecoveryWait,
        });
      } catch (error) {
        // Problems the person starting it can fix: their words, without a stack.
        if (error instanceof CloudDataDirBusyError || error instanceof CloudDatabaseUnavailableError || error instanceof CloudRedisUnavailableError || error instanceof DatabaseNewerError) {
          command.error(error.message);
        }
        throw error;
      }
      console.log(`Vigil cloud is running at ${running.url}`);
      console.log(`  Data      ${dataDir}`);
      console.log(`  Database  ${running.database}, schema version ${running.schemaVersion}`);
      console.log(`  Shared    ${running.sharedState ?? 'nothing (--redis): the per-source throttles count in the database'}`);
      if (opts.trustedProxy) console.log(`  Proxy     ${opts.trustedProxy.join(', ')} (its X-Forwarded-For names the client)`);
      if (opts.externalUrl) console.log(`  Reached   ${opts.externalUrl}`);
      console.log(opts.smtp ? `  Mail      ${opts.smtp.host}:${opts.smtp.port} from ${opts.mailFrom}` : '  Mail      none (--smtp): nobody can sign up by email');
      // The gateway's address only: a token in its query or the Authorization header stays unprinted.
      console.log(opts.smsGateway ? `  SMS       ${new URL(opts.smsGateway).origin}` : '  SMS       none (--sms-gateway): nobody can sign up by phone');
      if (running.https && !opts.tlsCert) console.log('It uses a self-signed certificate unless --tls-cert is given: browsers will ask to trust it.');
      const stop = () => {
        console.log('Stopping the cloud...');
        void running.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

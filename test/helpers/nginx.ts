// Debian's nginx in front of several servers, for tests and benchmarks (bench/cloud.ts; `npm test`'s
// bootstrap installs the package): a round-robin upstream, WebSocket upgrades passed through, the
// client's address in X-Forwarded-For. Its configuration, pid file, error log and temporary files
// all live in a temporary directory, it stays in the foreground (`daemon off`) as our child, and it
// is stopped and deleted after. As root its workers run as root too: they must reach that directory.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export interface TestNginx {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** What nginx logged (warnings and errors), for a failing test's message. */
  errorLog(): string;
  stop(): Promise<void>;
}

const NGINX = '/usr/sbin/nginx';

/** The configuration: `upstreams` are host:port of plain-HTTP servers, tried in turn. */
export function nginxConfig(dir: string, port: number, upstreams: readonly string[]): string {
  const asRoot = process.getuid?.() === 0;
  return `daemon off;
${asRoot ? 'user root root;\n' : ''}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  # An upgrade asks for one; anything else keeps the connection to the instance open for the next request.
  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
  upstream vigil_cloud {
${upstreams.map((u) => `    server ${u};`).join('\n')}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://vigil_cloud;
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      # The client's address, replacing whatever the client claimed: the instances trust this proxy's word only.
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_read_timeout 1h;
      # Which instance answered: for tests that count how requests spread.
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts nginx in front of `upstreams` (host:port each); resolves once it accepts connections. */
export async function startNginx(upstreams: readonly string[]): Promise<TestNginx> {
  if (!existsSync(NGINX)) throw new Error(`nginx is not installed (no ${NGINX}): npm test installs Debian's nginx package`);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-nginx-'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig(dir, port, upstreams));
  const errorLog = () => (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '');
  // -e: the error log before the configuration is read, which would otherwise be /var/log/nginx's.
  const server = spawn(NGINX, ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (server.exitCode !== null || Date.now() > deadline) {
      server.kill('SIGTERM');
      const why = `${stderr}${errorLog()}`;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`nginx did not start:\n${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    errorLog,
    async stop() {
      // SIGTERM is nginx's fast shutdown: the master stops its workers and exits.
      if (server.exitCode === null) server.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './run';

export const hasNginx = spawnSync('nginx', ['-v']).status === 0;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * nginx running scripts/deploy/nginx.conf as the README shows it, with the two upstream ports and
 * the listening port replaced by the test's, in a prefix directory of its own.
 */
export async function startNginx(upstreams: [number, number]): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-api-nginx-'));
  const port = await freePort();
  const conf = readFileSync(join(ROOT, 'scripts', 'deploy', 'nginx.conf'), 'utf8')
    .replace('server 127.0.0.1:8081', `server 127.0.0.1:${upstreams[0]}`)
    .replace('server 127.0.0.1:8082', `server 127.0.0.1:${upstreams[1]}`)
    .replace('listen 127.0.0.1:8080', `listen 127.0.0.1:${port}`);
  if (!conf.includes(`:${upstreams[0]}`) || !conf.includes(`:${upstreams[1]}`)) throw new Error('nginx.conf: upstreams not found');
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child: ChildProcess = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'inherit' });
  const exited = new Promise((resolve) => child.on('close', resolve));
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(!!socket.end()));
      socket.on('error', () => resolve(false));
    });
    if (open) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGQUIT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

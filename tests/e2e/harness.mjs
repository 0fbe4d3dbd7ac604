// Test harness: starts fake upstreams and the real `nexus serve` process on loopback ports,
// and tears them down. Paths come from the environment that ctest sets (see CMakeLists.txt).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const NEXUS_EXE = process.env.NEXUS_EXE ?? path.resolve(here, '../../build/nexus');
export const PLUGIN_DIR = process.env.NEXUS_PLUGIN_DIR ?? path.resolve(here, '../../build/plugins');
export const FAKES_DIR = path.resolve(here, '../fake_upstreams');

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function waitForLine(proc, pattern, what, timeoutMs = 15000) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs} ms:\n${seen}`)), timeoutMs);
    const onData = (buf) => {
      seen += buf.toString();
      const m = seen.match(pattern);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before it was ready:\n${seen}`));
    });
  });
}

// Starts tests/fake_upstreams/<name>.mjs on a free port; it prints `LISTENING <port>`.
export async function startFake(name, args = []) {
  const proc = spawn(process.execPath, [path.join(FAKES_DIR, `${name}.mjs`), '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const m = await waitForLine(proc, /LISTENING (\d+)/, `fake ${name}`);
  const port = Number(m[1]);
  const url = `http://127.0.0.1:${port}`;
  return {
    port,
    url,
    proc,
    async requests() {
      return (await fetch(`${url}/__requests`)).json();
    },
    async clearRequests() {
      await fetch(`${url}/__requests`, { method: 'DELETE' });
    },
    stop() {
      proc.kill('SIGTERM');
    },
  };
}

// Writes `yaml` (with {{PORT}} replaced by the gateway's port and {{PLUGIN_DIR}} by the
// plugin directory) to a temp dir and starts `nexus serve` on it.
export async function startNexus(yaml, { env = {}, extraArgs = [] } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nexus-e2e-'));
  const configPath = path.join(dir, 'nexus.yaml');
  writeFileSync(configPath, yaml.replaceAll('{{PORT}}', String(port)).replaceAll('{{PLUGIN_DIR}}', PLUGIN_DIR));
  const proc = spawn(NEXUS_EXE, ['serve', '-c', configPath, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let log = '';
  proc.stdout.on('data', (b) => (log += b));
  proc.stderr.on('data', (b) => (log += b));
  await waitForLine(proc, /listening on http:\/\/[^:]+:(\d+)/, 'nexus');
  const url = `http://127.0.0.1:${port}`;
  return {
    port,
    url,
    dir,
    configPath,
    proc,
    log: () => log,
    async stop() {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill('SIGTERM');
      return new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    },
  };
}

// Runs a command to completion and returns {code, stdout, stderr}.
export function run(cmd, args, { env = {}, timeoutMs = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (b) => (stdout += b));
    proc.stderr.on('data', (b) => (stderr += b));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

// The descriptors of process `pid`, and its TCP connections by remote port (from
// /proc/<pid>/fd and /proc/net/tcp{,6}), to tell a leak from a pooled upstream connection.
// The kernel lists the TCP tables piecewise, so a socket that changes state meanwhile can be
// missed: compare snapshots with settled() rather than once.
export function processFds(pid) {
  const dir = `/proc/${pid}/fd`;
  const inodes = new Set();
  let all = 0;
  for (const fd of readdirSync(dir)) {
    all++;
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`${dir}/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {}  // closed meanwhile
  }
  const tcp = [];
  for (const table of ['tcp', 'tcp6']) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || !inodes.has(f[9])) continue;
      const port = (addr) => parseInt(addr.split(':')[1], 16);
      tcp.push({ localPort: port(f[1]), remotePort: port(f[2]), state: f[3] });
    }
  }
  // Connections to `ports` (the upstreams), whatever their state.
  const to = (ports) => tcp.filter((c) => ports.includes(c.remotePort)).length;
  // Connections clients made to `port` (the gateway's), listeners left out.
  const accepted = (port) => tcp.filter((c) => c.localPort === port && c.state !== '0A').length;
  return { all, sockets: inodes.size, tcp, to, accepted };
}

// Polls `measure()` until `ok(value)` holds (then returns it) or `ms` pass (then returns the
// last value, for the assertion to report).
export async function settled(measure, ok, ms = 1000) {
  const t0 = Date.now();
  for (;;) {
    const v = await measure();
    if (ok(v) || Date.now() - t0 > ms) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

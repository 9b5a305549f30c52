/**
 * A fault-injecting HTTP proxy for the S3/SNS reliability tests.
 *
 * It listens on 127.0.0.1 (a free port), forwards every request to `target`
 * (moto) and, for a configurable share of the requests it selects, fails
 * them instead:
 *
 * - `503`: answers `503 Slow Down` with S3's `SlowDown` XML error (what S3
 *   returns when throttling; SDKs retry it);
 * - `reset`: destroys the client socket (ECONNRESET for the client), after
 *   having read part of the request body when there is one;
 * - `mixed`: alternates between the two.
 *
 * Which requests fail is deterministic: with share `r`, request number `n`
 * (counting only selected requests) fails when `floor((n + 1) r) > floor(n r)`,
 * so failures are spread evenly (r = 0.3 fails 3 requests of every 10, never
 * two in a row while r ≤ 0.5) and a run is reproducible. Share 1 fails all.
 *
 * `delayMs` holds every selected request that long before forwarding it (a
 * slow S3, for the signal tests); `hold()` keeps them waiting until
 * `release()`.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FaultMode = '503' | 'reset' | 'mixed';

export interface FaultOptions {
  /** Share of selected requests to fail, 0..1. Default 0. */
  failRate?: number;
  /** How a failing request fails. Default `503`. */
  mode?: FaultMode;
  /** Which requests are subject to faults and delays (default: all). */
  select?: (req: { method: string; url: string; headers: IncomingMessage['headers'] }) => boolean;
  /** Delay before forwarding each selected request, in ms. */
  delayMs?: number;
}

export interface FaultStats {
  /** Every request received. */
  requests: number;
  /** Requests passed to the target. */
  forwarded: number;
  /** Requests answered 503 SlowDown. */
  slowDown: number;
  /** Requests whose connection was destroyed. */
  resets: number;
  /** `METHOD path?query` of every request received, in order (query values trimmed). */
  log: string[];
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly stats: FaultStats;
  /** Changes the fault options for the following requests (and restarts the failure pattern). */
  configure(options: FaultOptions): void;
  /** Holds selected requests (before forwarding) until `release()`. */
  hold(): void;
  release(): void;
  /** Resolves once at least `n` requests have been received. */
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  /** Stops listening and destroys open connections. */
  close(): Promise<void>;
}

const SLOW_DOWN_XML = (resource: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>` +
  `<Resource>${resource.replace(/[<&>]/g, '')}</Resource><RequestId>FAULTPROXY0000001</RequestId></Error>`;

export async function startFaultProxy(target: string, initial: FaultOptions = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  let options: FaultOptions = { ...initial };
  let selectedCount = 0;
  let mixedToggle = 0;
  let holding = false;
  const held: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const upstreamRequests = new Set<ReturnType<typeof httpRequest>>();
  const timers = new Set<NodeJS.Timeout>();
  const stats: FaultStats = { requests: 0, forwarded: 0, slowDown: 0, resets: 0, log: [] };
  const waiters: { n: number; resolve: () => void }[] = [];

  const shouldFail = (): boolean => {
    const rate = Math.min(1, Math.max(0, options.failRate ?? 0));
    const n = selectedCount++;
    return Math.floor((n + 1) * rate) > Math.floor(n * rate);
  };

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    stats.forwarded++;
    const out = httpRequest(
      {
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    upstreamRequests.add(out);
    out.on('close', () => upstreamRequests.delete(out));
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(out);
    // The client went away mid-request (killed, reset): do not leave moto waiting for the rest of the body.
    res.on('close', () => {
      if (!res.writableFinished) out.destroy();
    });
  };

  const fail = (req: IncomingMessage, res: ServerResponse) => {
    const mode = options.mode === 'mixed' ? (mixedToggle++ % 2 === 0 ? '503' : 'reset') : (options.mode ?? '503');
    if (mode === 'reset') {
      stats.resets++;
      const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
      if (!hasBody) return req.socket.destroy();
      // Reset mid-upload: after the first chunk of the body, like a dropped connection.
      req.once('data', () => req.socket.destroy());
      req.once('end', () => req.socket.destroy());
      return;
    }
    stats.slowDown++;
    // Read the whole body first, so the client sees the 503 rather than a broken pipe.
    req.resume();
    req.on('end', () => {
      const body = SLOW_DOWN_XML(req.url ?? '/');
      res.writeHead(503, 'Slow Down', { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-amz-request-id': 'FAULTPROXY0000001' });
      res.end(body);
    });
  };

  const server: Server = createServer((req, res) => {
    stats.requests++;
    stats.log.push(`${req.method} ${(req.url ?? '').replace(/=([^&]{24})[^&]*/g, '=$1…')}`);
    for (const w of waiters.splice(0)) {
      if (stats.requests >= w.n) w.resolve();
      else waiters.push(w);
    }
    const selected = options.select ? options.select({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers }) : true;
    if (!selected) return forward(req, res);
    const failing = shouldFail();
    const go = () => (failing ? fail(req, res) : forward(req, res));
    const delayed = () => {
      if (!options.delayMs) return go();
      const timer = setTimeout(() => {
        timers.delete(timer);
        go();
      }, options.delayMs);
      timers.add(timer);
    };
    if (holding) held.push(delayed);
    else delayed();
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    configure(next) {
      options = { ...next };
      selectedCount = 0;
      mixedToggle = 0;
    },
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const go of held.splice(0)) go();
    },
    waitForRequests(n, timeoutMs = 20_000) {
      if (stats.requests >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fault proxy: ${stats.requests} of ${n} requests after ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close() {
      holding = false;
      held.splice(0);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const out of upstreamRequests) out.destroy();
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

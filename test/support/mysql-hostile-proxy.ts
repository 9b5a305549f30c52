/**
 * Hostile MariaDB session defaults WITHOUT touching GLOBAL settings (other
 * engineers' tests share the server): a TCP proxy in front of MariaDB that,
 * on every connection, right after authentication succeeds and before the
 * client's first command reaches the server, runs
 * `SET SESSION sql_mode = '', time_zone = '+05:30'` and swallows its reply.
 * To bigrays (or any client) connecting through it, the server looks like
 * one whose defaults are non-strict with a non-UTC time zone; only the
 * connections made through the proxy are affected.
 *
 * Protocol (MariaDB/MySQL client/server, no TLS, no compression): every
 * packet is a 3-byte little-endian length, a sequence byte, the payload.
 * The server speaks first (handshake); after the client's handshake
 * response the server answers OK (0x00), ERR (0xff), or an auth switch /
 * more-data packet (0xfe / 0x01) followed by more round trips, until OK.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export const MYSQL_HOSTILE_INIT = "SET SESSION sql_mode = '', time_zone = '+05:30'";

export interface HostileProxy {
  port: number;
  /** A DSN for bigrays through the proxy. */
  dsn(database?: string): string;
  /** Lets the process exit while the proxy listens (connections still keep it alive). */
  unref(): void;
  close(): Promise<void>;
}

function packet(seq: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = seq;
  return Buffer.concat([header, payload]);
}

export async function startMysqlHostileProxy(options: { host?: string; port?: number; init?: string } = {}): Promise<HostileProxy> {
  const upstreamHost = options.host ?? '127.0.0.1';
  const upstreamPort = options.port ?? 3306;
  const init = options.init ?? MYSQL_HOSTILE_INIT;
  const sockets = new Set<Socket>();

  const server: Server = createServer((client) => {
    sockets.add(client);
    const upstream = createConnection({ host: upstreamHost, port: upstreamPort });
    sockets.add(upstream);
    let state: 'auth' | 'inject' | 'pipe' = 'auth';
    let fromServer = Buffer.alloc(0);
    let packetsSeen = 0;
    const held: Buffer[] = [];

    const fail = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', fail);
    upstream.on('error', fail);
    client.on('close', () => (upstream.end(), sockets.delete(client)));
    upstream.on('close', () => (client.end(), sockets.delete(upstream)));

    client.on('data', (chunk: Buffer) => {
      if (state === 'inject') held.push(chunk);
      else upstream.write(chunk);
    });

    upstream.on('data', (chunk: Buffer) => {
      if (state === 'pipe') {
        client.write(chunk);
        return;
      }
      fromServer = Buffer.concat([fromServer, chunk]);
      while (fromServer.length >= 4) {
        const length = fromServer.readUIntLE(0, 3);
        if (fromServer.length < 4 + length) break;
        const whole = fromServer.subarray(0, 4 + length);
        const first = whole[4];
        fromServer = fromServer.subarray(4 + length);
        packetsSeen++;
        if (state === 'auth') {
          client.write(whole);
          if (packetsSeen > 1 && first === 0x00) {
            state = 'inject';
            upstream.write(packet(0, Buffer.concat([Buffer.from([0x03]), Buffer.from(init, 'utf8')])));
          }
        } else if (state === 'inject') {
          // The reply to our SET: OK, or ERR (then the session is not hostile: fail loudly by closing).
          if (first !== 0x00) {
            process.stderr.write(`mysql-hostile-proxy: the server refused ${init}: ${whole.subarray(7).toString('utf8')}\n`);
            fail();
            return;
          }
          state = 'pipe';
          if (fromServer.length > 0) client.write(fromServer);
          fromServer = Buffer.alloc(0);
          for (const h of held.splice(0)) upstream.write(h);
          return;
        }
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    dsn: (database = 'test') => `mysql://root@127.0.0.1:${port}/${database}`,
    unref: () => void server.unref(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

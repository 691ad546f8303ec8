import net from 'node:net';

type Mode = 'open' | 'stalled' | 'down';

/**
 * A TCP proxy in front of a real server (here the run's Redis), which a test can stall or take down
 * to see how the service copes, without touching the server other test files share.
 *
 * - `stall()`: connections stay open but nothing moves in either direction; what was sent is held
 *   and delivered, in order, by `resume()` (a Redis that stops answering, then recovers).
 * - `down()`: every connection is cut and new ones are refused (a Redis that is gone); `up()`
 *   listens again on the same port.
 */
export class TcpProxy {
  private mode: Mode = 'open';
  private readonly sockets = new Set<net.Socket>();
  private held: (() => void)[] = [];
  private server: net.Server;

  private constructor(
    private readonly target: { host: string; port: number },
    private port = 0,
  ) {
    this.server = this.newServer();
  }

  /** A proxy to `targetUrl` (e.g. `redis://127.0.0.1:6379`), listening on a free local port. */
  static async start(targetUrl: string): Promise<TcpProxy> {
    const url = new URL(targetUrl);
    const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port || 6379) });
    await proxy.listen();
    return proxy;
  }

  /** The target's URL with the proxy's address. */
  urlFor(targetUrl: string): string {
    const url = new URL(targetUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  stall(): void {
    this.mode = 'stalled';
  }

  resume(): void {
    this.mode = 'open';
    const held = this.held;
    this.held = [];
    for (const send of held) {
      send();
    }
  }

  async down(): Promise<void> {
    this.mode = 'down';
    this.held = [];
    for (const socket of this.sockets) {
      socket.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async up(): Promise<void> {
    if (this.mode !== 'down') {
      return;
    }
    this.mode = 'open';
    this.server = this.newServer();
    await this.listen();
  }

  async close(): Promise<void> {
    if (this.mode !== 'down') {
      await this.down();
    }
  }

  private newServer(): net.Server {
    return net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      this.forward(client, upstream);
      this.forward(upstream, client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  private forward(from: net.Socket, to: net.Socket): void {
    from.on('data', (chunk: Buffer) => {
      const send = () => {
        if (!to.destroyed) {
          to.write(chunk);
        }
      };
      if (this.mode === 'stalled') {
        this.held.push(send);
      } else {
        send();
      }
    });
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.port = (this.server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }
}

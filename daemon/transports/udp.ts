/**
 * udp:// — Mesh SA and other datagram links. One message per datagram, mesh framing for
 * TAK protocol 1 (BF 01 BF) on multicast, unicast and broadcast alike; received datagrams
 * are detected per datagram (XML or protobuf).
 *
 * Multicast: TTL (default 1), one send socket per configured interface (by name or IPv4
 * address), a receive socket bound to the group with reuseAddr that joins on each
 * interface, loopback off, and our own datagrams dropped if they come back anyway.
 * Interface names are re-resolved periodically, so a DHCP renumbering is followed.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { decodeDatagram } from '../codec/datagram.js';
import type { CotEvent } from '../codec/event.js';
import { XmlEventDecoder } from '../codec/xml/decode.js';
import { DropLog } from '../../util/drop-log.js';
import { classifyError, TransportConfigError } from './errors.js';
import { localAddresses, resolveInterface, type ResolvedInterface } from './interfaces.js';
import { deliver } from './deliver.js';
import { DEFAULTS, type TransportOptions } from './options.js';
import { datagramEncoder } from './stream-codec.js';
import { silentLogger, type Logger } from '../../util/logger.js';
import { newCounters, type Transport, type TransportState, type TransportStatus } from './types.js';
import { formatAddress, parseTtl, type UdpSpec } from './url.js';

/** Largest UDP payload: 65535 minus the IP and UDP headers. */
const MAX_DATAGRAM = { 4: 65_507, 6: 65_527 } as const;

interface Sender {
  iface: ResolvedInterface | undefined;
  socket: Socket;
}

export class UdpTransport implements Transport {
  readonly name: string;
  readonly canSend: boolean;
  readonly canReceive: boolean;
  private readonly logger: Logger;
  private readonly family: 4 | 6;
  private readonly counters = newCounters();
  private readonly dropLog: DropLog;
  private readonly xmlDecoder = new XmlEventDecoder();
  private readonly encode: (event: CotEvent) => Buffer;
  private readonly ttl: number;
  private readonly maxInFlight: number;
  private interfaces: ResolvedInterface[] = [];
  private senders: Sender[] = [];
  private receiver: Socket | undefined;
  private ownPorts = new Set<number>();
  private ownAddresses = localAddresses();
  private recheckTimer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private state: TransportState = 'stopped';
  private message = 'not started';
  /** Our own multicast datagrams that came back (two of our interfaces on one LAN) and were dropped. */
  ownDatagramsDropped = 0;

  constructor(
    private readonly spec: UdpSpec,
    private readonly options: TransportOptions = {},
  ) {
    const modifier = spec.cast === 'broadcast' ? '+broadcast' : '';
    this.name = options.name ?? `udp${modifier}://${formatAddress(spec.host, spec.port)}`;
    this.canSend = spec.direction !== 'receive';
    this.canReceive = spec.direction !== 'send';
    this.logger = options.logger ?? silentLogger;
    this.family = isIP(spec.host) === 6 ? 6 : 4;
    this.dropLog = new DropLog(this.logger, { transport: this.name });
    this.encode = datagramEncoder(options.proto ?? 0);
    const ttl = spec.ttl ?? options.ttl ?? 1;
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 255) parseTtl(String(ttl));
    this.ttl = ttl;
    this.maxInFlight = options.maxQueue ?? DEFAULTS.maxQueue;
    const configured = spec.interfaces.length > 0 ? spec.interfaces : (options.interfaces ?? []);
    if (configured.length > 0 && spec.cast !== 'multicast') {
      throw new TransportConfigError('interface', `interfaces apply to multicast only, not to ${this.name}`);
    }
    this.interfaces = configured.map((name) => resolveInterface(name, this.family));
  }

  /** The local port datagrams are received on, once bound (useful with port 0 in tests). */
  get boundPort(): number | undefined {
    const socket = this.receiver ?? (this.spec.cast === 'unicast' ? this.senders[0]?.socket : undefined);
    try {
      return socket?.address().port;
    } catch {
      return undefined; // not bound yet
    }
  }

  start(): void {
    if (this.state !== 'stopped') return;
    this.state = 'connected';
    this.message = `${this.spec.cast} ${formatAddress(this.spec.host, this.spec.port)}`;
    for (const iface of this.interfaces) {
      if (iface.address === undefined) this.logger.warn({ transport: this.name, interface: iface.configured }, 'interface has no IPv4 address yet; waiting for one');
    }
    if (this.canSend) this.openSenders();
    if (this.canReceive) this.openReceiver();
    if (this.interfaces.some((iface) => isIP(iface.configured) === 0)) {
      this.recheckTimer = setInterval(() => this.recheckInterfaces(), this.options.interfaceRecheckMs ?? DEFAULTS.interfaceRecheckMs);
      this.recheckTimer.unref();
    }
  }

  private type(): 'udp4' | 'udp6' {
    return this.family === 6 ? 'udp6' : 'udp4';
  }

  private openSenders(): void {
    if (this.spec.cast === 'multicast' && this.interfaces.length > 0) {
      for (const iface of this.interfaces) if (iface.address !== undefined) this.senders.push(this.openSender(iface));
    } else {
      this.senders.push(this.openSender(undefined));
    }
  }

  private openSender(iface: ResolvedInterface | undefined): Sender {
    const socket = createSocket({ type: this.type(), reuseAddr: true });
    const sender: Sender = { iface, socket };
    socket.on('error', (error) => this.onSocketError(error, 'send'));
    // Unicast with no +wo: replies to our port are received on the same socket.
    if (this.spec.cast === 'unicast' && this.canReceive) socket.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo));
    const bindAddress = iface && this.family === 4 && iface.address ? iface.address : undefined;
    socket.bind({ port: 0, address: bindAddress }, () => {
      if (this.spec.cast === 'multicast') {
        socket.setMulticastTTL(this.ttl);
        socket.setMulticastLoopback(false);
        if (iface?.address) socket.setMulticastInterface(iface.address);
      } else if (this.spec.cast === 'broadcast') {
        socket.setBroadcast(true);
      }
      this.ownPorts.add(socket.address().port);
    });
    return sender;
  }

  private openReceiver(): void {
    if (this.spec.cast === 'unicast' && this.spec.direction === 'both') return; // the sender receives
    const socket = createSocket({ type: this.type(), reuseAddr: true });
    this.receiver = socket;
    socket.on('error', (error) => this.onSocketError(error, 'receive'));
    socket.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo));
    // Multicast: bound to the group, so only that group's traffic arrives on this socket.
    // Broadcast: bound to the wildcard, where broadcast datagrams are delivered.
    const address = this.spec.cast === 'broadcast' ? undefined : this.spec.host;
    socket.bind({ port: this.spec.port, address }, () => {
      if (this.spec.cast === 'multicast') this.joinAll(socket);
      this.logger.info({ transport: this.name }, 'receiving');
    });
  }

  private joinAll(socket: Socket): void {
    const targets = this.interfaces.length > 0 ? this.interfaces : [undefined];
    for (const iface of targets) {
      if (iface && iface.address === undefined) continue;
      this.join(socket, iface?.address);
    }
  }

  private join(socket: Socket, address: string | undefined): void {
    try {
      socket.addMembership(this.spec.host, address);
    } catch (error) {
      this.logger.error({ transport: this.name, interface: address, cause: classifyError(error).cause }, 'cannot join the multicast group');
    }
  }

  private onSocketError(error: Error, side: 'send' | 'receive'): void {
    const problem = classifyError(error);
    if (problem.kind === 'config' || (error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      this.state = 'failed';
      this.message = `${side}: ${problem.cause}`;
      this.logger.error({ transport: this.name, cause: problem.cause }, `cannot ${side}`);
    } else {
      this.logger.warn({ transport: this.name, cause: problem.cause }, `${side} error`);
    }
  }

  private isOwnDatagram(rinfo: RemoteInfo): boolean {
    return this.ownPorts.has(rinfo.port) && this.ownAddresses.has(rinfo.address);
  }

  private onDatagram(datagram: Buffer, rinfo: RemoteInfo): void {
    if (this.isOwnDatagram(rinfo)) {
      this.ownDatagramsDropped += 1;
      return;
    }
    let decoded: ReturnType<typeof decodeDatagram>;
    try {
      decoded = decodeDatagram(datagram, this.xmlDecoder);
    } catch (error) {
      this.counters.decodeErrors += 1;
      this.logger.debug({ transport: this.name, peer: formatAddress(rinfo.address, rinfo.port), err: (error as Error).message }, 'undecodable datagram');
      return;
    }
    if (!decoded.event) return; // a TakControl-only datagram
    this.counters.eventsReceived += 1;
    deliver(this.options.onEvent, decoded.event, { transport: this.name, peer: formatAddress(rinfo.address, rinfo.port), version: decoded.version }, this.logger);
  }

  isUp(): boolean {
    return this.state === 'connected';
  }

  /**
   * False for an event dropped here and now (not encodable, too large for a datagram, no
   * usable interface, too many datagrams in flight): counted in eventsDropped, and the
   * router counts it as refused rather than sent. A send that fails later in the kernel
   * is counted in eventsDropped only.
   */
  send(event: CotEvent): boolean {
    if (!this.canSend) return false;
    this.counters.eventsQueued += 1;
    let bytes: Buffer;
    try {
      bytes = this.encode(event);
    } catch (error) {
      this.logger.warn({ transport: this.name, uid: event.uid, err: (error as Error).message }, 'event could not be encoded; dropped');
      this.dropLog.note(1, 'not encodable');
      return false;
    }
    if (bytes.length > MAX_DATAGRAM[this.family]) {
      this.dropLog.note(1, `too large for a datagram (${bytes.length} bytes)`);
      return false;
    }
    // A socket still binding queues the datagram and sends it once bound (after our TTL setup).
    const senders = this.senders;
    if (senders.length === 0 || this.inFlight >= this.maxInFlight * senders.length) {
      this.dropLog.note(1, senders.length === 0 ? 'no usable interface' : 'send queue full');
      return false;
    }
    for (const sender of senders) {
      this.inFlight += 1;
      sender.socket.send(bytes, this.spec.port, this.spec.host, (error) => this.onSent(error));
    }
    return true;
  }

  private onSent(error: Error | null): void {
    this.inFlight -= 1;
    if (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.dropLog.note(1, code === 'EMSGSIZE' ? 'too large for a datagram' : `send failed: ${classifyError(error).cause}`);
    } else {
      this.counters.eventsSent += 1;
    }
    if (this.inFlight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  flush(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Follows interfaces whose address changed (DHCP, link up/down). */
  private recheckInterfaces(): void {
    this.ownAddresses = localAddresses();
    this.interfaces = this.interfaces.map((old) => {
      if (isIP(old.configured) !== 0) return old;
      const fresh = resolveInterface(old.configured, this.family);
      if (fresh.address === old.address) return old;
      this.logger.info({ transport: this.name, interface: old.configured, from: old.address, to: fresh.address }, 'interface address changed');
      this.rebindInterface(old, fresh);
      return fresh;
    });
  }

  private rebindInterface(old: ResolvedInterface, fresh: ResolvedInterface): void {
    if (this.canSend) {
      const stale = this.senders.filter((sender) => sender.iface?.configured === old.configured);
      for (const sender of stale) sender.socket.close();
      this.senders = this.senders.filter((sender) => !stale.includes(sender));
      if (fresh.address !== undefined) this.senders.push(this.openSender(fresh));
    }
    if (this.receiver && this.spec.cast === 'multicast') {
      if (old.address !== undefined) {
        try {
          this.receiver.dropMembership(this.spec.host, old.address);
        } catch {
          // The old address is already gone with its membership; nothing to undo.
        }
      }
      if (fresh.address !== undefined) this.join(this.receiver, fresh.address);
    }
  }

  async close(): Promise<void> {
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    this.dropLog.stop();
    const sockets = [...this.senders.map((sender) => sender.socket), ...(this.receiver ? [this.receiver] : [])];
    this.senders = [];
    this.receiver = undefined;
    await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
    this.inFlight = 0;
    for (const resolve of this.idleWaiters) resolve();
    this.idleWaiters = [];
    this.state = 'stopped';
    this.message = 'closed';
  }

  status(): TransportStatus {
    return {
      name: this.name,
      state: this.state,
      message: this.message,
      protocol: this.options.proto ?? 0,
      counters: { ...this.counters, eventsDropped: this.dropLog.total, ownDatagramsDropped: this.ownDatagramsDropped },
    };
  }
}

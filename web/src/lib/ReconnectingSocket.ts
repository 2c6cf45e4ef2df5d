export type SocketState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * A socket a page keeps open: reopened with back-off when it is lost, at once when the browser is
 * back online, and given up for good when the page closes it or the server ends it in a way that
 * means "do not ask again" ({@link isFinal}). Subclasses say how to open one, what its frames mean and
 * when it counts as open.
 */
export abstract class ReconnectingSocket {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private finished = false;

  open(): void {
    this.finished = false;
    this.connect();
    window.addEventListener('online', this.reconnectNow);
  }

  close(): void {
    this.finished = true;
    window.removeEventListener('online', this.reconnectNow);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close(1000);
    }
  }

  /** A new socket for one attempt. */
  protected abstract createSocket(): WebSocket;
  protected abstract onFrame(data: unknown): void;
  protected abstract onState(state: SocketState): void;
  /** A close with this code ends the page's interest (the server said why). */
  protected abstract isFinal(code: number): boolean;
  /** How long to wait before attempt number {@code attempt} after a close with this code. */
  protected abstract retryDelay(code: number, attempt: number): number;

  /** The transport is up; a subclass that waits for the server's own word overrides this. */
  protected onSocketOpen(): void {
    this.connected();
  }

  /** Open at last: the back-off starts again from the shortest. */
  protected connected(): void {
    this.attempt = 0;
    this.onState('open');
  }

  private readonly reconnectNow = () => {
    if (this.finished || this.socket) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.connect();
  };

  private connect(): void {
    this.onState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const socket = this.createSocket();
    this.socket = socket;
    socket.onopen = () => this.onSocketOpen();
    socket.onmessage = (event: MessageEvent) => this.onFrame(event.data);
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.finished || this.isFinal(event.code)) {
        this.finished = true;
        this.onState('closed');
        return;
      }
      this.onState('reconnecting');
      this.timer = setTimeout(() => {
        this.timer = null;
        this.connect();
      }, this.retryDelay(event.code, this.attempt++));
    };
  }
}

// The console's REST client: cookie session, CSRF header on every unsafe request (PROTOCOL.md).

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

export class Api {
  constructor() {
    this.csrf = null;
  }

  async request(method, path, body) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET" && this.csrf) headers["X-CSRF-Token"] = this.csrf;
    const response = await fetch(`/api${path}`, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = null;
    try { data = await response.json(); } catch { /* empty or not JSON */ }
    if (!response.ok) {
      throw new ApiError(response.status, data?.error || "http_error", data?.message || `HTTP ${response.status}`);
    }
    return data;
  }

  get(path) { return this.request("GET", path); }
  post(path, body = {}) { return this.request("POST", path, body); }

  async session() {
    const data = await this.get("/auth/session");
    this.csrf = data.csrf_token;
    return data.agent;
  }

  async login(name, password) {
    const data = await this.post("/auth/login", { name, password });
    this.csrf = data.csrf_token;
    return data.agent;
  }

  async logout() {
    await this.post("/auth/logout");
    this.csrf = null;
  }
}

/** The console WebSocket with reconnect (1 s, 2 s, 4 s ... 30 s) and a keep-alive ping. */
export class ConsoleSocket {
  constructor(onEvent, onState) {
    this.onEvent = onEvent;
    this.onState = onState;
    this.attempt = 0;
    this.stopped = false;
  }

  connect() {
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/console/ws`;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.attempt = 0;
      this.onState("online");
      this.pinger = setInterval(() => this.send({ type: "ping" }), 25000);
    });
    socket.addEventListener("message", (event) => {
      try { this.onEvent(JSON.parse(event.data)); } catch (error) { console.error("console event:", error); }
    });
    socket.addEventListener("close", () => {
      clearInterval(this.pinger);
      if (this.stopped) return;
      this.onState("reconnecting");
      this.attempt += 1;
      setTimeout(() => this.connect(), Math.min(1000 * 2 ** (this.attempt - 1), 30000));
    });
  }

  send(frame) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  close() {
    this.stopped = true;
    this.socket?.close();
  }
}

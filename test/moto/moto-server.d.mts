export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  pid: number;
  logFile: string;
}

declare global {
  /** The server the Jest global setup started; read by the global teardown (same process). */
  var __BIGRAYS_MOTO__: MotoServer | undefined;
}

export function freePort(): Promise<number>;
export function startMoto(command?: string): Promise<MotoServer>;
export function stopMoto(server: Pick<MotoServer, 'pid' | 'logFile'>): Promise<void>;

import type { CodeServerLayout } from './code-server-install.mjs';

export declare const TEST_USER_SETTINGS: Record<string, unknown>;
export declare function freePort(): Promise<number>;

export interface LaunchOptions {
  layout: CodeServerLayout;
  settings?: Record<string, unknown>;
  workspaceTrust?: boolean;
  extensionsDir?: string;
  env?: Record<string, string>;
  workspace?: string;
  port?: number;
  onOutput?: (line: string) => void;
}
export interface LaunchedCodeServer {
  url: string;
  port: number;
  pid: number;
  profile: string;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  readLog(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}
export declare function launchCodeServer(options: LaunchOptions): Promise<LaunchedCodeServer>;
export declare function workbenchUrl(
  serverUrl: string,
  target: { folder?: string; workspaceFile?: string; payload?: [string, string][] },
): string;
export declare function remoteUri(serverUrl: string, path: string): string;

export declare const CODE_SERVER_VERSION: string;
export declare const VSCODE_VERSION: string;
export interface CodeServerLayout {
  root: string;
  /** code-server's Node entry point: run it with process.execPath. */
  entry: string;
  vscode: string;
  ripgrep: string;
}
export declare function codeServerDir(): string;
export declare function codeServerLayout(root?: string): CodeServerLayout;
export declare function ensureCodeServer(options?: { log?: (line: string) => void }): Promise<CodeServerLayout>;
export declare function healthProblem(layout: CodeServerLayout): string | undefined;

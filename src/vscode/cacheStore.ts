// The index's parse cache as files under the extension's storage folder, through `workspace.fs`.
import * as vscode from 'vscode';
import type { CacheStore } from '../core/workspace';

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

export class VsCodeCacheStore implements CacheStore {
  private readonly folder: vscode.Uri;
  private created: Thenable<void> | undefined;

  constructor(storage: vscode.Uri) {
    this.folder = vscode.Uri.joinPath(storage, 'index-cache');
  }

  /** Keys are opaque; every character outside a safe file-name alphabet (including `_`) becomes `_hex_`. */
  private fileFor(key: string): vscode.Uri {
    const name = key.replace(/[^A-Za-z0-9.-]/g, (c) => `_${c.charCodeAt(0).toString(16)}_`);
    // File names are limited to 255 bytes; long keys keep a readable head plus a hash of the whole key.
    const short = name.length > 180 ? `${name.slice(0, 160)}~${fnv1a(key)}` : name;
    return vscode.Uri.joinPath(this.folder, `${short}.bin`);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await vscode.workspace.fs.readFile(this.fileFor(key));
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: Uint8Array): Promise<void> {
    this.created ??= vscode.workspace.fs.createDirectory(this.folder);
    await this.created;
    await vscode.workspace.fs.writeFile(this.fileFor(key), value);
  }
}

/** Workspace storage when a folder is open (caches are per workspace), global storage otherwise. */
export function createCacheStore(context: vscode.ExtensionContext): VsCodeCacheStore {
  return new VsCodeCacheStore(context.storageUri ?? context.globalStorageUri);
}

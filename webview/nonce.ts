// Lit falls back to <style> elements where constructable stylesheets are unavailable; under our CSP those need
// the page's nonce, which lit reads from `litNonce`. Imported first so it is set before any component loads.
declare global {
  var litNonce: string | undefined;
}

const script = document.querySelector<HTMLScriptElement>('script[nonce]');
if (script?.nonce) globalThis.litNonce = script.nonce;

export {};

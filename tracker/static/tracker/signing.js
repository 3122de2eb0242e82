// Signs a record's canonical form with the officer's Ed25519 key file (PKCS#8 PEM), here in the browser:
// the private key is read from the officer's own machine, used by WebCrypto and never sent anywhere; only the
// signature fills the form's "signature" field (docs/ledger.md, "Signing a submission"). Its words come from the
// JavaScript catalogue (gettext), which every admin page loads first (templates/admin/base_site.html).
// A block shows its record (data-canonical, base64 of the exact bytes) or asks the server for it with the
// form's current values (data-preview-url: the comments, text or documents of the step about to be taken).
(() => {
  const bytesOf = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const base64Of = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
  const hex = (bytes) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

  function derOfPem(pem) {
    const match = /-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/.exec(pem);
    if (!match) throw new Error(gettext("the file is not a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)"));
    return bytesOf(match[1].replace(/\s+/g, ""));
  }

  async function canonicalOf(block, form) {
    if (block.dataset.canonical) return bytesOf(block.dataset.canonical);
    const values = new FormData(form);
    values.delete("signature");
    values.delete("key");
    const answer = await fetch(block.dataset.previewUrl, { method: "POST", body: values, credentials: "same-origin" });
    if (!answer.ok) throw new Error(await answer.text());
    const bytes = new Uint8Array(await answer.arrayBuffer());
    block.querySelector(".canonical-record").textContent = new TextDecoder().decode(bytes);
    block.querySelector(".canonical-sha256").textContent = hex(await crypto.subtle.digest("SHA-256", bytes));
    return bytes;
  }

  async function sign(block) {
    const form = block.closest("form");
    const status = block.querySelector(".signing-status");
    const file = block.querySelector("input.key-file").files[0];
    status.textContent = "";
    try {
      if (!file) throw new Error(gettext("choose your key file first"));
      const data = await canonicalOf(block, form);
      const key = await crypto.subtle.importKey("pkcs8", derOfPem(await file.text()), { name: "Ed25519" }, false, [
        "sign",
      ]);
      form.querySelector("[name=signature]").value = base64Of(await crypto.subtle.sign({ name: "Ed25519" }, key, data));
      status.textContent = gettext("Signed: the signature is in the form, ready to send.");
    } catch (error) {
      status.textContent = interpolate(gettext("Not signed: %(reason)s"), { reason: error.message || error }, true);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const block of document.querySelectorAll(".signing")) {
      block.querySelector("button.sign-with-key-file").addEventListener("click", () => sign(block));
    }
  });
})();

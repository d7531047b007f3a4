/* 北戴河区行政执法协调监督平台 — behaviour every page shares (no inline scripts).
 *
 * A form that is being submitted shows that it is working and cannot be sent twice:
 * its submit buttons are disabled and read "正在提交……" until the next page arrives.
 * (The server refuses a repeated one-time key as well: core.pages.)
 */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (form.dataset.submitting === "1") { event.preventDefault(); return; }
    var confirmText = form.dataset.confirm;
    if (confirmText && !window.confirm(confirmText)) { event.preventDefault(); return; }
    form.dataset.submitting = "1";
    form.setAttribute("aria-busy", "true");
    // Disabled after this event, so the clicked button's name and value are still sent.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
        b.disabled = true;
        if (b.tagName === "BUTTON") {
          b.dataset.label = b.innerHTML;
          b.innerHTML = '<span class="spinner-border spinner-border-sm me-1" aria-hidden="true"></span>正在提交……';
        }
      });
    }, 0);
  });
  // Coming back to a page from the browser's cache: the form may be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting;
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.disabled = false;
        if (b.dataset.label) b.innerHTML = b.dataset.label;
      });
    });
  });
})();

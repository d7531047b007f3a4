// The background export's progress page (core/templates/core/export_job.html): polls the
// job's status until its file is ready. A file, not an inline script: the site's CSP
// allows scripts from 'self' only.
(function () {
  const box = document.getElementById("export-job");
  if (!box) return;
  const bar = document.getElementById("export-bar");
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.style.width = s.percent + "%";
        bar.textContent = s.percent + "%";
        bar.parentElement.setAttribute("aria-valuenow", s.percent);
        document.getElementById("export-state").textContent = s.state_display;
        document.getElementById("export-done").textContent = s.done;
        document.getElementById("export-total").textContent = s.total;
        document.getElementById("export-error").textContent = s.error;
        if (s.state === "done") {
          const link = document.getElementById("export-download");
          link.href = s.download_url;
          link.classList.remove("d-none");
        } else if (s.state !== "failed") {
          setTimeout(poll, 1000);
        }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  if (box.dataset.running === "1") poll();
})();

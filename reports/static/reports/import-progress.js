(function () {
  "use strict";
  var box = document.getElementById("import-job");
  if (!box) { return; }
  function show(job) {
    document.getElementById("import-status").textContent = job.status_label;
    var bar = document.getElementById("import-bar");
    bar.style.width = job.percent + "%";
    bar.textContent = job.percent + "%";
    document.getElementById("import-processed").textContent = job.processed;
    document.getElementById("import-total").textContent = job.total;
    document.getElementById("import-imported").textContent = job.imported;
    var list = document.getElementById("import-errors");
    list.innerHTML = "";
    job.errors.forEach(function (error) {
      var item = document.createElement("li");
      item.textContent = error;
      list.appendChild(item);
    });
    return job.status === "pending" || job.status === "running";
  }
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (show(job)) { window.setTimeout(poll, 1000); return; }
        // Finished, refused or waiting for a decision: the page itself shows the links and buttons for it.
        if (job.status === "confirm" || job.duplicates.length) { window.location.reload(); }
      });
  }
  if (box.dataset.status === "pending" || box.dataset.status === "running") { poll(); }
})();

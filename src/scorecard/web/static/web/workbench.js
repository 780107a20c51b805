// Live preview: each commentary box's text as the document will show it, and what `check` says.
// Progressive enhancement: without this script the form still saves, and the page shows the checks.
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview]");
  if (!form) { return; }
  var url = form.getAttribute("data-preview");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timers = {};
  function show(box, data) {
    var target = document.getElementById(box.id + "-preview");
    var checks = document.getElementById(box.id + "-check");
    target.innerHTML = data.html || "";  // rendered by the server from Markdown with HTML disabled
    checks.textContent = "";
    var lines = (data.error ? [data.error] : []).concat(data.flags || []);
    lines.forEach(function (line) {
      var p = document.createElement("p");
      p.className = "govuk-error-message";
      p.textContent = line;
      checks.appendChild(p);
    });
  }
  function update(box) {
    fetch(url, {method: "POST", credentials: "same-origin",
                headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                body: JSON.stringify({field: box.name, text: box.value})})
      .then(function (r) { return r.json(); })
      .then(function (data) { show(box, data); });
  }
  form.querySelectorAll("textarea[data-field]").forEach(function (box) {
    box.addEventListener("input", function () {
      clearTimeout(timers[box.id]);
      timers[box.id] = setTimeout(function () { update(box); }, 400);
    });
  });
})();

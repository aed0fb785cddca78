(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("action-table");
  var shown = document.getElementById("shown");
  if (!form || !table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var total = rows.length;
  var ranks = { "Red": 1, "Amber": 2, "Green": 3, "Blue": 4 };
  form.hidden = false;

  function value(key) {
    var field = form.querySelector("[data-key='" + key + "']");
    return field ? field.value : "";
  }

  function apply() {
    var area = value("area"), officer = value("officer"), progress = value("progress");
    var exception = value("exception"), search = value("search").toLowerCase().trim();
    var count = 0;
    rows.forEach(function (row) {
      var visible = (!area || row.getAttribute("data-area") === area) &&
        (!officer || row.getAttribute("data-officer") === officer) &&
        (!progress || row.getAttribute("data-progress") === progress) &&
        (!exception || row.getAttribute("data-exception") === exception) &&
        (!search || row.textContent.toLowerCase().indexOf(search) !== -1);
      row.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = count === total ? "Showing all " + total + " actions." :
      "Showing " + count + " of " + total + " actions.";
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });

  function key(row, index, kind) {
    var cell = row.cells[index];
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
    if (kind === "number") { return parseFloat(raw) || 0; }
    if (kind === "rating") { return ranks[raw] || 0; }
    return raw.toLowerCase();
  }

  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (header, index) {
    var kind = header.getAttribute("data-sort");
    if (!kind) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = header.textContent;
    header.textContent = "";
    header.appendChild(button);
    button.addEventListener("click", function () {
      var ascending = header.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = key(a, index, kind), y = key(b, index, kind);
        var order = x < y ? -1 : x > y ? 1 : 0;
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
}());

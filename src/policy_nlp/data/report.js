/* Behaviour of report.html (policy_nlp.report inlines this file; it uses no library).
   Sort: click or press Enter on a header of a table.sortable; numbers sort by their data-v
   value, text by the Chinese collation; empty cells always go last.
   Filter: an <input data-filter-for="TABLE_ID"> keeps rows containing its text; a
   <select data-filter-for="TABLE_ID" data-col="N"> keeps rows whose column N equals its value.
   When done it sets <html data-report-ready="1"> (the browser test waits for it). */
(function () {
  "use strict";
  var collator = new Intl.Collator("zh-Hans-CN", { numeric: true });
  var rowText = new WeakMap();

  function key(cell) {
    var v = cell.getAttribute("data-v");
    return v === null ? cell.textContent.trim() : v;
  }

  function sortBy(table, index, th) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.cells, function (h) {
      h.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var numeric = th.classList.contains("num");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[index]), y = key(b.cells[index]);
      if (x === "" || y === "") {
        return (x === "") - (y === "");
      }
      var r = numeric ? parseFloat(x) - parseFloat(y) : collator.compare(x, y);
      return ascending ? r : -r;
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) { fragment.appendChild(row); });
    body.appendChild(fragment);
  }

  function applyFilters(table) {
    var controls = document.querySelectorAll('[data-filter-for="' + table.id + '"]');
    var query = "";
    var exact = [];
    Array.prototype.forEach.call(controls, function (c) {
      if (c.tagName === "INPUT") {
        query = c.value.trim().toLowerCase();
      } else if (c.value !== "") {
        exact.push([parseInt(c.getAttribute("data-col"), 10), c.value]);
      }
    });
    var shown = 0;
    var rows = table.tBodies[0].rows;
    Array.prototype.forEach.call(rows, function (row) {
      var ok = query === "" || rowText.get(row).indexOf(query) >= 0;
      for (var i = 0; ok && i < exact.length; i++) {
        ok = row.cells[exact[i][0]].textContent.trim() === exact[i][1];
      }
      row.hidden = !ok;
      if (ok) { shown++; }
    });
    var counter = document.querySelector('[data-count-for="' + table.id + '"]');
    if (counter) {
      counter.textContent = shown + " of " + rows.length + " rows shown";
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortBy(table, index, th); });
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          sortBy(table, index, th);
        }
      });
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("[data-filter-for]"), function (control) {
    var table = document.getElementById(control.getAttribute("data-filter-for"));
    if (!table) { return; }
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      if (!rowText.has(row)) { rowText.set(row, row.textContent.toLowerCase()); }
    });
    control.addEventListener(control.tagName === "INPUT" ? "input" : "change", function () {
      applyFilters(table);
    });
    applyFilters(table);
  });

  document.documentElement.setAttribute("data-report-ready", "1");
})();

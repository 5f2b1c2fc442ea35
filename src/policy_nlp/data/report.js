/* Behaviour of report.html (policy_nlp.report inlines this file; it uses no library).
   Sort: click or press Enter on a header of a table.sortable; numbers sort by their data-v
   value, text by the Chinese collation; empty cells always go last.
   Filter: an <input data-filter-for="TABLE_ID"> keeps rows containing its text; a
   <select data-filter-for="TABLE_ID" data-col="N"> keeps rows whose column N equals its value.
   Lazy tables (table[data-lazy], policy_nlp.report.lazy): the rows come from a JSON block
   and are drawn a page at a time (with textContent: never parsed as markup); sorting,
   search, the column filters and the counter work on all rows.
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

  function numberOf(cell) { return typeof cell === "number" ? cell : cell[0]; }

  function lazyTable(table) {
    var data = JSON.parse(document.getElementById(table.getAttribute("data-lazy")).textContent);
    var S = data.strings, kinds = data.kinds, rows = data.rows, size = data.page;
    var pager = document.querySelector('[data-pager-for="' + table.id + '"]');
    var order = rows.map(function (_, i) { return i; });
    var shown = order, page = 0, texts = null;
    function cellText(row, c) {
      var v = row[c];
      if (kinds[c] === "num") {
        return v === null ? "" : typeof v === "number" ? String(v) : S[v[1]];
      }
      return S[v];
    }
    function rowText(i) {
      if (texts === null) { texts = []; }
      if (texts[i] === undefined) {
        var parts = [];
        for (var c = 0; c < kinds.length; c++) { parts.push(cellText(rows[i], c)); }
        texts[i] = parts.join(" ").toLowerCase();
      }
      return texts[i];
    }
    function draw() {
      var body = table.tBodies[0];
      var pages = Math.max(1, Math.ceil(shown.length / size));
      page = Math.min(Math.max(page, 0), pages - 1);
      var fragment = document.createDocumentFragment();
      shown.slice(page * size, (page + 1) * size).forEach(function (i) {
        var row = rows[i], tr = document.createElement("tr");
        for (var c = 0; c < kinds.length; c++) {
          var td = document.createElement("td"), text = cellText(row, c);
          if (kinds[c] === "num") {
            td.className = "num";
            if (row[c] !== null) { td.setAttribute("data-v", String(numberOf(row[c]))); }
            td.textContent = text;
          } else if (kinds[c] === "sentence") {
            td.className = "sentence";
            var mention = data.mention === null ? "" : cellText(row, data.mention);
            var at = mention ? text.indexOf(mention) : -1;
            if (at < 0) { td.textContent = text; } else {
              var mark = document.createElement("mark");
              mark.textContent = mention;
              td.appendChild(document.createTextNode(text.slice(0, at)));
              td.appendChild(mark);
              td.appendChild(document.createTextNode(text.slice(at + mention.length)));
            }
          } else { td.textContent = text; }
          tr.appendChild(td);
        }
        fragment.appendChild(tr);
      });
      body.textContent = "";
      body.appendChild(fragment);
      var counter = document.querySelector('[data-count-for="' + table.id + '"]');
      if (counter) { counter.textContent = shown.length + " of " + rows.length + " rows shown"; }
      if (pager) {
        pager.querySelector("span").textContent = "page " + (page + 1) + " of " + pages;
      }
    }
    function filter() {
      var query = "", exact = [];
      Array.prototype.forEach.call(
        document.querySelectorAll('[data-filter-for="' + table.id + '"]'), function (c) {
          if (c.tagName === "INPUT") { query = c.value.trim().toLowerCase(); }
          else if (c.value !== "") { exact.push([parseInt(c.getAttribute("data-col"), 10), c.value]); }
        });
      shown = order.filter(function (i) {
        if (query !== "" && rowText(i).indexOf(query) < 0) { return false; }
        for (var k = 0; k < exact.length; k++) {
          if (cellText(rows[i], exact[k][0]).trim() !== exact[k][1]) { return false; }
        }
        return true;
      });
      page = 0;
      draw();
    }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, c) {
      th.tabIndex = 0;
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = kinds[c] === "num";
        order.sort(function (a, b) {
          var x = rows[a][c], y = rows[b][c];
          var ex = numeric ? x === null : S[x] === "", ey = numeric ? y === null : S[y] === "";
          if (ex || ey) { return (ex - ey) || (a - b); }
          var r = numeric ? numberOf(x) - numberOf(y) : collator.compare(S[x], S[y]);
          return (ascending ? r : -r) || (a - b);
        });
        filter();
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });
    Array.prototype.forEach.call(
      document.querySelectorAll('[data-filter-for="' + table.id + '"]'), function (control) {
        control.addEventListener(control.tagName === "INPUT" ? "input" : "change", filter);
      });
    if (pager) {
      Array.prototype.forEach.call(pager.querySelectorAll("button"), function (b) {
        b.addEventListener("click", function () {
          page += parseInt(b.getAttribute("data-step"), 10);
          draw();
        });
      });
    }
    filter();
  }

  Array.prototype.forEach.call(document.querySelectorAll("table[data-lazy]"), lazyTable);

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable:not(.lazy)"), function (table) {
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
    if (!table || table.hasAttribute("data-lazy")) { return; }
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

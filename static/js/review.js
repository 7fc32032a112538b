// Factcheck Workbench: behaviours of the review pages (claim list keys, filters, dialogs).
// Loaded after app.js; hooked to data- attributes only. No inline scripts.
(function () {
  "use strict";

  // --- Filters: leave empty fields out of the URL that htmx pushes ------------------------
  document.body.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.elt.matches("[data-drop-empty]")) return;
    var params = event.detail.parameters;
    var empty = [];
    params.forEach(function (value, key) { if (value === "") empty.push(key); });
    empty.forEach(function (key) { params.delete(key); });
  });

  // Say how many claims the new filters found, in a live region that outlives the swap.
  function announce(text) {
    var status = document.getElementById("list-status");
    if (status) status.textContent = text;
  }
  document.body.addEventListener("htmx:afterSwap", function (event) {
    // A history restore (Back) swaps too, with no target in its details.
    var target = event.detail.target;
    var summary = document.querySelector("[data-claim-list] [data-result-summary]");
    if (summary && target && target.id === "claim-table") announce(summary.textContent.trim());
    restoreCurrent();
  });

  // --- Dialogs ------------------------------------------------------------------------------
  function openDialog(id) {
    var dialog = document.getElementById(id);
    if (dialog && !dialog.open) dialog.showModal();
  }
  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-open-dialog]");
    if (opener) openDialog(opener.getAttribute("data-open-dialog"));
  });

  // --- Claim list keyboard: j/k move, o open, a assign to me, x select, / search, ? help --
  var currentId = null;

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("[data-claim-row]")); }

  function select(row) {
    rows().forEach(function (other) { other.classList.remove("is-current"); });
    if (!row) return;
    row.classList.add("is-current");
    currentId = row.id;
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function current() {
    var row = currentId && document.getElementById(currentId);
    return row && row.matches("[data-claim-row]") ? row : null;
  }

  // A row replaced by htmx (after "assign to me") keeps its place as the current one.
  function restoreCurrent() {
    var row = current();
    if (row) row.classList.add("is-current");
  }

  function move(step) {
    var all = rows();
    if (!all.length) return;
    var index = all.indexOf(current());
    var next = index < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, index + step));
    select(all[next]);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (!document.querySelector("[data-claim-list]")) return;
    if (event.target.closest("input, textarea, select, dialog, [contenteditable]")) return;
    var row = current();
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "o":
      case "Enter":
        if (!row || (event.key === "Enter" && event.target !== row)) return;
        row.querySelector("[data-open]").click();
        break;
      case "a":
        if (!row) return;
        var take = row.querySelector("[data-assign-me]");
        if (take) take.click();
        else announce("This claim is already assigned, or your role cannot take it.");
        break;
      case "x":
        if (!row) return;
        var box = row.querySelector("input[type=checkbox]");
        if (box) box.checked = !box.checked;
        break;
      case "/":
        var search = document.querySelector("input[type=search]");
        if (search) search.focus();
        break;
      case "?": openDialog("keyboard-help"); break;
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var row = event.target.closest("[data-claim-row]");
    if (row && row.id !== currentId) {
      rows().forEach(function (other) { other.classList.remove("is-current"); });
      row.classList.add("is-current");
      currentId = row.id;
    }
  });
})();

// Small behaviours of the staff pages; everything works without them except live updates.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.id === "id_channel") {
    var option = target.options[target.selectedIndex];
    var origin = document.getElementById("origin-group");
    if (origin && option) {
      var needs = option.getAttribute("data-requires-origin") === "1";
      origin.classList.toggle("d-none", !needs && !document.getElementById("id_case_origin").value);
      var label = document.getElementById("origin-label");
      if (label && option.getAttribute("data-origin-label")) { label.textContent = option.getAttribute("data-origin-label"); }
    }
  }
});

// Keyboard shortcuts of the complaint list: "/" search, "j"/"k" next/previous row, Enter opens it, "?" help.
(function () {
  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("#rows tr[data-row]")); }
  function toggleHelp() {
    var dialog = document.getElementById("shortcut-dialog");
    if (!dialog) { return; }
    if (dialog.open) { dialog.close(); } else { dialog.showModal(); }
  }
  document.addEventListener("click", function (event) {
    if (event.target && event.target.closest && event.target.closest("[data-shortcut-help]")) { toggleHelp(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var search = document.getElementById("id_q");
    if (event.key === "/" && search) { event.preventDefault(); search.focus(); search.select(); return; }
    if (event.key === "?") { event.preventDefault(); toggleHelp(); return; }
    var list = rows();
    if (!list.length) { return; }
    var current = list.findIndex(function (row) { return row.classList.contains("row-selected"); });
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      var next = current < 0 ? 0 : Math.min(Math.max(current + (event.key === "j" ? 1 : -1), 0), list.length - 1);
      list.forEach(function (row) { row.classList.remove("row-selected"); row.removeAttribute("aria-current"); });
      list[next].classList.add("row-selected");
      list[next].setAttribute("aria-current", "true");
      var link = list[next].querySelector("a");
      if (link) { link.focus({preventScroll: true}); }
      list[next].scrollIntoView({block: "nearest"});
    } else if (event.key === "Enter" && current >= 0 && document.activeElement === document.body) {
      var open = list[current].querySelector("a");
      if (open) { open.click(); }
    }
  });
})();

// The list's "select all on this page" box.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (box && box.hasAttribute && box.hasAttribute("data-select-all")) {
    document.querySelectorAll("#rows input[name=numbers]").forEach(function (row) { row.checked = box.checked; });
  }
});

// "Save these filters" takes the filters as they are now, also after htmx changed them without a reload.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form && form.getAttribute("data-testid") === "save-view-form") {
    var filters = document.querySelector("[data-testid=filters]");
    if (filters) {
      var params = new URLSearchParams(new FormData(filters));
      document.getElementById("save-view-query").value = params.toString();
    }
  }
}, true);

// A select marked data-autosubmit sends its form when changed (no inline handlers: the pages run
// under a Content-Security-Policy that allows scripts from this site only).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.hasAttribute && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});

// A link marked data-keep-query carries the page's current filters (its query string) when followed.
document.addEventListener("click", function (event) {
  var link = event.target && event.target.closest ? event.target.closest("a[data-keep-query]") : null;
  if (link && link.dataset.base) {
    link.href = link.dataset.base + window.location.search;
  }
});

// The registration form's unit select: a unit under another policy version reloads the form with
// that unit's policy (its channels, categories and facts); the same version only refreshes the preview.
document.addEventListener("change", function (event) {
  var select = event.target;
  if (!select || !select.hasAttribute || !select.hasAttribute("data-policy-reload")) { return; }
  var option = select.options[select.selectedIndex];
  if (option && option.value && option.getAttribute("data-version") !== select.getAttribute("data-current-version")) {
    window.location.search = "?unit=" + encodeURIComponent(option.value);
  }
});

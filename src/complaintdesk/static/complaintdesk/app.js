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

// Type-ahead for the search box: as the analyst types, the best few listed names fill the
// box's suggestion list. The page works the same without this script.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("suggestions");
  if (!input || !list || !window.fetch) return;
  var timer = null;
  var last = "";
  function update() {
    var q = input.value.trim();
    if (q.length < 3 || q === last) return;
    last = q;
    fetch("/search/suggest?q=" + encodeURIComponent(q), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (items) {
        if (input.value.trim() !== q) return;
        list.replaceChildren();
        items.forEach(function (s) {
          var o = document.createElement("option");
          o.value = s.name;
          o.label = s.name + " (" + s.key + ")";
          list.appendChild(o);
        });
      })
      .catch(function () {});
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
})();

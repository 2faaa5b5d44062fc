// Search-as-you-type for every search box on the page: suggestions come from /shop/search/suggest/.
(function () {
  "use strict";
  var boxes = document.querySelectorAll("input[name=q]");
  boxes.forEach(function (box, n) {
    var list = document.createElement("datalist");
    list.id = "search-suggestions-" + n;
    box.setAttribute("list", list.id);
    box.setAttribute("autocomplete", "off");
    box.parentNode.appendChild(list);
    var timer = null;
    box.addEventListener("input", function () {
      clearTimeout(timer);
      var text = box.value.trim();
      if (!text) { return; }
      timer = setTimeout(function () {
        fetch("/shop/search/suggest/?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.suggestions.map(function (title) {
              var option = document.createElement("option");
              option.value = title;
              return option;
            }));
          })
          .catch(function () { /* suggestions are a convenience; typing still works */ });
      }, 200);
    });
  });
})();

/* Suggests towns as a member types one: every <input data-suggest="URL" list="ID"> gets
 * its <datalist> filled from that same-origin JSON endpoint (URL?q=what is typed: a list
 * of labels, trustnet/places.py). Progressive enhancement: without JavaScript the server
 * resolves what was typed when the form is sent. No inline script: the CSP allows
 * same-origin scripts only.
 */
(function () {
  "use strict";

  function suggest(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var typed = input.value.trim();
        if (typed.length < 2 || typed === asked) { return; }
        asked = typed;
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(typed),
              {credentials: "same-origin", headers: {Accept: "application/json"}})
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (labels) {
            list.replaceChildren.apply(list, labels.map(function (label) {
              var option = document.createElement("option");
              option.value = label;
              return option;
            }));
          })
          .catch(function () { /* suggestions only: the form works without them */ });
      }, 200);
    });
  }

  document.querySelectorAll("input[data-suggest][list]").forEach(suggest);
}());

// A running word count under each answer that has a word limit (textarea[data-max-words]).
// The server still checks the limit on submit; this only tells the writer as they type.
// Counting splits on white space, as the server does. The sentences come translated from the
// page (data-words-within, data-words-over) with {count}, {limit} and {over} to fill in.
(function () {
  "use strict";

  function countWords(text) {
    var trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  function sentence(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return name in values ? String(values[name]) : match;
    });
  }

  function attach(area) {
    var limit = parseInt(area.getAttribute("data-max-words"), 10);
    if (!limit) return;
    var shown = document.createElement("p");
    shown.className = "help word-count";
    shown.id = area.id + "_wordcount";
    shown.setAttribute("aria-hidden", "true");
    // Screen readers hear the count when the writer pauses, not on every key.
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", spoken);
    area.insertAdjacentElement("afterend", shown);
    var pause = null;

    function update(announce) {
      var count = countWords(area.value);
      var over = count - limit;
      var text = over > 0
        ? sentence(area.getAttribute("data-words-over"), { count: count, limit: limit, over: over })
        : sentence(area.getAttribute("data-words-within"), { count: count, limit: limit });
      shown.textContent = text;
      shown.classList.toggle("over-limit", over > 0);
      if (announce) {
        window.clearTimeout(pause);
        pause = window.setTimeout(function () { spoken.textContent = text; }, 1000);
      }
    }

    area.addEventListener("input", function () { update(true); });
    update(false);
  }

  var areas = document.querySelectorAll("textarea[data-max-words]");
  for (var i = 0; i < areas.length; i++) attach(areas[i]);
})();

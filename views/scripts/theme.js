// The theme chosen with the header's toggle, remembered in localStorage. Loaded as a blocking
// script in <head> so the choice applies before the first paint (no flash of the other theme);
// without a choice the stylesheet follows the system (prefers-color-scheme).
(function () {
  var KEY = "iot-theme";
  var root = document.documentElement;
  var stored = null;
  try {
    stored = localStorage.getItem(KEY);
  } catch (e) {
    // storage refused (private mode, file://): follow the system
  }
  if (stored === "light" || stored === "dark") root.setAttribute("data-theme", stored);

  function current() {
    var chosen = root.getAttribute("data-theme");
    if (chosen === "light" || chosen === "dark") return chosen;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches
      ? "dark"
      : "light";
  }

  // the toggle is in the page body, which htmx's boosted navigation replaces: find it afresh
  function sync() {
    var buttons = document.querySelectorAll("[data-theme-toggle]");
    var dark = current() === "dark";
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].setAttribute("aria-pressed", dark ? "true" : "false");
      buttons[i].title = dark ? "Switch to the light theme" : "Switch to the dark theme";
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var button = target && target.closest && target.closest("[data-theme-toggle]");
    if (!button) return;
    var next = current() === "dark" ? "light" : "dark";
    root.setAttribute("data-theme", next);
    try {
      localStorage.setItem(KEY, next);
    } catch (e) {
      // not remembered, still applied
    }
    sync();
  });
  document.addEventListener("DOMContentLoaded", sync);
  document.addEventListener("htmx:load", sync);
})();

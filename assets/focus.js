// After a navigation inside the app, focus moves to the new page's h1, so a keyboard or
// screen-reader user starts on the page they asked for instead of at <body> (where
// React leaves focus when it swaps the page). A fresh visit (typed address, link from
// another site, reload) keeps the browser's own start at the top of the document.
(function () {
  "use strict";
  var WAIT_MS = 20000;
  var lastPath = location.pathname;

  function focusHeadingWhenShown(previous) {
    var started = document.activeElement;
    var deadline = Date.now() + WAIT_MS;
    (function poll() {
      var active = document.activeElement;
      var userMoved = active && active !== document.body && active !== started &&
        active !== previous;
      if (userMoved) return;
      var h1 = document.querySelector("main h1");
      if (h1 && h1 !== previous) {
        if (!h1.hasAttribute("tabindex")) h1.setAttribute("tabindex", "-1");
        h1.focus({ preventScroll: false });
        return;
      }
      if (Date.now() < deadline) setTimeout(poll, 50);
    })();
  }

  function routeChanged() {
    if (location.pathname === lastPath) return; // a query or #hash change: same page
    lastPath = location.pathname;
    focusHeadingWhenShown(document.querySelector("main h1"));
  }

  ["pushState", "replaceState"].forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var result = original.apply(this, arguments);
      routeChanged();
      return result;
    };
  });
  window.addEventListener("popstate", routeChanged);

  // A full page load started from inside the app (log in, log out, switching workspace
  // all pass through a server route whose redirect strips the referrer) counts as an
  // in-app navigation too: a page left within seconds of a click or key press leaves a
  // note in this tab's sessionStorage for the next page. A reload or a typed address
  // leaves none (no event in the page), so those keep the browser's start.
  var NOTE = "qrapp:focus-h1";
  var lastAction = 0;
  ["click", "keydown", "submit"].forEach(function (type) {
    document.addEventListener(type, function () { lastAction = Date.now(); }, true);
  });
  window.addEventListener("pagehide", function () {
    if (Date.now() - lastAction < 15000) {
      try { sessionStorage.setItem(NOTE, String(Date.now())); } catch (e) { /* private mode */ }
    }
  });
  var nav = performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
  var note = null;
  try {
    note = sessionStorage.getItem(NOTE);
    sessionStorage.removeItem(NOTE);
  } catch (e) {
    note = null;
  }
  var fresh = note && Date.now() - Number(note) < 30000;
  if (fresh && !(nav && nav.type === "reload")) focusHeadingWhenShown(null);
})();

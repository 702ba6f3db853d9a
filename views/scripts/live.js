// Live updates that never take what the user is doing from under them. htmx's SSE extension
// swaps each new render of the page into its live region ([sse-swap]). Here:
// - an update waits while the user is in the middle of something there — a pointer pressed on
//   a link or button, the request a click made, text being selected — and the newest one is
//   swapped in as soon as that ends (after the click has landed). A field merely focused does not
//   hold updates back (it would hold them for as long as it keeps the focus): it is carried over;
// - what the user changed that the server does not know is carried into the new HTML: open or
//   closed <details>, ticked boxes and typed values not sent yet, the focused field and its caret.
// Loaded by every page; runs its setup once.
(function () {
  if (window.iotLive) return;
  window.iotLive = true;

  var pressed = null; // where a pointer went down, until it comes up
  var requests = new Map(); // element → when it made an htmx request not answered yet
  var held = new Map(); // live region → the newest HTML held back
  var edited = new Map(); // field key → { value, checked } the user set and has not sent

  function regionOf(el) {
    return el && el.closest ? el.closest("[sse-swap]") : null;
  }

  // The same element in two renders of a region: its id; a <details> by its summary; a field by
  // its form and name (and value, for a box); else its position.
  function keyOf(el, root) {
    if (el.id) return "#" + el.id;
    if (el.tagName === "DETAILS") {
      var summary = el.querySelector("summary");
      if (summary) return "details:" + summary.textContent.trim();
    }
    if (el.name) {
      var f = el.form;
      var form = f ? f.id || f.getAttribute("action") || f.getAttribute("hx-post") || "" : "";
      var box = el.type === "checkbox" || el.type === "radio";
      return form + "|" + el.name + (box ? "=" + el.value : "");
    }
    var path = [];
    for (var n = el; n && n !== root && n.parentElement; n = n.parentElement)
      path.push(Array.prototype.indexOf.call(n.parentElement.children, n));
    return "@" + path.join(".");
  }

  function busy(root) {
    if (pressed && root.contains(pressed)) return true;
    // a click's request (a boosted link, a button's POST): htmx drops the answer of an element
    // no longer in the page, so the page is left alone until it is answered (10 s at most)
    var waiting = false;
    requests.forEach(function (at, elt) {
      // answered by replacing the page (its element is gone, and its events with it), or too old
      if (!elt.isConnected || Date.now() - at > 10000) requests.delete(elt);
      else if (root.contains(elt)) waiting = true;
    });
    if (waiting) return true;
    var sel = document.getSelection();
    return !!sel && !sel.isCollapsed && !!sel.anchorNode && root.contains(sel.anchorNode);
  }

  function capture(root) {
    var open = {};
    root.querySelectorAll("details").forEach(function (d) {
      open[keyOf(d, root)] = d.open;
    });
    var a = document.activeElement;
    var focus = null;
    if (a && a !== document.body && root.contains(a)) {
      focus = { key: keyOf(a, root), start: null, end: null };
      try {
        focus.start = a.selectionStart;
        focus.end = a.selectionEnd;
      } catch (e) {
        // no caret in this kind of field
      }
    }
    return { open: open, focus: focus };
  }

  function restore(root, state) {
    root.querySelectorAll("details").forEach(function (d) {
      var k = keyOf(d, root);
      if (Object.prototype.hasOwnProperty.call(state.open, k)) d.open = state.open[k];
    });
    root.querySelectorAll("input, select, textarea").forEach(function (el) {
      var e = edited.get(keyOf(el, root));
      if (!e) return;
      if (el.type === "checkbox" || el.type === "radio") el.checked = e.checked;
      else if (el.value !== e.value) el.value = e.value;
    });
    if (!state.focus) return;
    var a = document.activeElement;
    if (a && a !== document.body && root.contains(a)) return; // still focused (kept by htmx)
    var all = root.querySelectorAll("*");
    for (var i = 0; i < all.length; i++) {
      if (keyOf(all[i], root) !== state.focus.key) continue;
      all[i].focus({ preventScroll: true });
      if (state.focus.start !== null && all[i].setSelectionRange) {
        try {
          all[i].setSelectionRange(state.focus.start, state.focus.end);
        } catch (e) {
          // not a text field
        }
      }
      return;
    }
  }

  document.addEventListener("htmx:sseBeforeMessage", function (e) {
    var root = e.target;
    if (busy(root)) {
      e.preventDefault();
      held.set(root, e.detail.data);
      return;
    }
    held.delete(root);
    root.iotLiveState = capture(root);
  });

  document.addEventListener("htmx:sseMessage", function (e) {
    var root = e.target;
    if (!root.iotLiveState) return;
    var state = root.iotLiveState;
    root.iotLiveState = null;
    restore(root, state);
  });

  // The updates held back, now that the user is done.
  function flush() {
    held.forEach(function (html, root) {
      if (!root.isConnected) return held.delete(root);
      if (busy(root)) return;
      held.delete(root);
      var state = capture(root);
      htmx.swap(
        root,
        html,
        { swapStyle: "innerHTML", swapDelay: 0, settleDelay: 20 },
        { contextElement: root },
      );
      restore(root, state);
      htmx.trigger(root, "htmx:sseMessage", { data: html });
    });
  }

  document.addEventListener(
    "pointerdown",
    function (e) {
      pressed = regionOf(e.target) ? e.target : null;
    },
    true,
  );
  function released() {
    if (!pressed) return;
    pressed = null;
    setTimeout(flush, 0); // after the click this press makes (and the request it starts)
  }
  document.addEventListener("pointerup", released, true);
  document.addEventListener("pointercancel", released, true);
  document.addEventListener("selectionchange", function () {
    if (held.size > 0) setTimeout(flush, 0);
  });
  document.addEventListener("focusout", function () {
    if (held.size > 0) setTimeout(flush, 0);
  });

  function remember(e) {
    var el = e.target;
    var root = regionOf(el);
    if (!root || !el.matches || !el.matches("input, select, textarea")) return;
    edited.set(keyOf(el, root), { value: el.value, checked: el.checked });
  }
  document.addEventListener("input", remember, true);
  document.addEventListener("change", remember, true);
  // sent: the server's next render shows what it made of it
  function sent(form) {
    var root = regionOf(form);
    if (!root || !form.elements) return;
    Array.prototype.forEach.call(form.elements, function (el) {
      edited.delete(keyOf(el, root));
    });
  }
  document.addEventListener("submit", function (e) {
    sent(e.target);
  });
  document.addEventListener("htmx:beforeRequest", function (e) {
    var elt = e.detail && e.detail.elt;
    if (regionOf(elt)) requests.set(elt, Date.now());
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var elt = e.detail && e.detail.elt;
    if (requests.delete(elt)) setTimeout(flush, 0);
    var form = elt && (elt.tagName === "FORM" ? elt : elt.form || elt.closest("form"));
    if (form) sent(form);
  });
})();

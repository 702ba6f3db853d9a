// The device status toggle's immediate feedback: when `POST /status/<id>` is answered 200, the
// row (or the device page) shows the new desired status and the button offers the opposite,
// without waiting for the live update. Loaded by the devices pages; runs its setup once.
(function () {
  if (window.iotDeviceToggle) return;
  window.iotDeviceToggle = true;
  document.addEventListener("htmx:afterRequest", function (event) {
    var button = event.detail && event.detail.elt;
    if (!button || !button.hasAttribute || !button.hasAttribute("data-toggle-status")) return;
    var xhr = event.detail.xhr;
    var scope = button.closest("[data-device-scope]") || button.closest("tr");
    if (!xhr || xhr.status !== 200) {
      if (scope) scope.setAttribute("data-toggle-error", String(xhr ? xhr.status : 0));
      return;
    }
    var sent;
    try {
      sent = JSON.parse(button.getAttribute("hx-vals") || "{}").status;
    } catch (e) {
      return;
    }
    if (sent !== "Active" && sent !== "Inactive") return;
    var next = sent === "Active" ? "Inactive" : "Active";
    button.setAttribute("hx-vals", JSON.stringify({ status: next }));
    button.textContent = "Set " + next;
    if (!scope) return;
    scope.removeAttribute("data-toggle-error");
    var cell = scope.querySelector(".desired");
    if (cell) {
      cell.textContent = "→ " + sent + " (sent)";
      cell.setAttribute("data-desired", sent);
    }
  });
})();

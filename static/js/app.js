// Open Doors: small progressive enhancements. Pages work without them.
(function () {
  // Sign-up: default the time zone to the browser's own.
  document.querySelectorAll("input[name='time_zone'][type='hidden']").forEach(function (input) {
    if (!input.value) {
      try { input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { /* keep UTC */ }
    }
  });
  // Progress bars: the width comes from data-progress (no inline styles under the
  // Content-Security-Policy), on load and in every fragment htmx swaps in.
  function drawProgress(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      bar.style.width = Math.max(0, Math.min(100, Number(bar.dataset.progress) || 0)) + "%";
    });
  }
  drawProgress(document);
  document.addEventListener("htmx:load", function (event) { drawProgress(event.target); });
  // Forms: one submit per click, so a double click cannot create two rows.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("hx-post") || form.hasAttribute("hx-get")) { return; }
    if (form.dataset.submitted === "1") { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    setTimeout(function () { form.dataset.submitted = ""; }, 5000);
  });
  // Log a rejection: picking one of the company's open applications fills in its role.
  document.addEventListener("change", function (event) {
    var radio = event.target.closest("input[name='pick'][data-role]");
    if (!radio) { return; }
    var role = document.querySelector("input[name='role_title']");
    if (role) { role.value = radio.dataset.role; }
  });
  // Copy-to-clipboard buttons: data-copy-target="#id-of-textarea".
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) { return; }
    var source = document.querySelector(button.dataset.copyTarget);
    if (!source) { return; }
    var text = source.value !== undefined ? source.value : source.textContent;
    navigator.clipboard.writeText(text).then(function () {
      var label = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });
  // Drafts are kept as the person types: data-autosave-url on the editor's container; its
  // "subject" and "text" fields are posted a moment after typing stops, and on leaving a field.
  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }
  function saveDraft(box) {
    clearTimeout(box._autosaveTimer);
    var body = new FormData();
    var subject = box.querySelector("[name='subject']");
    var text = box.querySelector("[name='text']");
    if (!text) { return; }
    if (box.dataset.lastSaved === (subject ? subject.value : "") + "\u0000" + text.value) { return; }
    body.append("subject", subject ? subject.value : "");
    body.append("text", text.value);
    var status = box.querySelector("[data-autosave-status]");
    var sent = (subject ? subject.value : "") + "\u0000" + text.value;
    fetch(box.dataset.autosaveUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) { return response.json(); }).then(function (data) {
      if (data.saved) { box.dataset.lastSaved = sent; }
      if (status) { status.textContent = data.message || ""; }
      var scope = box.closest("article") || document;
      var mailto = scope.querySelector("[data-autosave-mailto]");
      if (mailto && data.mailto) { mailto.setAttribute("href", data.mailto); }
    }).catch(function () {
      if (status) { status.textContent = "Not saved: no connection. Your text is still here."; }
    });
  }
  document.addEventListener("input", function (event) {
    var box = event.target.closest("[data-autosave-url]");
    if (!box) { return; }
    clearTimeout(box._autosaveTimer);
    box._autosaveTimer = setTimeout(function () { saveDraft(box); }, 800);
  });
  document.addEventListener("focusout", function (event) {
    var box = event.target.closest("[data-autosave-url]");
    if (box && event.target.matches("[name='subject'], [name='text']")) { saveDraft(box); }
  });
})();

// Open Doors: small progressive enhancements. Pages work without them.
(function () {
  // Sign-up: default the time zone to the browser's own.
  document.querySelectorAll("input[name='time_zone'][type='hidden']").forEach(function (input) {
    if (!input.value) {
      try { input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { /* keep UTC */ }
    }
  });
  // Forms: one submit per click, so a double click cannot create two rows.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("hx-post") || form.hasAttribute("hx-get")) { return; }
    if (form.dataset.submitted === "1") { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    setTimeout(function () { form.dataset.submitted = ""; }, 5000);
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
})();

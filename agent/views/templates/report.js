"use strict";
// Link the side panel to the text: hover shows an entity's marks, click pins them (and the
// panel entry), a stated position jumps to its content. Only classes change; no HTML is built.
(function () {
  function section(el) { return el.closest(".article-section"); }
  function show(el, on, pinned) {
    var sec = section(el);
    if (!sec) { return; }
    var entity = el.getAttribute("data-entity");
    var cls = pinned ? "on" : "hover";
    sec.querySelectorAll("[data-entity]").forEach(function (x) {
      var mine = x.getAttribute("data-entity") === entity;
      x.classList.toggle(cls, mine && on);
    });
  }
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest("[data-entity]");
    if (!el) { return; }
    var already = el.classList.contains("on");
    show(el, !already, true);
    var jump = el.getAttribute("data-jump");
    if (jump) {
      var target = document.getElementById(jump);
      if (target) {
        target.scrollIntoView({ block: "center" });
        target.classList.remove("flash");
        void target.offsetWidth;
        target.classList.add("flash");
      }
    }
  });
  document.addEventListener("mouseover", function (ev) {
    var el = ev.target.closest(".panel [data-entity]");
    if (el) { show(el, true, false); }
  });
  document.addEventListener("mouseout", function (ev) {
    var el = ev.target.closest(".panel [data-entity]");
    if (el) { show(el, false, false); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && ev.target.matches && ev.target.matches("[data-entity]")) {
      ev.target.click();
    }
  });
}());

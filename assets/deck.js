(function () {
  var slides = Array.prototype.slice.call(document.querySelectorAll("section.slide"));
  var at = 0;
  function show(n) {
    at = Math.max(0, Math.min(slides.length - 1, n));
    slides.forEach(function (s, i) { s.classList.toggle("current", i === at); });
    if (history.replaceState) { history.replaceState(null, "", "#" + (at + 1)); }
  }
  document.addEventListener("keydown", function (e) {
    var k = e.key;
    if (k === "ArrowRight" || k === "ArrowDown" || k === "PageDown" || k === " ") { show(at + 1); }
    else if (k === "ArrowLeft" || k === "ArrowUp" || k === "PageUp") { show(at - 1); }
    else if (k === "Home") { show(0); }
    else if (k === "End") { show(slides.length - 1); }
    else if (k === "n" || k === "N") { document.body.classList.toggle("notes-on"); }
    else { return; }
    e.preventDefault();
  });
  function fromHash() {
    var h = /^#(\d+)(n?)$/.exec(location.hash || "");
    if (h && h[2]) { document.body.classList.add("notes-on"); }
    show(h ? parseInt(h[1], 10) - 1 : 0);
  }
  window.addEventListener("hashchange", fromHash);
  document.body.classList.add("js");
  fromHash();
})();

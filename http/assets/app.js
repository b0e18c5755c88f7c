// SafeDesk's only script: it saves how far a learner has read a lesson. Pages work without it.
(function () {
  "use strict";
  var lesson = document.querySelector("article.lesson[data-progress-url]");
  if (!lesson || !window.fetch) return;
  var url = lesson.getAttribute("data-progress-url");
  var csrf = lesson.getAttribute("data-csrf");
  var saved = parseInt(lesson.getAttribute("data-position"), 10) || 0;
  var pending = null;

  function position() {
    var rect = lesson.getBoundingClientRect();
    var seen = window.innerHeight - rect.top;
    var pct = Math.round(Math.max(0, Math.min(1, seen / rect.height)) * 100);
    return pct;
  }

  function save() {
    pending = null;
    var pos = position();
    if (pos <= saved) return;
    saved = pos;
    fetch(url, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ read: false, position: pos })
    }).catch(function () { saved = 0; /* try again on the next scroll */ });
  }

  window.addEventListener("scroll", function () {
    if (pending === null) pending = setTimeout(save, 1500);
  }, { passive: true });

  // Return the learner to where they stopped last time.
  if (saved > 5 && saved < 100 && location.hash === "") {
    var y = lesson.offsetTop + lesson.offsetHeight * saved / 100 - window.innerHeight;
    if (y > 0) window.scrollTo(0, y);
  }
})();

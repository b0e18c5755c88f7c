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

// Exam papers: every answer is saved the moment it is given; a save that fails is kept and
// retried, so a dropped network loses nothing. The countdown is shown, the server keeps time.
(function () {
  "use strict";
  var form = document.querySelector("form.paper[data-attempt]");
  if (!form || form.getAttribute("data-done") || !window.fetch) return;
  var attempt = form.getAttribute("data-attempt");
  var csrf = form.getAttribute("data-csrf");
  var status = document.querySelector(".save-status");
  var pending = {};
  var inflight = 0;

  function say(key) {
    if (!status) return;
    status.textContent = status.getAttribute("data-" + key);
    status.classList.toggle("offline", key === "offline");
  }

  function response(fs) {
    var type = fs.getAttribute("data-type");
    var id = fs.getAttribute("data-qid");
    var name = "q:" + id;
    if (type === "single" || type === "truefalse") {
      var c = fs.querySelector("input[name='" + name + "']:checked");
      return c ? c.value : null;
    }
    if (type === "multiple") {
      var out = [];
      fs.querySelectorAll("input[name='" + name + "']:checked").forEach(function (x) { out.push(x.value); });
      return out.length ? out : null;
    }
    if (type === "short") {
      var t = fs.querySelector("input[name='" + name + "']").value.trim();
      return t ? t : null;
    }
    var list = [], any = false;
    fs.querySelectorAll("select").forEach(function (s) { list.push(s.value); if (s.value) any = true; });
    if (!any) return null;
    if (type === "ordering") list = list.filter(function (v) { return v !== ""; });
    return list;
  }

  function save(fs) {
    var resp = response(fs);
    if (resp === null) return;
    var qid = fs.getAttribute("data-qid");
    pending[qid] = fs;
    inflight++;
    say("saving");
    fetch("/api/v1/attempts/" + attempt + "/answers/" + encodeURIComponent(qid), {
      method: "PUT", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ response: resp })
    }).then(function (r) {
      inflight--;
      if (r.ok) {
        if (pending[qid] === fs) delete pending[qid];
        fs.classList.add("saved");
        if (!inflight) say("saved");
      } else if (r.status === 409) {
        location.reload(); // time is up or submitted elsewhere: show the result
      } else {
        say("offline");
      }
    }).catch(function () { inflight--; say("offline"); });
  }

  var timers = {};
  form.addEventListener("change", function (e) {
    var fs = e.target.closest("fieldset.question");
    if (fs) save(fs);
  });
  form.addEventListener("input", function (e) {
    var fs = e.target.closest("fieldset.question");
    if (!fs || fs.getAttribute("data-type") !== "short") return;
    clearTimeout(timers[fs.getAttribute("data-qid")]);
    timers[fs.getAttribute("data-qid")] = setTimeout(function () { save(fs); }, 800);
  });
  // Retry unsaved answers every few seconds and when the network returns.
  function retry() { Object.keys(pending).forEach(function (k) { save(pending[k]); }); }
  setInterval(retry, 5000);
  window.addEventListener("online", retry);

  form.addEventListener("submit", function (e) {
    var b = e.submitter;
    if (b && b.name === "submit" && !window.confirm(b.getAttribute("data-confirm"))) e.preventDefault();
  });

  var bar = document.querySelector(".exam-bar[data-deadline]");
  if (bar) {
    var deadline = Date.parse(bar.getAttribute("data-deadline"));
    var out = bar.querySelector(".countdown");
    var tick = function () {
      var left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      out.textContent = m + ":" + (s < 10 ? "0" : "") + s;
      bar.classList.toggle("urgent", left < 300);
      if (left === 0) { clearInterval(iv); setTimeout(function () { location.reload(); }, 35000); }
    };
    var iv = setInterval(tick, 1000);
    tick();
  }
})();

// Drills: Enter sends the reply (Shift+Enter for a new line); the chat scrolls to the end.
(function () {
  "use strict";
  var box = document.getElementById("messages");
  if (box) box.scrollTop = box.scrollHeight;
  var form = document.querySelector("form.composer");
  if (!form) return;
  var ta = form.querySelector("textarea");
  ta.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      if (ta.value.trim() !== "") form.submit();
    }
  });
})();
